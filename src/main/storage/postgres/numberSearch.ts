import type pg from 'pg'
import type { Call } from '../../../shared/domain'
import { isDigits } from '../query'
import type { StoreQuery } from '../types'
import { afterCursor, clean, prepared, whereOf, type CallKey, type NumberMatch } from './callReads'

/**
 * The number search through `call_numbers` (migration 3): every number the calls hold, once per
 * role. A search's digit fragments are looked for there (a few hundred thousand short strings, not
 * a million wide rows), and the calls holding the numbers found are read through each role's
 * b-tree. The answer is the one `calls.numbers LIKE '%digits%'` gives, since `numbers` is these
 * same values joined by spaces and a fragment is digits only.
 */

/** Roles in `call_numbers`: where in a call the number is. */
const CALLER = 0
const AGENT = 1
const VIRTUAL = 2
const CALL_ID = 3

/**
 * More numbers than this holding the digits (a search for two or three digits): their calls are
 * found by scanning `calls.numbers` instead, as many calls match such a search anyway.
 */
export const MAX_LISTED_NUMBERS = 2_000

/** The numbers holding one of `fragments` (digits only), or null when there are too many to list. */
export async function findNumbers(
  pool: pg.Pool,
  fragments: readonly string[],
): Promise<NumberMatch | null> {
  // One LIKE per fragment, ORed, so that the trigram index (when there is one) serves each.
  const like = fragments.map((_, i) => `n.number LIKE $${i + 1}`).join(' OR ')
  const { rows } = await pool.query<{ number: string; role: number; started_at: string | null }>(
    prepared(
      `SELECT n.number, n.role, i.started_at::text FROM call_numbers n
         LEFT JOIN call_ids i ON n.role = ${CALL_ID} AND i.id = n.number
        WHERE ${like} LIMIT ${MAX_LISTED_NUMBERS + 1}`,
      fragments.map((f) => `%${f}%`),
    ),
  )
  if (rows.length > MAX_LISTED_NUMBERS) return null
  const m: NumberMatch = { callers: [], agents: [], virtualNumbers: [], ids: [], idStarts: [] }
  for (const r of rows) {
    if (r.role === CALLER) m.callers.push(r.number)
    else if (r.role === AGENT) m.agents.push(r.number)
    else if (r.role === VIRTUAL) m.virtualNumbers.push(r.number)
    else if (r.started_at) {
      m.ids.push(r.number)
      m.idStarts.push(r.started_at)
    }
  }
  return m
}

/**
 * Whether the numbers found are callers' and call ids, which a handful of calls each hold. An
 * agent's or a virtual number's calls are thousands: those are found walking the calls newest
 * first, where a page of them comes soon.
 */
export function fewCallsEach(m: NumberMatch): boolean {
  return m.agents.length === 0 && m.virtualNumbers.length === 0
}

/**
 * A number search over few calls (see {@link fewCallsEach}): the key of every matching call through
 * the numbers' indexes, counted, and those of the page after `cursor`, newest first (every one
 * without `limit`). Left to itself, the planner may walk every call newest first looking for them.
 */
export async function searchKeys(
  pool: pg.Pool,
  q: StoreQuery,
  zone: string,
  numbers: NumberMatch,
  page: { cursor?: string; limit?: number },
): Promise<{ total: number; keys: CallKey[] }> {
  const params: unknown[] = []
  const where = whereOf(q, zone, params, numbers)
  const after = page.cursor ? `WHERE ${afterCursor(page.cursor, params)}` : ''
  if (page.limit !== undefined) params.push(page.limit)
  const { rows } = await pool.query<{ n: number | null; s: string | null; id: string | null }>(
    prepared(
      `WITH k AS MATERIALIZED (SELECT started_at, id FROM calls ${where.sql})
       SELECT count(*)::int AS n, NULL AS s, NULL AS id FROM k
       UNION ALL
       (SELECT NULL, started_at::text, id FROM k ${after}
         ORDER BY started_at DESC, id DESC ${page.limit !== undefined ? `LIMIT $${params.length}` : ''})`,
      params,
    ),
  )
  const keys: CallKey[] = []
  let total = 0
  for (const r of rows)
    if (r.id === null) total = r.n!
    else keys.push({ startedAt: r.s!, id: r.id })
  return { total, keys }
}

/**
 * Adds the numbers of `calls` to the dictionary in the caller's transaction (in one order, so two
 * instances adding the same new number wait for each other instead of deadlocking).
 */
export async function recordNumbers(c: pg.ClientBase, calls: readonly Call[]): Promise<void> {
  const seen = new Set<string>()
  const numbers: string[] = []
  const roles: number[] = []
  const add = (raw: string | null, role: number): void => {
    const n = clean(raw)
    if (n === null || seen.has(`${role}${n}`)) return
    seen.add(`${role}${n}`)
    numbers.push(n)
    roles.push(role)
  }
  for (const call of calls) {
    add(call.callerNumber, CALLER)
    add(call.agentNumber, AGENT)
    add(call.virtualNumber, VIRTUAL)
    if (isDigits(call.id)) add(call.id, CALL_ID)
  }
  await c.query(
    `INSERT INTO call_numbers (number, role)
       SELECT n, r FROM unnest($1::text[], $2::smallint[]) AS k(n, r) ORDER BY n, r
     ON CONFLICT DO NOTHING`,
    [numbers, roles],
  )
}
