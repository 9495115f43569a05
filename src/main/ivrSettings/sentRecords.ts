import type { Change } from '../../shared/domain'
import type { Outbox } from '../ivrApi/outbox'

/**
 * A record the outbox sends to the vendor (a holiday, a day's office hours): the change that
 * carries it, and the state that change had when the record was last written.
 */
export interface SentRecord {
  changeId: string | null
  state: Change['state']
  vendorAnswer: string | null
}

/** The record with the live state of its change, while the outbox still has that change. */
export function withLiveState<R extends SentRecord>(record: R, outbox: Pick<Outbox, 'get'>): R {
  const c = record.changeId ? outbox.get(record.changeId) : undefined
  return c ? { ...record, state: c.state, vendorAnswer: c.vendorAnswer } : { ...record }
}

/** Takes a settled change's state into the record it carried (a record a newer change replaced keeps its own). */
export function settleRecord(record: SentRecord | undefined, c: Change): void {
  if (!record || record.changeId !== c.id) return
  record.state = c.state
  record.vendorAnswer = c.vendorAnswer
}
