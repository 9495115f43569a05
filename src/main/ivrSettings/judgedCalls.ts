import { storedCallText, type Outgoing, type StoredCallEvent } from '../events/bus'
import { withFieldFirst } from '../ground/jsonText'
import type { ClosedAt } from './scheduleHistory'

/**
 * Stored calls as they leave main: each judged by the schedule in force when it started
 * (`outsideOfficeHours`), so alerts can keep quiet outside office hours. Once per push however
 * many screens listen: the subscribers of one emit get one payload, and its text is the store's
 * JSON of the call with the judgement spliced in, not a second stringify. `closedAt` is asked
 * once per call, since the schedule may change between calls.
 */
export function judgeStoredCalls(
  closedAt: () => ClosedAt,
): (stored: StoredCallEvent) => Outgoing<'call:stored'> {
  let last: { from: StoredCallEvent; to: Outgoing<'call:stored'> } | null = null
  return (from) => {
    if (last?.from === from) return last.to
    const closed = closedAt()(Date.parse(from.call.startedAt)) === true
    const call = withFieldFirst(from.call, from.json, 'outsideOfficeHours', closed)
    const to: Outgoing<'call:stored'> = {
      payload: { call: call.value, outcome: from.outcome },
      json: storedCallText(call.json, from.outcome),
    }
    last = { from, to }
    return to
  }
}
