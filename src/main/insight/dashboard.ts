import { DateTime } from 'luxon'
import type { CallStatus } from '../../shared/domain'
import type { Dashboard, DashboardRange, StatusBreakdown } from '../../shared/dashboard'
import type { CallStore, CallSummary } from '../storage/types'

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
  /** Any call store; one with a `summaries(from, to)` method (FileCallStore) is read from its index. */
  store: CallStore
  range: DashboardRange
  /** ms since the epoch: "today" is its local date in `timezone`. */
  now: number
  timezone: string
  /** Display name of an agent by normalised number, or null when unknown. */
  agentName: (normalizedNumber: string) => string | null
  callbacks: CallbackRecord[]
  /** Whether the office was closed at an instant by the schedule then (null: nothing set). */
  closedAt?: (ms: number) => boolean | null
}

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
  const calls = await loadSummaries(opts.store, from, to, zone)

  const perHour = Array.from({ length: 24 }, (_, hour) => ({ hour, ...emptyBreakdown() }))
  const agents = new Map<string, StatusBreakdown & { talkSeconds: number }>()
  const depts = new Map<string, StatusBreakdown>()
  const circles = new Map<string, StatusBreakdown>()
  const dropoff = new Map<string, number>(DROPOFF.map(([label]) => [label, 0]))
  const totals = { total: 0, answered: 0, missed: 0, dropped: 0 }
  const inHours = { total: 0, answered: 0, missed: 0, dropped: 0 }
  const afterHours = { total: 0, answered: 0, missed: 0, dropped: 0 }
  const closedAt = opts.closedAt ?? (() => null)
  let ivrSum = 0
  let ivrN = 0
  let talkSum = 0
  let talkN = 0

  for (const c of calls) {
    const key = statusKey(c.status)
    totals.total++
    totals[key]++
    const part = closedAt(c.startedAtMs) === true ? afterHours : inHours
    part.total++
    part[key]++
    perHour[c.hour]![key]++
    if (c.ivrSeconds !== null) {
      ivrSum += c.ivrSeconds
      ivrN++
    }
    if (c.status === 'ANSWER' && c.talkSeconds !== null) {
      talkSum += c.talkSeconds
      talkN++
    }
    if (c.agentNumber !== null) {
      const a = bump(agents, c.agentNumber, () => ({ ...emptyBreakdown(), talkSeconds: 0 }), key)
      a.talkSeconds += c.talkSeconds ?? 0
    }
    bump(depts, c.department ?? '(none)', emptyBreakdown, key)
    bump(circles, c.circle ?? '(none)', emptyBreakdown, key)
    if (c.status === 'DROPPED') {
      const label =
        c.ivrSeconds === null
          ? 'unknown'
          : DROPOFF.find(([, lo, hi]) => c.ivrSeconds! >= lo && c.ivrSeconds! < hi)![0]
      dropoff.set(label, (dropoff.get(label) ?? 0) + 1)
    }
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
      avgIvrSeconds: ivrN ? ivrSum / ivrN : null,
      avgTalkSeconds: talkN ? talkSum / talkN : null,
      calledBackByUs: ours.length,
      rangAgainAnswered: inRange.length - ours.length,
      medianCallbackMinutes: median(minutes),
    },
    inHours: withRate(inHours),
    afterHours: withRate(afterHours),
    perHour,
    perAgent: [...agents]
      .map(([agentNumber, v]) => ({ agentNumber, name: opts.agentName(agentNumber), ...v }))
      .sort(byTotal),
    perDepartment: [...depts].map(([department, v]) => ({ department, ...v })).sort(byTotal),
    perCircle: [...circles].map(([circle, v]) => ({ circle, ...v })).sort(byTotal),
    ivrDropoff: [...dropoff]
      .filter(([bucket, n]) => bucket !== 'unknown' || n > 0)
      .map(([bucket, dropped]) => ({ bucket, dropped })),
  }
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

function bump<T extends StatusBreakdown>(
  map: Map<string, T>,
  key: string,
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
