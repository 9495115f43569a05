import { DateTime } from 'luxon'
import type { CallCounts, CallStatus } from '../../shared/domain'
import {
  DEFAULT_SERVICE_LEVEL_SECONDS,
  type AgentFigures,
  type Dashboard,
  type DashboardRange,
  type PeriodFigures,
  type ServiceLevel,
  type StatusBreakdown,
} from '../../shared/dashboard'
import { chosenRange, daysIn, periodBefore, presetDates } from '../../shared/periods'
import { UserError } from '../ground/errors'
import {
  emptyTally,
  type CallStore,
  type CallSummary,
  type CallTally,
  type TallyOptions,
} from '../storage/types'

/** A missed-call item that was settled by a call: ours (marked), or the caller's answered one. */
export interface CallbackRecord {
  /** `us`: the staff marked it called back; `caller`: a later call from the number was answered. */
  by: 'us' | 'caller'
  /** When it was settled (ISO instant). */
  settledAt: string
  /** The last missed call of the item (ISO instant). */
  lastMissedAt: string
  /** Local date the item counts on; default: the local date of `lastMissedAt`. */
  startedAtDate?: string
}

export interface DashboardOptions {
  /**
   * Any call store; one that can `tally` (PostgreSQL) counts in place, one that has `summaries`
   * (the data folder's) is read from its index.
   */
  store: CallStore
  range: DashboardRange
  /** The chosen range's first and last local date (`custom` only). */
  from?: string
  to?: string
  /** ms since the epoch: "today" is its local date in `timezone`. */
  now: number
  timezone: string
  /** Display name of an agent by normalised number, or null when unknown. */
  agentName: (normalizedNumber: string) => string | null
  callbacks: CallbackRecord[]
  /** Whether the office was closed at an instant by the schedule then (null: nothing set). */
  closedAt?: ClosedAt
  /** The team's service-level target (default {@link DEFAULT_SERVICE_LEVEL_SECONDS}). */
  serviceLevelSeconds?: number
  /** Who was available when, for each agent's "missed while available". */
  availability?: Availability
}

/** The agents of the directory with their department, and when each was available. */
export interface Availability {
  agents: readonly { normalizedNumber: string; department: string | null }[]
  /** Whether the agent's confirmed status was AVAIL at an instant. */
  availableAt: (normalizedNumber: string, ms: number) => boolean
}

type ClosedAt = (ms: number) => boolean | null

/** IVR drop-off buckets: [label, lower bound inclusive, upper bound exclusive] in seconds. */
const DROPOFF: readonly [string, number, number][] = [
  ['0-10s', 0, 10],
  ['10-30s', 10, 30],
  ['30-60s', 30, 60],
  ['60-120s', 60, 120],
  ['120s+', 120, Infinity],
]

/**
 * The local dates a range covers: a preset from today (its local date at `now`), or a chosen
 * range (days after today cut, at most a year); a range that cannot be counted is a user error.
 */
export function dashboardPeriod(
  o: Pick<DashboardOptions, 'range' | 'from' | 'to' | 'now' | 'timezone'>,
): { from: string; to: string } {
  const today = DateTime.fromMillis(o.now, { zone: o.timezone }).toISODate()!
  if (o.range !== 'custom') return presetDates(o.range, today)
  if (!o.from || !o.to)
    throw new UserError('A chosen range needs its first and last day', 400, ['from', 'to'])
  const chosen = chosenRange(o.from, o.to, today)
  if ('error' in chosen) throw new UserError(chosen.error, 400, ['from', 'to'])
  return chosen
}

/**
 * Dashboard aggregates for a period (today, yesterday, the last 7 or 30 local days with today, or a
 * chosen range), with day and hour boundaries in `timezone`, and the headline figures of the
 * same number of days right before it: when the period runs until now, the one before is cut at
 * the same time of day (today until 3 pm beside yesterday until 3 pm), so the two compare.
 * Averages: IVR wait over calls that report it; talk time over ANSWER calls that report it.
 * Call-backs count items whose missed call falls in the range, ours (marked) apart from the
 * caller's own answered call; the median is over our call-backs only, minutes from the last
 * missed call to the mark. In/after hours follow `closedAt`. Service level: answered within the
 * target's seconds of IVR wait, over every call. DROPPED calls without an IVR duration appear in
 * an extra `unknown` drop-off bucket only when there are some.
 */
export async function computeDashboard(opts: DashboardOptions): Promise<Dashboard> {
  const { timezone: zone } = opts
  const { from, to } = dashboardPeriod(opts)
  const now = DateTime.fromMillis(opts.now, { zone })
  const days = daysIn(from, to)
  const before = periodBefore(from, to)
  // A period that runs until now is compared with the one before up to the same time of day.
  const beforeUntil = to === now.toISODate() ? now.minus({ days }).toMillis() : undefined
  const serviceSeconds = opts.serviceLevelSeconds ?? DEFAULT_SERVICE_LEVEL_SECONDS
  const counting = { closedAt: opts.closedAt, serviceSeconds }
  const [t, p] = await Promise.all([
    tallyCalls(opts.store, from, to, zone, {
      ...counting,
      missedStarts: (opts.availability?.agents.length ?? 0) > 0,
    }),
    tallyCalls(opts.store, before.from, before.to, zone, {
      ...counting,
      until: beforeUntil,
      scope: 'totals',
    }),
  ])

  const dropoff = new Map<string, number>(DROPOFF.map(([label]) => [label, 0]))
  for (const [ivr, n] of t.droppedByIvr) {
    const label = ivr === null ? 'unknown' : DROPOFF.find(([, lo, hi]) => ivr >= lo && ivr < hi)![0]
    dropoff.set(label, (dropoff.get(label) ?? 0) + n)
  }
  const byTotal = (a: StatusBreakdown, b: StatusBreakdown): number => sum(b) - sum(a)
  const figures = (tally: CallTally, period: { from: string; to: string }, until?: number) =>
    periodFigures(tally, period, until, opts.callbacks, zone, serviceSeconds)
  return {
    range: opts.range,
    timezone: zone,
    ...figures(t, { from, to }),
    previous: figures(p, before, beforeUntil),
    perHour: t.perHour.map((b, hour) => ({ hour, ...b })),
    perAgent: agentFigures(t, opts).sort(byTotal),
    perDepartment: [...named(t.departments)]
      .map(([department, v]) => ({ department, ...v }))
      .sort(byTotal),
    perCircle: [...named(t.circles)].map(([circle, v]) => ({ circle, ...v })).sort(byTotal),
    ivrDropoff: [...dropoff]
      .filter(([bucket, n]) => bucket !== 'unknown' || n > 0)
      .map(([bucket, dropped]) => ({ bucket, dropped })),
  }
}

/** A period's headline figures from its tally and the call-backs of its missed calls. */
function periodFigures(
  t: CallTally,
  period: { from: string; to: string },
  until: number | undefined,
  callbacks: readonly CallbackRecord[],
  zone: string,
  serviceSeconds: number,
): PeriodFigures {
  const totals = counts(t.byStatus)
  const afterHours = counts(t.closed)
  const inHours = counts({
    answered: t.byStatus.answered - t.closed.answered,
    missed: t.byStatus.missed - t.closed.missed,
    dropped: t.byStatus.dropped - t.closed.dropped,
  })
  const inRange = callbacks.filter((cb) => {
    const d = cb.startedAtDate ?? DateTime.fromISO(cb.lastMissedAt, { zone }).toISODate()
    if (d === null || d < period.from || d > period.to) return false
    return until === undefined || Date.parse(cb.lastMissedAt) < until
  })
  const ours = inRange.filter((cb) => cb.by === 'us')
  const minutes = ours
    .map((cb) => (Date.parse(cb.settledAt) - Date.parse(cb.lastMissedAt)) / 60_000)
    .filter((m) => Number.isFinite(m) && m >= 0)
  const level = (answeredWithin: number, total: number): ServiceLevel => ({
    seconds: serviceSeconds,
    answeredWithin,
    total,
    rate: total ? answeredWithin / total : null,
  })
  return {
    ...period,
    until: until === undefined ? null : new Date(until).toISOString(),
    totals: {
      ...totals,
      answerRate: totals.total ? totals.answered / totals.total : null,
      avgIvrSeconds: t.ivrSeconds.n ? t.ivrSeconds.sum / t.ivrSeconds.n : null,
      avgTalkSeconds: t.talkSeconds.n ? t.talkSeconds.sum / t.talkSeconds.n : null,
      calledBackByUs: ours.length,
      rangAgainAnswered: inRange.length - ours.length,
      medianCallbackMinutes: median(minutes),
    },
    inHours: withRate(inHours),
    afterHours: withRate(afterHours),
    serviceLevel: level(t.answeredWithin, totals.total),
    serviceLevelInHours: level(t.answeredWithin - t.closedAnsweredWithin, inHours.total),
  }
}

/**
 * Each agent's figures: the calls that named them, and the missed calls of their department that
 * named nobody and came in office hours while they were available (see {@link AgentFigures}).
 * Agents of the directory with no call of their own but such missed calls are listed too.
 */
function agentFigures(t: CallTally, opts: DashboardOptions): AgentFigures[] {
  // The unassigned misses of each department (any case) that came in office hours, judged once.
  const inHours = new Map<string, number[]>()
  for (const [department, starts] of t.unassignedMissed) {
    if (department === null) continue
    const key = departmentKey(department)
    const list = inHours.get(key) ?? []
    for (const ms of starts) if (opts.closedAt?.(ms) !== true) list.push(ms)
    inHours.set(key, list)
  }
  const whileAvailable = new Map<string, number>()
  for (const agent of opts.availability?.agents ?? []) {
    if (agent.department === null) continue
    let n = 0
    for (const ms of inHours.get(departmentKey(agent.department)) ?? [])
      if (opts.availability!.availableAt(agent.normalizedNumber, ms)) n++
    if (n > 0) whileAvailable.set(agent.normalizedNumber, n)
  }
  const rows: AgentFigures[] = [...t.agents].map(([agentNumber, v]) => ({
    agentNumber,
    name: opts.agentName(agentNumber),
    answered: v.answered,
    missed: v.missed,
    dropped: v.dropped,
    talkSeconds: v.talkSeconds,
    avgHandlingSeconds: v.answered ? v.talkSeconds / v.answered : null,
    missedWhileAvailable: v.missed + (whileAvailable.get(agentNumber) ?? 0),
    lastCallAt: new Date(v.lastCallMs).toISOString(),
  }))
  for (const [agentNumber, n] of whileAvailable)
    if (!t.agents.has(agentNumber))
      rows.push({
        agentNumber,
        name: opts.agentName(agentNumber),
        ...emptyBreakdown(),
        talkSeconds: 0,
        avgHandlingSeconds: null,
        missedWhileAvailable: n,
        lastCallAt: null,
      })
  return rows
}

/** Departments are one whatever their case or spaces (`support` and ` Support` alike). */
function departmentKey(department: string): string {
  return department.trim().toLowerCase()
}

/**
 * The tally of the calls between two local dates (inclusive): the store's own when it counts in
 * place, else counted here from its summaries.
 */
export async function tallyCalls(
  store: CallStore,
  from: string,
  to: string,
  zone: string,
  options: TallyOptions = {},
): Promise<CallTally> {
  if (store.tally) return store.tally(from, to, options)
  return tallySummaries(await loadSummaries(store, from, to, zone), options)
}

/** Counts calls into a {@link CallTally}, newest first as summaries come (the maps' order). */
export function tallySummaries(calls: Iterable<CallSummary>, o: TallyOptions = {}): CallTally {
  const t = emptyTally()
  const within = o.serviceSeconds ?? -1
  for (const c of calls) {
    if (o.until !== undefined && c.startedAtMs >= o.until) continue
    const key = statusKey(c.status)
    const closed = o.closedAt?.(c.startedAtMs) === true
    t.byStatus[key]++
    if (closed) t.closed[key]++
    if (c.status === 'ANSWER' && c.ivrSeconds !== null && c.ivrSeconds <= within) {
      t.answeredWithin++
      if (closed) t.closedAnsweredWithin++
    }
    if (c.ivrSeconds !== null) {
      t.ivrSeconds.sum += c.ivrSeconds
      t.ivrSeconds.n++
    }
    if (c.status === 'ANSWER' && c.talkSeconds !== null) {
      t.talkSeconds.sum += c.talkSeconds
      t.talkSeconds.n++
    }
    if (o.scope === 'totals') continue
    t.perHour[c.hour]![key]++
    if (c.agentNumber !== null) {
      const a = bump(
        t.agents,
        c.agentNumber,
        () => ({ ...emptyBreakdown(), talkSeconds: 0, lastCallMs: c.startedAtMs }),
        key,
      )
      a.talkSeconds += c.talkSeconds ?? 0
      if (c.startedAtMs > a.lastCallMs) a.lastCallMs = c.startedAtMs
    } else if (o.missedStarts && c.status === 'MISSED') {
      const starts = t.unassignedMissed.get(c.department)
      if (starts) starts.push(c.startedAtMs)
      else t.unassignedMissed.set(c.department, [c.startedAtMs])
    }
    bump(t.departments, c.department, emptyBreakdown, key)
    bump(t.circles, c.circle, emptyBreakdown, key)
    if (c.status === 'DROPPED')
      t.droppedByIvr.set(c.ivrSeconds, (t.droppedByIvr.get(c.ivrSeconds) ?? 0) + 1)
  }
  return t
}

/** Keys as the dashboard names them, `(none)` for none (one entry with a key so named). */
function named(map: Map<string | null, StatusBreakdown>): Map<string, StatusBreakdown> {
  const out = new Map<string, StatusBreakdown>()
  for (const [key, v] of map) {
    const name = key ?? '(none)'
    const seen = out.get(name)
    if (!seen) out.set(name, { ...v })
    else {
      seen.answered += v.answered
      seen.missed += v.missed
      seen.dropped += v.dropped
    }
  }
  return out
}

function counts(b: StatusBreakdown): CallCounts {
  return { total: sum(b), ...b }
}

/**
 * Compact summaries of the calls between two local dates (inclusive), newest first: from the
 * store's in-memory rows when it has them (FileCallStore), else from the calls themselves.
 */
export async function loadSummaries(
  store: CallStore,
  from: string,
  to: string,
  zone: string,
): Promise<CallSummary[]> {
  if (store.summaries) return store.summaries(from, to)
  const out: CallSummary[] = []
  for await (const c of store.iterate({ from, to })) {
    const t = Date.parse(c.startedAt)
    out.push({
      startedAtMs: t,
      hour: DateTime.fromMillis(t, { zone }).hour,
      status: c.status,
      agentNumber: c.agentNumber,
      department: c.department,
      circle: c.circle,
      ivrSeconds: c.ivrSeconds,
      talkSeconds: c.talkSeconds,
    })
  }
  return out
}

function withRate<T extends { total: number; answered: number }>(
  c: T,
): T & { answerRate: number | null } {
  return { ...c, answerRate: c.total ? c.answered / c.total : null }
}

function statusKey(s: CallStatus): keyof StatusBreakdown {
  return s === 'ANSWER' ? 'answered' : s === 'MISSED' ? 'missed' : 'dropped'
}

function emptyBreakdown(): StatusBreakdown {
  return { answered: 0, missed: 0, dropped: 0 }
}

function bump<K, T extends StatusBreakdown>(
  map: Map<K, T>,
  key: K,
  make: () => T,
  status: keyof StatusBreakdown,
): T {
  let v = map.get(key)
  if (!v) {
    v = make()
    map.set(key, v)
  }
  v[status]++
  return v
}

function sum(b: StatusBreakdown): number {
  return b.answered + b.missed + b.dropped
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}
