import type { Change, ChangeResult, OfficeDay, OfficeHours } from '../../shared/domain'
import { WEEKDAYS } from '../../shared/domain'
import type { OfficeHoursSet } from '../../shared/schemas'
import { UserError } from '../ground/errors'
import type { EventBus } from '../events/bus'
import { type Document, type DocumentSource } from '../storage/documents'
import { officeTimeParams } from '../ivrApi/client'
import type { Outbox } from '../ivrApi/outbox'
import { from12Hour, officeTimeError } from '../../shared/officeTime'
import { changeResult } from './messages'
import { settleRecord, withLiveState } from './sentRecords'

interface StoredHours extends OfficeHours {
  /** What the vendor last confirmed for this day (used when the newest change was refused). */
  confirmed: { start: string; end: string } | null
}

interface HoursDoc {
  days: StoredHours[]
}

export const OFFICE_DAYS: readonly OfficeDay[] = ['Daily', ...WEEKDAYS]

export type HoursByDay = Partial<Record<OfficeDay, { start: string; end: string }>>

export interface OfficeHoursBookDeps {
  /** Where the book's document is kept. */
  documents: DocumentSource
  outbox: Outbox
  bus: EventBus
  /** OS user name, the default `requestedBy` of changes. */
  user: string
}

/** Office hours per `Daily` / weekday, validated with the vendor's own rule before sending. */
export class OfficeHoursBook {
  private constructor(
    private readonly store: Document<HoursDoc>,
    private readonly deps: OfficeHoursBookDeps,
  ) {
    deps.outbox.onSettled((c) => this.onSettled(c))
    // Another instance changed the hours: this one's screens hear of it too.
    store.onExternalChange(() => deps.bus.emit('officeHours:updated', this.list()))
  }

  static async open(deps: OfficeHoursBookDeps): Promise<OfficeHoursBook> {
    const docs = deps.documents
    const store = await docs.open<HoursDoc>('office-hours.json', { days: [] })
    return new OfficeHoursBook(store, deps)
  }

  list(): OfficeHours[] {
    return OFFICE_DAYS.flatMap((day) => {
      const h = this.store.data.days.find((x) => x.day === day)
      return h ? [this.view(h)] : []
    })
  }

  /**
   * The hours the IVR works with as far as we know: the newest change unless the vendor refused
   * it (then the last confirmed hours). A pending change counts: it is retried until it lands.
   */
  effective(): HoursByDay {
    const out: HoursByDay = {}
    for (const h of this.store.data.days) {
      const v = this.view(h)
      if (v.state !== 'refused') out[h.day] = { start: h.start, end: h.end }
      else if (h.confirmed) out[h.day] = h.confirmed
    }
    return out
  }

  /** `Invalid Time` (400) before anything is sent when start is not before end. */
  async set(req: OfficeHoursSet, user = this.deps.user): Promise<ChangeResult> {
    if (!OFFICE_DAYS.includes(req.day as OfficeDay)) {
      throw new UserError(`"${req.day}" is not Daily or a weekday`, 400, ['day'])
    }
    const err = officeTimeError(req.start, req.end)
    if (err) throw new UserError(err, 400, ['start', 'end'])
    const day = req.day as OfficeDay
    const change = await this.deps.outbox.enqueue({
      kind: 'office-time',
      target: `office:${day}`,
      params: officeTimeParams(day, req.start, req.end),
      summary: `Office hours ${day} ${req.start}–${req.end}`,
      requestedBy: user,
    })
    await this.write((doc) => {
      const prev = doc.days.find((x) => x.day === day)
      doc.days = doc.days.filter((x) => x.day !== day)
      doc.days.push({
        day,
        start: req.start,
        end: req.end,
        state: 'pending',
        vendorAnswer: null,
        changeId: change.id,
        confirmed: prev?.confirmed ?? null,
      })
    })
    // The worker may have settled it before the record existed.
    const now = this.deps.outbox.get(change.id)
    if (now && now.state !== 'pending') await this.onSettled(now)
    return changeResult(await this.deps.outbox.waitFor(change.id))
  }

  private async onSettled(c: Change): Promise<void> {
    if (c.kind !== 'office-time') return
    const day = c.params.day as OfficeDay
    const start = from12Hour(c.params.st_time ?? '')
    const end = from12Hour(c.params.en_time ?? '')
    await this.write((doc) => {
      const h = doc.days.find((x) => x.day === day)
      if (!h) return
      if (c.state === 'confirmed' && start && end) h.confirmed = { start, end }
      settleRecord(h, c)
    })
  }

  /** Writes the document, then tells everyone the hours as they now are (`officeHours:updated`). */
  private async write(fn: (doc: HoursDoc) => void): Promise<void> {
    await this.store.update(fn)
    this.deps.bus.emit('officeHours:updated', this.list())
  }

  private view(h: StoredHours): OfficeHours {
    const { confirmed: _confirmed, ...rest } = withLiveState(h, this.deps.outbox)
    return rest
  }
}
