import { DateTime } from 'luxon'
import type { Clock } from '../ground/clock'
import type { Logger } from '../ground/logger'
import { type Document, type DocumentSource } from '../storage/documents'
import type { HoursByDay } from './officeHours'
import { hoursIntervals, type ScheduleData } from './schedule'

/** The office hours in force from `from` on (until the next version). */
interface HoursVersion {
  from: string
  zone: string
  hours: HoursByDay
}

/** A date that was a holiday in our model from `from` until `to` (null: still is). */
interface HolidaySpan {
  date: string
  name: string | null
  from: string
  to: string | null
}

interface HistoryDoc {
  version: 1
  hours: HoursVersion[]
  holidays: HolidaySpan[]
}

/**
 * Whether the office was closed at an instant by the schedule in force then: true or false, or
 * null when nothing was set at that time (no office hours, and the day was no holiday), since a
 * call can only be evidence against settings that existed.
 */
export type ClosedAt = (ms: number) => boolean | null

/** Instants are bucketed by 15 minutes: every zone's offset is a multiple of that. */
const BUCKET_MS = 15 * 60_000
/** A judge's caches start again past this many entries (a long run's years of history pages). */
const JUDGE_CACHE_MAX = 20_000

/**
 * The office-hours and holiday schedule over time, kept with the other documents (the data
 * folder, or the shared database), so that a call is judged with the schedule in force when it
 * arrived, not with today's. Every change of what the schedule books hold is recorded (`record`)
 * with the instant it was made; the history starts the first time this app version runs, so
 * calls from before it are not judged. Several instances on one database each record what they
 * hear: the change is decided against the stored history, so it is recorded once.
 */
export class ScheduleHistory {
  private recording: Promise<void> = Promise.resolve()
  private pending: { data: ScheduleData; zone: string } | null = null
  /** The judge over the history as it is, until the history changes (see {@link closedAt}). */
  private judge: { zone: string; closedAt: ClosedAt } | null = null

  private constructor(
    private readonly store: Document<HistoryDoc>,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    // Another instance recorded a change: the next question builds a judge over it.
    store.onExternalChange(() => (this.judge = null))
  }

  static async open(opts: {
    /** Where `schedule-history.json` is kept. */
    documents: DocumentSource
    clock: Clock
    logger: Logger
  }): Promise<ScheduleHistory> {
    const docs = opts.documents
    const store = await docs.open<HistoryDoc>('schedule-history.json', {
      version: 1,
      hours: [],
      holidays: [],
    })
    return new ScheduleHistory(store, opts.clock, opts.logger)
  }

  /**
   * Records the schedule as it is now, if it differs from what is in force. Changes arriving
   * while a write runs are folded into one more write (a range of holidays moves the list once
   * per date).
   */
  record(data: ScheduleData, zone: string): Promise<void> {
    const first = this.pending === null
    this.pending = { data, zone }
    if (!first) return this.recording
    this.recording = this.recording.then(async () => {
      const next = this.pending
      this.pending = null
      if (!next) return
      try {
        await this.write(next.data, next.zone)
      } catch (err) {
        this.logger.error('The schedule history could not be written', { error: String(err) })
      }
    })
    return this.recording
  }

  /** Resolves once every recorded change is written. */
  flushed(): Promise<void> {
    return this.recording
  }

  private async write(data: ScheduleData, zone: string): Promise<void> {
    // Nothing to write (the usual case: this instance heard another's change it recorded).
    if (!differs(this.store.data, data, zone)) return
    const now = new Date(this.clock.now()).toISOString()
    try {
      await this.store.update((d) => {
        // Decided again on the stored history (on a shared database, the newest version): an
        // instance that heard the same change later finds it recorded and adds nothing.
        const { hoursChanged, started } = changesFrom(d, data, zone)
        if (hoursChanged) d.hours.push({ from: now, zone, hours: structuredClone(data.hours) })
        for (const h of d.holidays) if (h.to === null && !data.holidays.has(h.date)) h.to = now
        for (const [date, name] of started) d.holidays.push({ date, name, from: now, to: null })
        this.judge = null
      })
    } finally {
      // Again: a failed write restored the history the judge was built on.
      this.judge = null
    }
  }

  /**
   * A judge over the history as it is now: {@link ClosedAt}. The same judge answers every
   * question (a page of history, a dashboard, each stored call as it leaves main) until the
   * history changes, so it is fast per call: local days are looked up by 15-minute bucket and
   * each day's opening hours computed once per version.
   */
  closedAt(fallbackZone: string): ClosedAt {
    if (this.judge?.zone !== fallbackZone)
      this.judge = { zone: fallbackZone, closedAt: this.buildJudge(fallbackZone) }
    return this.judge.closedAt
  }

  private buildJudge(fallbackZone: string): ClosedAt {
    const versions = this.store.data.hours.map((v) => ({ at: Date.parse(v.from), v }))
    const spans = new Map<string, { from: number; to: number }[]>()
    for (const h of this.store.data.holidays) {
      const list = spans.get(h.date) ?? []
      list.push({ from: Date.parse(h.from), to: h.to === null ? Infinity : Date.parse(h.to) })
      spans.set(h.date, list)
    }
    const days = new Map<string, { date: string; start: DateTime }>()
    const intervals = new Map<string, [number, number][]>()

    return (ms) => {
      if (!Number.isFinite(ms)) return null
      const version = versionAt(versions, ms)
      const zone = version?.zone ?? fallbackZone
      const bucket = `${zone}|${Math.floor(ms / BUCKET_MS)}`
      let day = days.get(bucket)
      if (!day) {
        if (days.size >= JUDGE_CACHE_MAX) days.clear()
        const start = DateTime.fromMillis(ms, { zone }).startOf('day')
        day = { date: start.toISODate()!, start }
        days.set(bucket, day)
      }
      if (spans.get(day.date)?.some((s) => s.from <= ms && ms < s.to)) return true
      if (!version || Object.keys(version.hours).length === 0) return null
      const key = `${day.date}|${version.from}`
      let open = intervals.get(key)
      if (!open) {
        if (intervals.size >= JUDGE_CACHE_MAX) intervals.clear()
        open = hoursIntervals(day.start, version.hours)
        intervals.set(key, open)
      }
      return !open.some(([a, b]) => ms >= a && ms < b)
    }
  }
}

/** What `data` in `zone` changes against the history `doc`: new hours, holidays begun. */
function changesFrom(
  doc: HistoryDoc,
  data: ScheduleData,
  zone: string,
): { hoursChanged: boolean; ended: string[]; started: [string, string | null][] } {
  const last = doc.hours.at(-1)
  const hoursChanged =
    !last || last.zone !== zone || JSON.stringify(last.hours) !== JSON.stringify(data.hours)
  const open = new Set(doc.holidays.filter((h) => h.to === null).map((h) => h.date))
  const ended = [...open].filter((d) => !data.holidays.has(d))
  const started = [...data.holidays].filter(([d]) => !open.has(d))
  return { hoursChanged, ended, started }
}

function differs(doc: HistoryDoc, data: ScheduleData, zone: string): boolean {
  const c = changesFrom(doc, data, zone)
  return c.hoursChanged || c.ended.length > 0 || c.started.length > 0
}

/** The version in force at `ms` (the last one that started at or before it), by binary search. */
function versionAt(
  versions: readonly { at: number; v: HoursVersion }[],
  ms: number,
): HoursVersion | null {
  let lo = 0
  let hi = versions.length - 1
  let found: HoursVersion | null = null
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    if (versions[mid]!.at <= ms) {
      found = versions[mid]!.v
      lo = mid + 1
    } else hi = mid - 1
  }
  return found
}
