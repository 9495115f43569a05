import type { HolidayAddResult, HolidayList, RemovalResult } from '../../shared/contract'
import { WEEKDAYS, type Weekday } from '../../shared/domain'
import type { Change, ChangeResult, Holiday, YearlyHolidayRule } from '../../shared/domain'
import type {
  HolidayAdd,
  HolidayDateRequest,
  HolidayRuleRequest,
  WeeklyRequest,
} from '../../shared/schemas'
import { UserError } from '../ground/errors'
import type { Clock } from '../ground/clock'
import type { EventBus } from '../events/bus'
import { type Document, type DocumentSource } from '../storage/documents'
import { holidayParams } from '../ivrApi/client'
import type { Outbox } from '../ivrApi/outbox'
import {
  localToday,
  occurrencesWithinYear,
  parseLocalDate,
  parseMonthDay,
  weekdayDatesWithinYear,
} from './dates'
import { changeResult } from './messages'
import { settleRecord, withLiveState } from './sentRecords'
import { closingSoonWarning, datesClosingSoon } from '../../shared/closingSoon'
import { formatDate } from '../../shared/dateTime'

type StoredHoliday = Holiday

interface HolidaysDoc {
  holidays: StoredHoliday[]
  rules: YearlyHolidayRule[]
  /** Weekdays closed every week: each date of the next twelve months is sent as a holiday. */
  weekly: Weekday[]
  /** Dates of a rule the user removed: never materialised again. */
  dismissed: string[]
}

export interface HolidayBookDeps {
  /** Where the book's document is kept. */
  documents: DocumentSource
  outbox: Outbox
  clock: Clock
  bus: EventBus
  timezone: () => string
  /** OS user name, the default `requestedBy` of changes. */
  user: string
}

/** The longest range one request may declare. */
export const MAX_RANGE_DAYS = 366

const holidayTarget = (date: string): string => `holiday:${date}`

/**
 * Holidays: single dates, ranges (one vendor request per date, in date order) and yearly rules
 * materialised for the next twelve months. The vendor API cannot remove a holiday, so removing
 * one only changes our list, and the answer says so.
 */
export class HolidayBook {
  private constructor(
    private readonly store: Document<HolidaysDoc>,
    private readonly deps: HolidayBookDeps,
  ) {
    deps.outbox.onSettled((c) => this.onSettled(c))
    // Another instance changed the list: this one's screens hear of it too.
    store.onExternalChange(() => deps.bus.emit('holidays:updated', this.list()))
  }

  static async open(deps: HolidayBookDeps): Promise<HolidayBook> {
    const docs = deps.documents
    const store = await docs.open<HolidaysDoc>('holidays.json', {
      holidays: [],
      rules: [],
      weekly: [],
      dismissed: [],
    })
    return new HolidayBook(store, deps)
  }

  list(): HolidayList {
    const holidays = [...this.store.data.holidays]
      .sort((a, b) => a.date.localeCompare(b.date))
      .map((h) => this.view(h))
    const rules = [...this.store.data.rules].sort((a, b) => a.monthDay.localeCompare(b.monthDay))
    const weekly = WEEKDAYS.filter((d) => this.store.data.weekly.includes(d))
    return { holidays, rules, weekly }
  }

  /** Dates the IVR treats as holidays as far as we know (refused ones excluded). */
  effectiveDates(): Map<string, string | null> {
    const out = new Map<string, string | null>()
    for (const h of this.store.data.holidays) {
      if (this.view(h).state !== 'refused') out.set(h.date, h.name)
    }
    return out
  }

  async add(req: HolidayAdd, user = this.deps.user): Promise<HolidayAddResult> {
    const zone = this.deps.timezone()
    const today = localToday(this.deps.clock.now(), zone)
    const closingSoon = (): void => this.checkClosingSoon(req, today.toISODate()!)
    if ('weekly' in req) {
      closingSoon()
      const day = req.weekly
      await this.write((doc) => {
        if (!doc.weekly.includes(day)) doc.weekly.push(day)
      })
      const ofDay = (r: ChangeResult): boolean =>
        this.store.data.holidays.some((h) => h.changeId === r.change.id && h.rule === day)
      const results = (await this.materialise(user)).filter(ofDay)
      return {
        results,
        rule: null,
        message:
          `Closed every ${day}: the vendor's API has no closed day, so each ${day} of the next twelve months is sent as a holiday` +
          (results.length
            ? ` (${results.length} dates: ${summarise(results)})`
            : ', all already set.') +
          ` New ${day}s are sent as time passes.`,
      }
    }
    if ('yearly' in req) {
      parseMonthDay(req.yearly)
      const name = req.name.trim()
      if (!name) throw new UserError('A yearly holiday needs a name', 400, ['name'])
      closingSoon()
      const rule = { monthDay: req.yearly, name }
      await this.write((doc) => {
        doc.rules = doc.rules.filter((r) => r.monthDay !== rule.monthDay)
        doc.rules.push(rule)
      })
      const results = await this.materialise(user)
      const dates = results.map((r) => formatDate(r.change.params.hdate ?? '')).join(', ')
      return {
        results,
        rule,
        message: `Yearly holiday "${name}" (${req.yearly}) saved.${dates ? ` Sent for ${dates}: ${summarise(results)}` : ' Its next date is already set.'}`,
      }
    }
    let dates: string[]
    if ('from' in req) {
      const from = parseLocalDate(req.from, zone, 'from')
      const to = parseLocalDate(req.to, zone, 'to')
      if (to < from) throw new UserError('The range ends before it starts', 400, ['from', 'to'])
      const days = Math.round(to.diff(from, 'days').days) + 1
      if (days > MAX_RANGE_DAYS) {
        throw new UserError(`A range can cover at most ${MAX_RANGE_DAYS} days`, 400, ['to'])
      }
      if (from < today) throw new UserError(`${formatDate(req.from)} is in the past`, 400, ['from'])
      dates = Array.from({ length: days }, (_, i) => from.plus({ days: i }).toISODate()!)
    } else {
      if (!('date' in req)) throw new UserError('Give a date, a range or a rule', 400, [])
      const d = parseLocalDate(req.date, zone)
      if (d < today) throw new UserError(`${formatDate(req.date)} is in the past`, 400, ['date'])
      dates = [req.date]
    }
    closingSoon()
    const source = 'from' in req ? 'range' : 'single'
    const name = ('name' in req ? req.name?.trim() : null) || null
    const results = await this.send(
      dates.map((date) => ({ date, name, source, rule: null })),
      user,
    )
    const message =
      results.length === 0
        ? 'Already set: nothing was sent to the vendor.'
        : results.length === 1
          ? results[0]!.message
          : `${results.length} dates sent one by one: ${summarise(results)}`
    return { results, rule: null, message }
  }

  /**
   * A request that would close the office today or tomorrow goes out only once the person
   * confirmed it (the screens ask first); dates already set change nothing and need no word.
   * @throws UserError (409, field `confirmed`) with what it would mean.
   */
  private checkClosingSoon(req: HolidayAdd, today: string): void {
    if (req.confirmed) return
    const set = this.effectiveDates()
    const soon = datesClosingSoon(req, today).filter((d) => !set.has(d))
    if (soon.length === 0) return
    throw new UserError(
      `${closingSoonWarning(soon, today)} Confirm to send it; nothing was sent.`,
      409,
      ['confirmed'],
    )
  }

  /** Removes a date from our list only: the vendor API has no call to remove a holiday. */
  async remove(req: HolidayDateRequest): Promise<RemovalResult> {
    const h = this.store.data.holidays.find((x) => x.date === req.date)
    const day = formatDate(req.date)
    if (!h) return { removed: false, message: `${day} is not in the holiday list.` }
    await this.write((doc) => {
      doc.holidays = doc.holidays.filter((x) => x.date !== req.date)
      if (h.rule && !doc.dismissed.includes(req.date)) doc.dismissed.push(req.date)
    })
    const sent = this.view(h).state !== 'refused'
    return {
      removed: true,
      message: sent
        ? `Removed ${day} from this list: this app no longer counts it as closed (open now, calls flagged outside hours, the dashboard). It is still a holiday at the vendor, whose API cannot remove one: callers still hear the holiday message on ${day} unless the vendor removes it. Ask the vendor to.`
        : `Removed ${day} from this list (the vendor had refused it, so nothing is set there).`,
    }
  }

  /** Removes a yearly rule; dates already sent stay holidays at the vendor (and in our list). */
  async removeRule(req: HolidayRuleRequest): Promise<RemovalResult> {
    const rule = this.store.data.rules.find((r) => r.monthDay === req.monthDay)
    if (!rule) return { removed: false, message: `No yearly holiday on ${req.monthDay}.` }
    await this.write((doc) => {
      doc.rules = doc.rules.filter((r) => r.monthDay !== req.monthDay)
    })
    const still = this.store.data.holidays.filter((h) => h.rule === req.monthDay).map((h) => h.date)
    return {
      removed: true,
      message:
        `Yearly holiday "${rule.name}" removed: no new dates will be sent.` +
        (still.length
          ? ` Dates already sent (${still.map(formatDate).join(', ')}) stay holidays at the vendor: its API cannot remove a holiday. Remove them from the list to stop treating them as holidays here.`
          : ''),
    }
  }

  /** Stops closing a weekday every week; dates already sent stay (the vendor cannot undo them). */
  async removeWeekly(req: WeeklyRequest): Promise<RemovalResult> {
    if (!this.store.data.weekly.includes(req.day))
      return { removed: false, message: `${req.day} is not closed every week.` }
    await this.write((doc) => {
      doc.weekly = doc.weekly.filter((d) => d !== req.day)
    })
    const still = this.store.data.holidays.filter(
      (h) => h.source === 'weekly' && h.rule === req.day,
    )
    return {
      removed: true,
      message:
        `${req.day}s are no longer closed every week: no new dates will be sent.` +
        (still.length
          ? ` The ${still.length} dates already sent stay holidays at the vendor: its API cannot remove a holiday. Remove them from the list to stop treating them as holidays here.`
          : ''),
    }
  }

  /**
   * Sends the dates of every yearly rule and every weekday closed each week in the next twelve
   * months that are not set yet (run at start and every few hours, so they renew as time passes).
   */
  async materialise(user = this.deps.user): Promise<ChangeResult[]> {
    const today = localToday(this.deps.clock.now(), this.deps.timezone())
    const known = new Set(this.store.data.holidays.map((h) => h.date))
    const dismissed = new Set(this.store.data.dismissed)
    const due: {
      date: string
      name: string | null
      source: Holiday['source']
      rule: string
    }[] = []
    for (const rule of this.store.data.rules) {
      for (const date of occurrencesWithinYear(rule.monthDay, today)) {
        if (!known.has(date) && !dismissed.has(date))
          due.push({ date, name: rule.name, source: 'yearly', rule: rule.monthDay })
      }
    }
    for (const day of this.store.data.weekly) {
      for (const date of weekdayDatesWithinYear(WEEKDAYS.indexOf(day) + 1, today)) {
        if (!known.has(date) && !dismissed.has(date) && !due.some((d) => d.date === date))
          due.push({ date, name: `Closed every ${day}`, source: 'weekly', rule: day })
      }
    }
    due.sort((a, b) => a.date.localeCompare(b.date))
    return this.send(due, user)
  }

  /** Enqueues one change per date (date order), records them, then waits for first answers. */
  private async send(
    items: { date: string; name: string | null; source: Holiday['source']; rule: string | null }[],
    user: string,
  ): Promise<ChangeResult[]> {
    const queued: Change[] = []
    for (const { date, name, source, rule } of items) {
      const existing = this.store.data.holidays.find((h) => h.date === date)
      if (existing && this.view(existing).state !== 'refused') continue
      const change = await this.deps.outbox.enqueue({
        kind: 'holiday',
        target: holidayTarget(date),
        params: holidayParams(date),
        summary: `Holiday on ${date}${name ? ` (${name})` : ''}`,
        requestedBy: user,
      })
      await this.write((doc) => {
        doc.holidays = doc.holidays.filter((h) => h.date !== date)
        doc.holidays.push({
          date,
          name,
          source,
          rule,
          state: 'pending',
          vendorAnswer: null,
          changeId: change.id,
        })
      })
      // The worker may have settled it before the record existed.
      const now = this.deps.outbox.get(change.id)
      if (now && now.state !== 'pending') await this.onSettled(now)
      queued.push(change)
    }
    const settled = await Promise.all(queued.map((c) => this.deps.outbox.waitFor(c.id)))
    return settled.map(changeResult)
  }

  private async onSettled(c: Change): Promise<void> {
    if (c.kind !== 'holiday') return
    if (!this.store.data.holidays.some((h) => h.changeId === c.id)) return
    await this.write((doc) =>
      settleRecord(
        doc.holidays.find((x) => x.changeId === c.id),
        c,
      ),
    )
  }

  /** Writes the document, then tells everyone the list as it now is (`holidays:updated`). */
  private async write(fn: (doc: HolidaysDoc) => void): Promise<void> {
    await this.store.update(fn)
    this.deps.bus.emit('holidays:updated', this.list())
  }

  /** The stored record with the live state of its change, when the outbox still has it. */
  private view(h: StoredHoliday): Holiday {
    return withLiveState(h, this.deps.outbox)
  }
}

function summarise(results: ChangeResult[]): string {
  const n = (s: string): number => results.filter((r) => r.change.state === s).length
  const parts = [
    n('confirmed') && `${n('confirmed')} confirmed`,
    n('pending') && `${n('pending')} queued (vendor not reachable yet, retried automatically)`,
    n('refused') && `${n('refused')} refused`,
  ].filter(Boolean)
  return parts.join(', ') + '.'
}
