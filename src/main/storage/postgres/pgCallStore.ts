import type pg from 'pg'
import type {
  Call,
  CallCounts,
  CallFields,
  CallPage,
  CallQuery,
  RawParams,
} from '../../../shared/domain'
import { normalizePhone } from '../../../shared/phone'
import type { Clock } from '../../ground/clock'
import type { Logger } from '../../ground/logger'
import { compileQuery, encodeCursor, endOfLocalDate, isDigits, startOfLocalDate } from '../query'
import { BY_CALLER_CAP, decide, KEPT_REVISIONS } from '../callVersions'
import type {
  CallStore,
  CallSummary,
  CallTally,
  StoredCall,
  TallyOptions,
  StoreQuery,
  UpsertResult,
} from '../types'
import { STATUS_CODES } from '../query'
import { chunkByJsonSize, isTransient, MAX_NOTIFY_BYTES, type Database } from './database'
import {
  afterCursor,
  callsOf,
  clean,
  DOC_COLUMNS,
  rowsByIds,
  rowsByKeys,
  whereOf,
  type DocRow,
  type NumberMatch,
} from './callReads'
import { tallyCalls } from './callTally'
import { fewCallsEach, findNumbers, recordNumbers, searchKeys } from './numberSearch'
import type { Notifications } from './notifications'
import { MonthPartitions } from './partitions'
import { StoredCallSubscribers } from '../storedCalls'

export interface PgCallStoreOptions {
  db: Database
  /** Where other instances' calls are heard (null: this store does not listen, e.g. a tool). */
  notifications: Notifications | null
  /** IANA zone of local dates and hours (e.g. `Asia/Kolkata`). */
  timezone: string
  clock: Clock
  logger: Logger
  /** Pushes decided and written in one transaction at most (default 250). */
  maxBatch?: number
}

interface Pending {
  fields: CallFields
  raw: RawParams
  receivedAt: string
  resolve: (r: UpsertResult) => void
  reject: (err: unknown) => void
}

/** `[id, 'c' | 'u']` per call of a commit, and the newest receipt among them. */
interface CallsNotice {
  r: string
  c: [string, 'c' | 'u'][]
}

const STATUS_INDEX = new Map(STATUS_CODES.map((s, i) => [s, i]))

type SummaryRow = [
  number,
  number,
  number,
  string | null,
  string | null,
  string | null,
  number | null,
  number | null,
]

/**
 * The call store on PostgreSQL (see `types.ts` for the contract and `migrations.ts` for the
 * tables). `upsert` answers only after COMMIT; pushes that arrive while a transaction runs are
 * decided and written together in the next one (group commit), so the cost per push does not
 * grow with the load, and each push still waits for the commit that holds it. Idempotent by call
 * id through `call_ids` (INSERT … ON CONFLICT), whose row lock also serialises instances pushing
 * the same id; a changed push moves the earlier version to `call_revisions`, bounded as the file
 * store bounds it. Every commit NOTIFYs the ids it stored, so other instances announce them too.
 */
export class PgCallStore implements CallStore {
  private queue: Pending[] = []
  private flushing: Promise<void> | null = null
  private lastPush: string | null = null
  private count = 0
  private closed = false
  private readonly stored: StoredCallSubscribers
  private remoteChain: Promise<void> = Promise.resolve()
  private lastCounts: { date: string; counts: CallCounts } | null = null

  private constructor(
    private readonly opts: PgCallStoreOptions,
    private readonly partitions: MonthPartitions,
  ) {
    this.stored = new StoredCallSubscribers(opts.logger)
  }

  static async open(opts: PgCallStoreOptions): Promise<PgCallStore> {
    const { db } = opts
    const partitions = await MonthPartitions.open(db, opts.timezone, opts.clock.now())
    const store = new PgCallStore(opts, partitions)
    const [last, size] = await Promise.all([
      db.query<{ at: Date | null }>('SELECT max(received_at) AS at FROM calls'),
      db.query<{ n: string }>('SELECT count(*) AS n FROM call_ids'),
    ])
    store.lastPush = last.rows[0]?.at?.toISOString() ?? null
    store.count = Number(size.rows[0]?.n ?? 0)
    opts.notifications?.on('calls', (d) => store.heard(d as CallsNotice))
    opts.notifications?.onResync(() => void store.resync())
    opts.logger.info('call store opened (PostgreSQL)', { database: db.where, calls: store.count })
    return store
  }

  /**
   * Every call stored: this instance's once committed, another instance's once its notification
   * came and the call was read back.
   */
  onStored(fn: (stored: StoredCall) => void): () => void {
    return this.stored.add(fn)
  }

  upsert(fields: CallFields, raw: RawParams, receivedAt: string): Promise<UpsertResult> {
    if (this.closed) return Promise.reject(new Error('call store is closed'))
    return new Promise((resolve, reject) => {
      this.queue.push({ fields, raw, receivedAt, resolve, reject })
      this.flushing ??= this.drain()
    })
  }

  /** Writes what is queued, one transaction per batch, until the queue is empty. */
  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.opts.maxBatch ?? 250)
        await this.write(batch)
      }
    } finally {
      this.flushing = null
    }
  }

  private async write(batch: Pending[]): Promise<void> {
    let results: UpsertResult[]
    try {
      results = await this.commitWithRetry(batch)
    } catch (err) {
      if (batch.length > 1 && !isTransient(err)) {
        // One push the database refuses must not fail the others: each on its own.
        for (const p of batch) await this.write([p])
        return
      }
      this.opts.db.failed(err)
      this.opts.logger.error('calls could not be stored', {
        pushes: batch.length,
        error: String((err as Error).message ?? err),
      })
      for (const p of batch) p.reject(err)
      return
    }
    this.opts.db.worked()
    batch.forEach((p, i) => {
      const r = results[i]!
      if (!this.lastPush || p.receivedAt > this.lastPush) this.lastPush = p.receivedAt
      if (r.outcome === 'created') this.count++
      // Committed: announced before the caller hears it (a repeat is not a stored call).
      if (r.outcome !== 'unchanged')
        this.stored.tell({ call: r.call, outcome: r.outcome, json: r.json })
      p.resolve(r)
    })
  }

  /** A deadlock between two instances' batches is retried (the database chose one to undo). */
  private async commitWithRetry(batch: Pending[]): Promise<UpsertResult[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.partitions.ensure(
          batch.flatMap((p) => this.partitions.monthsAround(Date.parse(p.fields.startedAt))),
        )
        return await this.opts.db.transaction((c) => this.decideAndWrite(c, batch))
      } catch (err) {
        const code = (err as { code?: string }).code
        if ((code === '40P01' || code === '40001') && attempt < 5) continue
        if (code === '23514' && attempt < 3) {
          // No partition for a row: another instance's months are not known here yet.
          await this.partitions.refresh()
          continue
        }
        throw err
      }
    }
  }

  private async decideAndWrite(c: pg.PoolClient, batch: Pending[]): Promise<UpsertResult[]> {
    // Ids in one order everywhere, so two batches lock rows in the same order (no deadlock).
    const ids = [...new Set(batch.map((p) => p.fields.id))].sort()
    const firstStart = new Map<string, string>()
    for (const p of batch)
      if (!firstStart.has(p.fields.id)) firstStart.set(p.fields.id, p.fields.startedAt)
    const claimed = await c.query<{ id: string }>(
      `INSERT INTO call_ids (id, started_at, revision)
         SELECT id, s, 1 FROM unnest($1::text[], $2::timestamptz[]) AS k(id, s)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [ids, ids.map((id) => firstStart.get(id)!)],
    )
    const fresh = new Set(claimed.rows.map((r) => r.id))
    const known = ids.filter((id) => !fresh.has(id))
    // The stored version of each known id, its call_ids row locked until COMMIT.
    const state = new Map<string, Call>()
    const storedStart = new Map<string, string>()
    if (known.length > 0) {
      const locked = await c.query<{ id: string; started_at: Date }>(
        'SELECT id, started_at FROM call_ids WHERE id = ANY($1) ORDER BY id FOR UPDATE',
        [known],
      )
      for (const r of locked.rows) storedStart.set(r.id, r.started_at.toISOString())
      for (const call of await callsOf(c, await rowsByIds(c, known))) state.set(call.id, call)
    }

    const results: UpsertResult[] = []
    const revisions: { id: string; revision: number; doc: string }[] = []
    const changed = new Set<string>()
    for (const p of batch) {
      const prev = state.get(p.fields.id) ?? null
      const r: UpsertResult = decide(prev, p.fields, p.raw, p.receivedAt)
      if (r.outcome === 'updated') {
        const { history: _h, ...version } = prev!
        revisions.push({ id: prev!.id, revision: prev!.revision, doc: JSON.stringify(version) })
      }
      if (r.outcome !== 'unchanged') {
        state.set(r.call.id, r.call)
        changed.add(r.call.id)
      }
      results.push(r)
    }
    if (changed.size === 0) return results

    if (revisions.length > 0) {
      await c.query(
        `INSERT INTO call_revisions (call_id, revision, doc)
           SELECT * FROM unnest($1::text[], $2::int[], $3::text[])
         ON CONFLICT DO NOTHING`,
        [revisions.map((r) => r.id), revisions.map((r) => r.revision), revisions.map((r) => r.doc)],
      )
    }
    const finals = [...changed].sort().map((id) => state.get(id)!)
    const bumped = finals.filter((f) => f.revision > KEPT_REVISIONS + 1)
    if (bumped.length > 0)
      // The history keeps the first version and the last KEPT_REVISIONS before the current one.
      await c.query(
        `DELETE FROM call_revisions r USING unnest($1::text[], $2::int[]) AS k(id, rev)
          WHERE r.call_id = k.id AND r.revision > 1 AND r.revision < k.rev - ${KEPT_REVISIONS}`,
        [bumped.map((f) => f.id), bumped.map((f) => f.revision)],
      )
    const moved = finals.filter((f) => storedStart.has(f.id))
    if (moved.length > 0)
      await c.query(
        `DELETE FROM calls c USING unnest($1::timestamptz[], $2::text[]) AS k(s, id)
          WHERE c.started_at = k.s AND c.id = k.id`,
        [moved.map((f) => storedStart.get(f.id)!), moved.map((f) => f.id)],
      )
    await insertRows(c, finals)
    const revisedIds = finals.filter((f) => storedStart.has(f.id) || f.revision > 1)
    if (revisedIds.length > 0)
      await c.query(
        `UPDATE call_ids i SET started_at = k.s, revision = k.rev
           FROM unnest($1::text[], $2::timestamptz[], $3::int[]) AS k(id, s, rev)
          WHERE i.id = k.id`,
        [
          revisedIds.map((f) => f.id),
          revisedIds.map((f) => f.startedAt),
          revisedIds.map((f) => f.revision),
        ],
      )
    // The event of a new call carries the JSON its row holds (no second stringify).
    for (const r of results)
      if (r.outcome === 'created' && state.get(r.call.id) === r.call) r.json = jsonOf(r.call)
    await this.announce(c, finals, results, batch)
    return results
  }

  /** NOTIFY the stored ids (in runs under the payload limit), delivered on COMMIT. */
  private async announce(
    c: pg.PoolClient,
    finals: Call[],
    results: UpsertResult[],
    batch: Pending[],
  ): Promise<void> {
    const created = new Set(results.filter((r) => r.outcome === 'created').map((r) => r.call.id))
    const items: [string, 'c' | 'u'][] = finals.map((f) => [f.id, created.has(f.id) ? 'c' : 'u'])
    const r = batch.reduce((m, p) => (p.receivedAt > m ? p.receivedAt : m), '')
    for (const run of chunkByJsonSize(items, MAX_NOTIFY_BYTES - 200))
      await this.opts.db.notify(c, 'calls', { r, c: run } satisfies CallsNotice)
  }

  /** Another instance stored calls: read them and tell this instance's subscribers, in order. */
  private heard(notice: CallsNotice): void {
    if (notice.r && (!this.lastPush || notice.r > this.lastPush)) this.lastPush = notice.r
    this.count += notice.c.filter(([, o]) => o === 'c').length
    if (this.stored.size === 0) return
    this.remoteChain = this.remoteChain.then(async () => {
      try {
        const outcome = new Map(notice.c)
        const rows = await rowsByIds(this.opts.db, [...outcome.keys()])
        const calls = await callsOf(this.opts.db, rows)
        calls.forEach((call, i) => {
          this.stored.tell({
            call,
            outcome: outcome.get(call.id) === 'c' ? 'created' : 'updated',
            json: call.history.length === 0 ? withEmptyHistory(rows[i]!.doc) : undefined,
          })
        })
      } catch (err) {
        this.opts.logger.warn('calls stored elsewhere could not be read', { error: String(err) })
      }
    })
  }

  /** After missed notifications: the counts and the last push again from the database. */
  private async resync(): Promise<void> {
    try {
      const [last, size] = await Promise.all([
        this.opts.db.query<{ at: Date | null }>('SELECT max(received_at) AS at FROM calls'),
        this.opts.db.query<{ n: string }>('SELECT count(*) AS n FROM call_ids'),
      ])
      const at = last.rows[0]?.at?.toISOString() ?? null
      if (at && (!this.lastPush || at > this.lastPush)) this.lastPush = at
      this.count = Number(size.rows[0]?.n ?? this.count)
    } catch (err) {
      this.opts.logger.warn('call counts could not be read again', { error: String(err) })
    }
  }

  async get(id: string): Promise<Call | null> {
    const [call] = await callsOf(this.opts.db, await rowsByIds(this.opts.db, [id]))
    return call ?? null
  }

  async query(q: StoreQuery & Pick<CallQuery, 'limit' | 'cursor'>): Promise<CallPage> {
    const limit = Math.min(500, Math.max(1, Math.floor(q.limit ?? 50)))
    const numbers = await this.numbersOf(q)
    if (numbers && fewCallsEach(numbers)) {
      const { total, keys } = await searchKeys(this.opts.db.pool, q, this.opts.timezone, numbers, {
        cursor: q.cursor,
        limit: limit + 1,
      })
      return { ...(await this.pageOf(await rowsByKeys(this.opts.db.pool, keys), limit)), total }
    }
    const [page, total] = await Promise.all([this.page(q, limit, numbers), this.total(q, numbers)])
    return { ...page, total }
  }

  /**
   * The numbers a number search's digits are found in (`numberSearch.ts`); null for any other
   * query, and for digits found in too many numbers to list (then `calls.numbers` is scanned).
   */
  private async numbersOf(q: StoreQuery): Promise<NumberMatch | null> {
    const { fragments } = compileQuery(q, this.opts.timezone)
    return fragments ? findNumbers(this.opts.db.pool, fragments) : null
  }

  /** How many calls match the filters: counted, or, unfiltered, the number kept as calls arrive. */
  private async total(q: StoreQuery, numbers: NumberMatch | null): Promise<number> {
    const params: unknown[] = []
    const where = whereOf(q, this.opts.timezone, params, numbers)
    if (!where.filtered) return this.count
    const r = await this.opts.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM calls ${where.sql}`,
      params,
    )
    return Number(r.rows[0]?.n ?? 0)
  }

  /** One keyset page, newest first, and the cursor after it. */
  private async page(
    q: StoreQuery & Pick<CallQuery, 'cursor'>,
    limit: number,
    numbers: NumberMatch | null,
  ): Promise<{ calls: Call[]; nextCursor: string | null }> {
    const params: unknown[] = []
    const where = whereOf(q, this.opts.timezone, params, numbers)
    const conds = where.sql ? [where.sql.slice('WHERE '.length)] : []
    if (q.cursor) conds.push(afterCursor(q.cursor, params))
    params.push(limit + 1)
    const { rows } = await this.opts.db.query<DocRow>(
      `SELECT ${DOC_COLUMNS} FROM calls ${conds.length ? `WHERE ${conds.join(' AND ')}` : ''}
        ORDER BY started_at DESC, id DESC LIMIT $${params.length}`,
      params,
    )
    return this.pageOf(rows, limit)
  }

  /** A page of `limit` calls from up to `limit + 1` rows (one more: there is a next page). */
  private async pageOf(
    rows: DocRow[],
    limit: number,
  ): Promise<{ calls: Call[]; nextCursor: string | null }> {
    const more = rows.length > limit
    if (more) rows.length = limit
    const calls = await callsOf(this.opts.db, rows)
    const last = calls.at(-1)
    return {
      calls,
      nextCursor:
        more && last ? encodeCursor({ t: Date.parse(last.startedAt), id: last.id }) : null,
    }
  }

  /** Every matching call, newest first, in keyset pages of 1,000 (no count: an export needs none). */
  async *iterate(q: StoreQuery): AsyncIterable<Call> {
    const numbers = await this.numbersOf(q)
    if (numbers && fewCallsEach(numbers)) {
      // Every key at once (few), then the calls a thousand at a time.
      const { keys } = await searchKeys(this.opts.db.pool, q, this.opts.timezone, numbers, {})
      for (let i = 0; i < keys.length; i += 1_000)
        for (const call of await callsOf(
          this.opts.db,
          await rowsByKeys(this.opts.db.pool, keys.slice(i, i + 1_000)),
        ))
          yield call
      return
    }
    let cursor: string | undefined
    for (;;) {
      const page = await this.page({ ...q, cursor }, 1_000, numbers)
      for (const call of page.calls) yield call
      if (!page.nextCursor) return
      cursor = page.nextCursor
    }
  }

  async byCaller(number: string): Promise<Call[]> {
    const n = normalizePhone(number) ?? number
    const res = await this.opts.db.query<DocRow>(
      `SELECT ${DOC_COLUMNS} FROM calls WHERE caller = $1
        ORDER BY started_at DESC, id DESC LIMIT ${BY_CALLER_CAP}`,
      [n],
    )
    return callsOf(this.opts.db, res.rows)
  }

  /**
   * Counts of one local day. While the database cannot be reached, the last counts read for that
   * day (health asks on every push, and must still answer: its storage part says why they lag).
   */
  async countsForDate(localDate: string): Promise<CallCounts> {
    const zone = this.opts.timezone
    let res
    try {
      res = await this.opts.db.query<{ status: number; n: string }>(
        `SELECT status, count(*) AS n FROM calls
          WHERE started_at >= $1 AND started_at < $2 GROUP BY status`,
        [new Date(startOfLocalDate(localDate, zone)), new Date(endOfLocalDate(localDate, zone))],
      )
    } catch (err) {
      if (!isTransient(err)) throw err
      this.opts.db.failed(err)
      const known = this.lastCounts
      return known?.date === localDate
        ? known.counts
        : { total: 0, answered: 0, missed: 0, dropped: 0 }
    }
    const by = [0, 0, 0]
    for (const r of res.rows) by[r.status] = Number(r.n)
    const [answered = 0, missed = 0, dropped = 0] = by
    const counts = { total: answered + missed + dropped, answered, missed, dropped }
    this.lastCounts = { date: localDate, counts }
    return counts
  }

  /** Compact summaries between two local dates (inclusive), newest first: what the dashboard reads. */
  async summaries(from: string, to: string): Promise<CallSummary[]> {
    const zone = this.opts.timezone
    // Rows as arrays (no object per row from the driver): a month is tens of thousands.
    const res = await this.opts.db.pool.query<SummaryRow>({
      text: `SELECT (extract(epoch FROM started_at) * 1000)::float8,
                    extract(hour FROM started_at AT TIME ZONE $3)::int,
                    status, agent, department, circle, ivr_seconds, talk_seconds
               FROM calls WHERE started_at >= $1 AND started_at < $2
              ORDER BY started_at DESC, id DESC`,
      values: [new Date(startOfLocalDate(from, zone)), new Date(endOfLocalDate(to, zone)), zone],
      rowMode: 'array',
    })
    return res.rows.map(([t, hour, status, agent, department, circle, ivr, talk]) => ({
      startedAtMs: t,
      hour,
      status: STATUS_CODES[status]!,
      agentNumber: agent,
      department,
      circle,
      ivrSeconds: ivr,
      talkSeconds: talk,
    }))
  }

  /** The dashboard's figures between two local dates (inclusive), counted in the database. */
  tally(from: string, to: string, options?: TallyOptions): Promise<CallTally> {
    return tallyCalls(this.opts.db, from, to, this.opts.timezone, options)
  }

  lastPushAt(): string | null {
    return this.lastPush
  }

  size(): number {
    return this.count
  }

  /** Waits for the pushes in flight; the pool itself belongs to the {@link Database}. */
  async close(): Promise<void> {
    this.closed = true
    while (this.flushing) await this.flushing
    await this.remoteChain
  }
}

/**
 * Inserts the current versions of calls into `calls` (their months' partitions must exist), their
 * numbers into the dictionary of the number search.
 */
async function insertRows(c: pg.ClientBase, calls: readonly Call[]): Promise<void> {
  const cols: unknown[][] = Array.from({ length: 14 }, () => [])
  for (const call of calls) {
    const { history: _h, ...version } = call
    const row = [
      call.id,
      call.startedAt,
      call.receivedAt,
      STATUS_INDEX.get(call.status),
      clean(call.callerNumber),
      clean(call.agentNumber),
      clean(call.virtualNumber),
      clean(call.department),
      clean(call.circle),
      call.ivrSeconds,
      call.talkSeconds,
      call.revision,
      clean(numbersOf(call)),
      JSON.stringify(version),
    ]
    row.forEach((v, i) => cols[i]!.push(v))
  }
  await recordNumbers(c, calls)
  await c.query(
    `INSERT INTO calls (id, started_at, received_at, status, caller, agent, virtual_number,
                        department, circle, ivr_seconds, talk_seconds, revision, numbers, doc)
       SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[], $4::smallint[],
                            $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                            $10::int[], $11::int[], $12::int[], $13::text[], $14::text[])`,
    cols,
  )
}

/**
 * Writes whole calls, with their histories, into tables that do not hold them yet (moving a data
 * folder over): `call_ids`, `calls` and `call_revisions` in the caller's transaction.
 */
export async function importCalls(c: pg.ClientBase, calls: readonly Call[]): Promise<void> {
  if (calls.length === 0) return
  await c.query(
    `INSERT INTO call_ids (id, started_at, revision)
       SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::int[])`,
    [calls.map((x) => x.id), calls.map((x) => x.startedAt), calls.map((x) => x.revision)],
  )
  await insertRows(c, calls)
  const revs = calls.flatMap((x) => x.history.map((h) => ({ id: x.id, h })))
  if (revs.length > 0)
    await c.query(
      `INSERT INTO call_revisions (call_id, revision, doc)
         SELECT * FROM unnest($1::text[], $2::int[], $3::text[])`,
      [revs.map((r) => r.id), revs.map((r) => r.h.revision), revs.map((r) => JSON.stringify(r.h))],
    )
}

/** The text the number search looks in: every number of the call, and its id when numeric. */
function numbersOf(call: Call): string {
  let s = call.callerNumber
  if (call.agentNumber) s += ` ${call.agentNumber}`
  if (call.virtualNumber) s += ` ${call.virtualNumber}`
  if (isDigits(call.id)) s += ` ${call.id}`
  return s
}

/**
 * `JSON.stringify(call)` of a call read from a row whose `doc` is its version without the
 * history (itself a `JSON.stringify`, so reading it and writing it again gives the same text)
 * and whose history is empty: `callsOf` adds the history last.
 */
function withEmptyHistory(doc: string): string {
  return `${doc.slice(0, -1)},"history":[]}`
}

/** `JSON.stringify(call)` of a new call (its history empty). */
function jsonOf(call: Call): string {
  return JSON.stringify(call)
}
