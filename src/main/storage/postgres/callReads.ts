import { createHash } from 'node:crypto'
import type pg from 'pg'
import type { Call, CallRevision } from '../../../shared/domain'
import { normalizePhone } from '../../../shared/phone'
import { compileQuery, decodeCursor, STATUS_CODES } from '../query'
import { UserError } from '../../ground/errors'
import type { StoreQuery } from '../types'

/** The numbers holding a search's digits, by where a call holds them (see `holdsNumber`). */
export interface NumberMatch {
  callers: string[]
  agents: string[]
  virtualNumbers: string[]
  /** Numeric call ids, and the start of each of those calls (as PostgreSQL writes it: exact). */
  ids: string[]
  idStarts: string[]
}

/** A pool, a client in a transaction, or the {@link Database}: whatever runs one query. */
export interface Queryable {
  query<R extends pg.QueryResultRow>(text: string, params?: unknown[]): Promise<pg.QueryResult<R>>
}

/** A call row as the reads select it: enough to rebuild the call with its history. */
export interface DocRow {
  id: string
  revision: number
  doc: string
}

export const DOC_COLUMNS = 'id, revision, doc'

/**
 * A read as a named statement: each connection plans it once, then runs the plan again. Across
 * two years of month partitions, planning a number search or a dashboard's count costs more
 * than running it. Named by its text, so each shape of a read is one statement.
 */
export function prepared(text: string, values: unknown[]): pg.QueryConfig {
  const name = `ivrs_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`
  return { name, text, values }
}

/** PostgreSQL refuses NUL in text; a column copy gets U+FFFD (the call's JSON keeps it escaped). */
export const clean = <S extends string | null>(s: S): S =>
  (s === null || !s.includes('\0') ? s : s.replaceAll('\0', '\uFFFD')) as S

/**
 * The filters of a {@link StoreQuery} as SQL: the same local-day bounds (configured zone), the
 * same number and text search (agents found by name included) and the same case rules as the file
 * store's `compileQuery`, which this reuses for the bounds, the decision "is this text a number"
 * and the digit fragments a number search looks for. A number search reads the numbers found in
 * the dictionary when given them (see `numberSearch.ts`), else scans `calls.numbers`.
 */
export function whereOf(
  q: StoreQuery,
  zone: string,
  params: unknown[],
  numbers: NumberMatch | null = null,
): { sql: string; filtered: boolean } {
  const cq = compileQuery(q, zone)
  const where: string[] = []
  const p = (v: unknown): string => {
    params.push(v)
    return `$${params.length}`
  }
  if (Number.isFinite(cq.lo)) where.push(`started_at >= ${p(new Date(cq.lo))}`)
  if (Number.isFinite(cq.hi)) where.push(`started_at < ${p(new Date(cq.hi))}`)
  if (q.status) {
    const s = STATUS_CODES.indexOf(q.status)
    if (s < 0) throw new UserError(`Invalid status: ${String(q.status)}`, 400, ['status'])
    where.push(`status = ${p(s)}`)
  }
  if (q.agent) where.push(`agent = ${p(normalizePhone(q.agent) ?? q.agent)}`)
  if (q.department) where.push(`lower(department) = lower(${p(q.department)})`)
  if (q.circle) where.push(`lower(circle) = lower(${p(q.circle)})`)
  const text = q.q?.trim()
  if (cq.fragments && numbers) where.push(holdsNumber(numbers, p))
  else if (cq.fragments) {
    // Fragments are digits only: nothing in them is a LIKE wildcard.
    const any = cq.fragments.map((f) => `numbers LIKE ${p(`%${f}%`)}`)
    where.push(any.length === 1 ? any[0]! : `(${any.join(' OR ')})`)
  } else if (text) {
    const needle = p(`%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
    const named = q.textAgents?.length ? ` OR agent = ANY(${p(q.textAgents)})` : ''
    where.push(
      `(lower(id) LIKE ${needle} OR lower(department) LIKE ${needle} OR lower(circle) LIKE ${needle} OR lower(agent) LIKE ${needle}${named})`,
    )
  }
  return {
    sql: where.length > 0 ? `WHERE ${where.join(' AND ')}` : '',
    filtered: where.length > 0,
  }
}

/** "A call holding one of these numbers" (`false` when none was found). */
function holdsNumber(m: NumberMatch, p: (v: unknown) => string): string {
  const any: string[] = []
  if (m.callers.length > 0 && m.agents.length + m.virtualNumbers.length + m.ids.length === 0)
    // Callers alone (the usual search) as a semi-join: planned without weighing every number in
    // every month, which costs more than running the query when a hundred numbers match.
    return `caller IN (SELECT unnest(${p(m.callers)}::text[]))`
  if (m.callers.length > 0) any.push(`caller = ANY(${p(m.callers)})`)
  if (m.agents.length > 0) any.push(`agent = ANY(${p(m.agents)})`)
  if (m.virtualNumbers.length > 0) any.push(`virtual_number = ANY(${p(m.virtualNumbers)})`)
  // Ids are unique, so the starts of the ids found bound the same calls, through the key.
  if (m.ids.length > 0)
    any.push(`(started_at = ANY(${p(m.idStarts)}::timestamptz[]) AND id = ANY(${p(m.ids)}))`)
  return any.length === 0 ? 'false' : `(${any.join(' OR ')})`
}

/** The keyset condition after a cursor (newest first by start, then id). */
export function afterCursor(cursor: string, params: unknown[]): string {
  const c = decodeCursor(cursor)
  params.push(new Date(c.t), c.id)
  return `(started_at, id) < ($${params.length - 1}, $${params.length})`
}

/** Calls from their rows, each with its history (one query for those that have one). */
export async function callsOf(db: Queryable, rows: readonly DocRow[]): Promise<Call[]> {
  const revised = rows.filter((r) => r.revision > 1).map((r) => r.id)
  const history = new Map<string, CallRevision[]>()
  if (revised.length > 0) {
    const res = await db.query<{ call_id: string; doc: string }>(
      'SELECT call_id, doc FROM call_revisions WHERE call_id = ANY($1) ORDER BY call_id, revision',
      [revised],
    )
    for (const r of res.rows) {
      let list = history.get(r.call_id)
      if (!list) history.set(r.call_id, (list = []))
      list.push(JSON.parse(r.doc) as CallRevision)
    }
  }
  return rows.map((r) => {
    const call = JSON.parse(r.doc) as Call
    call.history = history.get(r.id) ?? []
    return call
  })
}

/** The current rows of these call ids (in no particular order). */
export async function rowsByIds(db: Queryable, ids: readonly string[]): Promise<DocRow[]> {
  if (ids.length === 0) return []
  const res = await db.query<DocRow>(
    `SELECT c.id, c.revision, c.doc FROM call_ids i
       JOIN calls c ON c.started_at = i.started_at AND c.id = i.id
      WHERE i.id = ANY($1)`,
    [ids],
  )
  return res.rows
}

/** A call's key as PostgreSQL writes its start (to the microsecond, so it finds the row again). */
export interface CallKey {
  startedAt: string
  id: string
}

/** The rows of these keys, in the keys' order. */
export async function rowsByKeys(pool: pg.Pool, keys: readonly CallKey[]): Promise<DocRow[]> {
  if (keys.length === 0) return []
  const res = await pool.query<DocRow>(
    prepared(
      `SELECT c.id, c.revision, c.doc FROM unnest($1::timestamptz[], $2::text[]) AS k(s, i)
         JOIN calls c ON c.started_at = k.s AND c.id = k.i`,
      [keys.map((k) => k.startedAt), keys.map((k) => k.id)],
    ),
  )
  const byId = new Map(res.rows.map((r) => [r.id, r]))
  return keys.flatMap((k) => byId.get(k.id) ?? [])
}
