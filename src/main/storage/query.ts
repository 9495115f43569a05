import { DateTime } from 'luxon'
import type { CallStatus } from '../../shared/domain'
import { normalizePhone, phoneMatches, phoneSearchDigits } from '../../shared/phone'
import type { StoreQuery } from './types'
import { UserError } from '../ground/errors'

/**
 * The query, cursor and local-day rules every call store keeps the same way, whatever keeps the
 * calls: months and local dates in the store's zone, the order of a page, what a filter matches,
 * and the opaque keyset cursor.
 */

/**
 * What a filter looks at in one call: its start, status, numbers, department and circle. A
 * backend's own row (the data folder's index row, say) carries at least these.
 */
export interface CallKeys {
  id: string
  /** startedAt, ms since the epoch. */
  t: number
  /** 0 ANSWER, 1 MISSED, 2 DROPPED. */
  s: number
  caller: string
  agent: string | null
  virtual: string | null
  dept: string | null
  circle: string | null
}

export const STATUS_CODES: readonly CallStatus[] = ['ANSWER', 'MISSED', 'DROPPED']
export const STATUS_INDEX: Record<CallStatus, number> = { ANSWER: 0, MISSED: 1, DROPPED: 2 }

/** Local month key (`YYYY-MM`) of an instant in `zone`. */
export function monthOf(ms: number, zone: string): string {
  return localParts(ms, zone).month
}

/** The start (ms) of local date `YYYY-MM-DD` in `zone`; throws on an impossible date. */
export function startOfLocalDate(date: string, zone: string): number {
  const dt = DateTime.fromISO(date, { zone })
  if (!dt.isValid || !/^\d{4}-\d{2}-\d{2}$/.test(date))
    throw new UserError(`Invalid date: ${date} (expected YYYY-MM-DD)`, 400, ['date'])
  return dt.startOf('day').toMillis()
}

/** The start (ms) of the local day after `date`. */
export function endOfLocalDate(date: string, zone: string): number {
  return DateTime.fromMillis(startOfLocalDate(date, zone), { zone }).plus({ days: 1 }).toMillis()
}

const offsetCache = new Map<string, Map<number, number>>()

/**
 * Local month key and hour of an instant. The zone's UTC offset is looked up with luxon once per
 * quarter hour and cached (real zones change offset on such boundaries): luxon per call would
 * dominate bulk loads and journal replays.
 */
export function localParts(t: number, zone: string): { month: string; hour: number } {
  let cache = offsetCache.get(zone)
  if (!cache) offsetCache.set(zone, (cache = new Map()))
  const bucket = Math.floor(t / 900_000)
  let offset = cache.get(bucket)
  if (offset === undefined) {
    offset = DateTime.fromMillis(t, { zone }).offset
    if (cache.size > 100_000) cache.clear()
    cache.set(bucket, offset)
  }
  const d = new Date(t + offset * 60_000)
  const y = d.getUTCFullYear()
  const mo = d.getUTCMonth() + 1
  return { month: `${y}-${mo < 10 ? '0' : ''}${mo}`, hour: d.getUTCHours() }
}
/** Ascending order of rows: by start time, then id. Pages walk it backwards (newest first). */
export function compareRows(a: { t: number; id: string }, b: { t: number; id: string }): number {
  return a.t - b.t || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

/** True for a non-empty string of ASCII digits (a numeric call id). */
export function isDigits(s: string): boolean {
  if (s.length === 0) return false
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 48 || c > 57) return false
  }
  return true
}
// ---------------------------------------------------------------- filters and cursors

/** A query compiled to a time window and a row predicate. */
export interface CompiledQuery {
  /** Inclusive lower bound, exclusive upper bound (ms); infinite when open. */
  lo: number
  hi: number
  match: (r: CallKeys) => boolean
  /**
   * Set when the text search is a number: the digits every match has in one of its numbers
   * (caller, agent, virtual) or its numeric id, so a number index can supply the candidates.
   */
  digits?: string
  /** Every digit fragment the number search looks for (a match contains one of them). */
  fragments?: readonly string[]
}

/** Compiles the filters of a {@link StoreQuery}; throws a UserError on an impossible date. */
export function compileQuery(q: StoreQuery, zone: string): CompiledQuery {
  const lo = q.from ? startOfLocalDate(q.from, zone) : -Infinity
  const hi = q.to ? endOfLocalDate(q.to, zone) : Infinity
  const tests: ((r: CallKeys) => boolean)[] = []
  if (q.status) {
    const s = STATUS_INDEX[q.status]
    if (s === undefined) throw new UserError(`Invalid status: ${String(q.status)}`, 400, ['status'])
    tests.push((r) => r.s === s)
  }
  if (q.agent) {
    const agent = normalizePhone(q.agent) ?? q.agent
    tests.push((r) => r.agent === agent)
  }
  if (q.department) {
    const d = q.department.toLowerCase()
    tests.push((r) => r.dept !== null && r.dept.toLowerCase() === d)
  }
  if (q.circle) {
    const c = q.circle.toLowerCase()
    tests.push((r) => r.circle !== null && r.circle.toLowerCase() === c)
  }
  const text = q.q?.trim()
  let digitQuery: string | undefined
  let fragments: string[] | null = null
  if (text) {
    // A number, in any spelling the shared rule reads (`085978 34899` finds `+918597834899`).
    fragments = phoneSearchDigits(text)
    if (fragments) {
      const any = fragments
      // Match any stored number, or a numeric call id, containing the digits. (Digit runs inside
      // other ids, e.g. UUIDs, are noise; a text search still finds those.) The index is asked
      // for the shortest fragment, which every match contains.
      digitQuery = any.reduce((a, b) => (b.length < a.length ? b : a))
      tests.push(
        (r) =>
          phoneMatches(r.caller, any) ||
          phoneMatches(r.agent, any) ||
          phoneMatches(r.virtual, any) ||
          (isDigits(r.id) && phoneMatches(r.id, any)),
      )
    } else {
      const needle = text.toLowerCase()
      const named = new Set(q.textAgents ?? [])
      tests.push(
        (r) =>
          r.id.toLowerCase().includes(needle) ||
          (r.dept !== null && r.dept.toLowerCase().includes(needle)) ||
          (r.circle !== null && r.circle.toLowerCase().includes(needle)) ||
          (r.agent !== null && (r.agent.toLowerCase().includes(needle) || named.has(r.agent))),
      )
    }
  }
  const match =
    tests.length === 0
      ? (): boolean => true
      : (r: CallKeys): boolean => {
          for (const t of tests) if (!t(r)) return false
          return true
        }
  return { lo, hi, match, digits: digitQuery, fragments: fragments ?? undefined }
}

/** Keyset cursor: the (startedAt, id) of the last row of a page, opaque to callers. */
export function encodeCursor(r: { t: number; id: string }): string {
  return Buffer.from(JSON.stringify([r.t, r.id]), 'utf8').toString('base64url')
}

export function decodeCursor(cursor: string): { t: number; id: string } {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (Array.isArray(v) && typeof v[0] === 'number' && typeof v[1] === 'string')
      return { t: v[0], id: v[1] }
  } catch {
    // fall through to the clear error below
  }
  throw new UserError('Invalid cursor', 400, ['cursor'])
}
