import { DateTime } from 'luxon'
import type { CallCounts, CallStatus } from '../../shared/domain'
import type { Dashboard, DashboardRange, StatusBreakdown } from '../../shared/dashboard'
import { emptyTally, type CallStore, type CallSummary, type CallTally } from '../storage/types'

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
   * Any call store; one with a `tally` method (PostgreSQL) counts in place, one with a
   * `summaries(from, to)` method (FileCallStore) is read from its index.
   */
  store: CallStore
  range: DashboardRange
  /** ms since the epoch: "today" is its local date in `timezone`. */
  now: number
  timezone: string
  /** Display name of an agent by normalised number, or null when unknown. */
  agentName: (normalizedNumber: string) => string | null
  callbacks: CallbackRecord[]
  /** Whether the office was closed at an instant by the schedule then (null: nothing set). */
  closedAt?: ClosedAt
}

type ClosedAt = (ms: number) => boolean | null

const RANGE_DAYS: Record<DashboardRange, number> = { today: 1, '7d': 7, '30d': 30 }

/** IVR drop-off buckets: [label, lower bound inclusive, upper bound exclusive] in seconds. */
const DROPOFF: readonly [string, number, number][] = [
  ['0-10s', 0, 10],
  ['10-30s', 10, 30],
  ['30-60s', 30, 60],
  ['60-120s', 60, 120],
  ['120s+', 120, Infinity],
]

interface SummarySource {
  summaries(from: string, to: string): CallSummary[]
}

/** A store that counts the dashboard's figures itself (PostgreSQL: in SQL, next to the calls). */
interface TallySource {
  tally(from: string, to: string, closedAt?: ClosedAt): Promise<CallTally>
}

/**
 * Dashboard aggregates for today, the last 7 or the last 30 local days (today included), with day
 * and hour boundaries in `timezone`. Averages: IVR wait over calls that report it; talk time over
 * ANSWER calls that report it. Call-backs count items whose missed call falls in the range, ours
 * (marked) apart from the caller's own answered call; the median is over our call-backs only,
 * minutes from the last missed call to the mark. In/after hours follow `closedAt`. DROPPED calls without an IVR
 * duration appear in an extra `unknown` drop-off bucket only when there are some.
 */
export async function computeDashboard(opts: DashboardOptions): Promise<Dashboard> {
  const { timezone: zone } = opts
  const today = DateTime.fromMillis(opts.now, { zone }).startOf('day')
  const from = today.minus({ days: RANGE_DAYS[opts.range] - 1 }).toISODate()!
  const to = today.toISODate()!
  const t = await tallyCalls(opts.store, from, to, zone, opts.closedAt)

  const totals = counts(t.byStatus)
  const afterHours = counts(t.closed)
  const inHours = counts({
    answered: t.byStatus.answered - t.closed.answered,
    missed: t.byStatus.missed - t.closed.missed,
    dropped: t.byStatus.dropped - t.closed.dropped,
  })
  const dropoff = new Map<string, number>(DROPOFF.map(([label]) => [label, 0]))
  for (const [ivr, n] of t.droppedByIvr) {
    const label = ivr === null ? 'unknown' : DROPOFF.find(([, lo, hi]) => ivr >= lo && ivr < hi)![0]
    dropoff.set(label, (dropoff.get(label) ?? 0) + n)
  }

  const inRange = opts.callbacks.filter((cb) => {
    const d = cb.startedAtDate ?? DateTime.fromISO(cb.lastMissedAt, { zone }).toISODate()
    return d !== null && d >= from && d <= to
  })
  const ours = inRange.filter((cb) => cb.by === 'us')
  const minutes = ours
    .map((cb) => (Date.parse(cb.settledAt) - Date.parse(cb.lastMissedAt)) / 60_000)
    .filter((m) => Number.isFinite(m) && m >= 0)

  const byTotal = (a: StatusBreakdown, b: StatusBreakdown): number => sum(b) - sum(a)
  return {
    range: opts.range,
    from,
    to,
    timezone: zone,
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
    perHour: t.perHour.map((b, hour) => ({ hour, ...b })),
    perAgent: [...t.agents]
      .map(([agentNumber, v]) => ({ agentNumber, name: opts.agentName(agentNumber), ...v }))
      .sort(byTotal),
    perDepartment: [...named(t.departments)]
      .map(([department, v]) => ({ department, ...v }))
      .sort(byTotal),
    perCircle: [...named(t.circles)].map(([circle, v]) => ({ circle, ...v })).sort(byTotal),
    ivrDropoff: [...dropoff]
      .filter(([bucket, n]) => bucket !== 'unknown' || n > 0)
      .map(([bucket, dropped]) => ({ bucket, dropped })),
  }
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
  closedAt?: ClosedAt,
): Promise<CallTally> {
  const counting = store as CallStore & Partial<TallySource>
  if (typeof counting.tally === 'function') return counting.tally(from, to, closedAt)
  return tallySummaries(await loadSummaries(store, from, to, zone), closedAt)
}

/** Counts calls into a {@link CallTally}, newest first as summaries come (the maps' order). */
export function tallySummaries(calls: Iterable<CallSummary>, closedAt?: ClosedAt): CallTally {
  const t = emptyTally()
  for (const c of calls) {
    const key = statusKey(c.status)
    t.byStatus[key]++
    if (closedAt?.(c.startedAtMs) === true) t.closed[key]++
    t.perHour[c.hour]![key]++
    if (c.ivrSeconds !== null) {
      t.ivrSeconds.sum += c.ivrSeconds
      t.ivrSeconds.n++
    }
    if (c.status === 'ANSWER' && c.talkSeconds !== null) {
      t.talkSeconds.sum += c.talkSeconds
      t.talkSeconds.n++
    }
    if (c.agentNumber !== null) {
      const a = bump(t.agents, c.agentNumber, () => ({ ...emptyBreakdown(), talkSeconds: 0 }), key)
      a.talkSeconds += c.talkSeconds ?? 0
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
  const fast = store as CallStore & Partial<SummarySource>
  if (typeof fast.summaries === 'function') return fast.summaries(from, to)
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
