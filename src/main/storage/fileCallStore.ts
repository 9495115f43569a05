import { mkdir, rename, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import type {
  Call,
  CallCounts,
  CallRevision,
  CallFields,
  CallPage,
  CallQuery,
  RawParams,
} from '../../shared/domain'
import { normalizePhone } from '../../shared/phone'
import type { Clock } from '../ground/clock'
import type { Logger } from '../ground/logger'
import {
  silentReporter,
  type CallStore,
  type CallSummary,
  type StorageReporter,
  type StoreQuery,
  type UpsertResult,
} from './types'
import { encodeJsonRecord, Journal, replayJournal, type JournalIo } from './journal'
import {
  compareRows,
  compileQuery,
  decodeCursor,
  encodeCursor,
  endOfLocalDate,
  monthOf,
  startOfLocalDate,
  STATUS_CODES,
  type CallRow,
} from './callIndex'
import { ShardSet } from './shardSet'
import { writeFileDurable } from './durableFile'
import { LocalDays } from './localDay'
import { BY_CALLER_CAP, decide, historyAfter } from './callVersions'
import {
  damagedDir,
  ensureLayout,
  journalPath,
  metaPath,
  listJournals,
  readMeta,
  writeMeta,
  type StoreMeta,
} from './shardFiles'

export interface FileCallStoreOptions {
  /** Directory owned by the store (created if missing). */
  dir: string
  /** IANA zone of local dates, months and hours (e.g. `Asia/Kolkata`). */
  timezone: string
  clock: Clock
  logger: Logger
  /** Months (counting the current one) whose full documents stay in memory. Default 3. */
  hotMonths?: number
  /** Older months whose full documents are cached (LRU). Default 2. */
  coldCacheMonths?: number
  /** Checkpoint once the journal holds this many bytes. Default 16 MiB. */
  checkpointBytes?: number
  /** Also checkpoint this often when something changed (0 = never by timer). Default 60 s. */
  checkpointIntervalMs?: number
  /** I/O seam of the journal (tests count or fail fsyncs). */
  journalIo?: JournalIo
  /** Where storage problems are told (health, banner, tray); default: the log only. */
  reporter?: StorageReporter
}

/**
 * A number search with more candidate rows than this (a fragment shared by an agent's or the
 * virtual number, say) scans the rows instead: sorting that many candidates would cost more.
 */
const INDEX_CANDIDATE_CAP = 50_000

/** Where the call's JSON starts in a journal line: after `<crc> {"c":`. */
const LINE_CALL_START = 9 + '{"c":'.length

/**
 * One journal record. `c`: the full state of a new call (replay puts it: idempotent). `u`: a
 * new version of a known call without its history; replay moves the version before it into the
 * history, unless the call already has that revision (a checkpoint wrote it), so replaying it
 * twice changes nothing. A changed push then journals its own version only, not every earlier
 * one again: the journal grows with the pushes, not with their square.
 */
type JournalRecord = { c: Call; u?: undefined } | { u: CallRevision; c?: undefined }

/**
 * The checkpoint bookkeeping; a damaged `meta.json` is set aside and replaced by the safe default
 * (replay every journal present: replaying a record twice changes nothing).
 */
async function readMetaOrSetAside(
  dir: string,
  timezone: string,
  reporter: StorageReporter,
  now: number,
): Promise<StoreMeta> {
  try {
    return await readMeta(dir, timezone)
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err
    await mkdir(damagedDir(dir), { recursive: true })
    const kept = join(damagedDir(dir), `meta.json.${now}`)
    await rename(metaPath(dir), kept)
    reporter.problem({
      id: 'document-set-aside:meta',
      kind: 'document-set-aside',
      file: metaPath(dir),
      summary: `The call store's bookkeeping file was damaged (${err.message}) and was set aside; every journal present was replayed, so no call was lost.`,
      advice: 'Nothing to do; the damaged file is kept for support.',
      keptAt: kept,
    })
    return { v: 1, timezone, journalSeq: 1, lastPushAt: null }
  }
}

const CHECKPOINT_PROBLEM = 'checkpoint-failed'
const WRITE_PROBLEM = 'write-refused'

/** An I/O error as a user can read it: its code and message (the path is in the problem). */
function describeIoError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code
  const hint: Record<string, string> = {
    ENOSPC: 'the disk is full',
    EROFS: 'the disk is read-only',
    EIO: 'an input/output error: the disk may be failing',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EDQUOT: 'the disk quota is exceeded',
  }
  return code && hint[code] ? `${hint[code]}, ${code}` : String((err as Error)?.message ?? err)
}

/** Tells of damaged journal records that replay skipped, with their offsets. */
function reportSkipped(
  reporter: StorageReporter,
  file: string,
  res: { skipped: { offset: number }[]; asidePath: string | null },
): void {
  const n = res.skipped.length
  reporter.problem({
    id: `records-skipped:${file}`,
    kind: 'records-skipped',
    file,
    summary:
      `${n} damaged record${n === 1 ? '' : 's'} in the call journal (at byte ` +
      `${res.skipped.map((s) => s.offset).join(', ')}) failed ${n === 1 ? 'its' : 'their'} checksum ` +
      'and were skipped; every intact record before and after was kept.',
    advice:
      'A call in a damaged record is lost unless the vendor pushes it again or a backup has it; the damaged bytes are kept for support. A disk that damages files may be failing: make a backup.',
    lost: { count: n, ids: [] },
    keptAt: res.asidePath,
  })
}

/**
 * The durable call store (see `types.ts` for the contract). Pushes are made durable in an
 * append-only journal with group commit; the query model is one lowdb JSON document per local
 * month plus a compact per-month index that is always in memory. A checkpoint writes the months
 * that changed and retires the journal, so start-up replays only what came after it.
 */
export class FileCallStore implements CallStore {
  private journal!: Journal
  private journalSeq = 1
  private lastPush: string | null = null
  private readonly locks = new Map<string, Promise<void>>()
  private readonly inflight = new Map<string, Promise<void>>()
  private checkpointing: Promise<void> | null = null
  /** Running mean of a journal line's size (≈ a call's size in its month file). */
  private avgLineBytes = 800
  private timer: NodeJS.Timeout | null = null
  private closed = false
  /** A write was refused and no write has succeeded since (see `writeRefused`). */
  private refusing = false
  /** Checkpoints wait while this runs (a backup copying, a check reading the month files). */
  private holding: Promise<unknown> | null = null
  private readonly days: LocalDays

  private constructor(
    private readonly opts: FileCallStoreOptions,
    private readonly shards: ShardSet,
  ) {
    this.days = new LocalDays(opts.timezone)
  }

  /** Opens the store in `opts.dir`: loads indexes and recent months, replays the journal. */
  static async open(opts: FileCallStoreOptions): Promise<FileCallStore> {
    const { dir, timezone, clock, logger } = opts
    await ensureLayout(dir)
    const reporter = opts.reporter ?? silentReporter
    const meta = await readMetaOrSetAside(dir, timezone, reporter, clock.now())
    if (meta.timezone !== timezone)
      logger.warn('call store: time zone changed since the data was written', {
        stored: meta.timezone,
        configured: timezone,
      })
    const hotFrom = hotFromMonth(clock.now(), timezone, opts.hotMonths ?? 3)
    const shards = await ShardSet.load(
      dir,
      timezone,
      hotFrom,
      opts.coldCacheMonths ?? 2,
      logger,
      reporter,
      () => clock.now(),
    )
    const store = new FileCallStore(opts, shards)
    store.lastPush = meta.lastPushAt
    const skipped = await store.replay(meta)
    store.journal = await Journal.open(journalPath(dir, store.journalSeq), opts.journalIo)
    // Retire a journal with damaged records at once: its intact records go into the months.
    if (skipped) store.checkpointSoon()
    const every = opts.checkpointIntervalMs ?? 60_000
    if (every > 0) {
      store.timer = setInterval(() => store.checkpointSoon(), every)
      store.timer.unref()
    }
    logger.info('call store opened', { calls: shards.rowCount, months: shards.monthCount })
    const opened = clock.now()
    void shards.settled.then(() => {
      if (!store.closed)
        logger.info('call store settled', {
          months: shards.monthCount,
          seconds: Math.round((clock.now() - opened) / 100) / 10,
        })
    })
    return store
  }

  /** Replays the journals after the last checkpoint; true when damaged records were skipped. */
  private async replay(meta: StoreMeta): Promise<boolean> {
    const { dir, logger, clock } = this.opts
    const seqs = await listJournals(dir)
    let replayed = 0
    let skippedAny = false
    for (const seq of seqs) {
      if (seq < meta.journalSeq) {
        // Left over by a checkpoint interrupted after meta.json was written: already in shards.
        await unlink(journalPath(dir, seq)).catch(() => {})
        continue
      }
      const res = await replayJournal<JournalRecord>(journalPath(dir, seq), clock.now())
      if (res.truncatedBytes > 0)
        logger.warn('call journal: cut a torn last record (an interrupted write)', {
          file: journalPath(dir, seq),
          bytes: res.truncatedBytes,
          keptAt: res.asidePath,
        })
      if (res.skipped.length > 0) {
        skippedAny = true
        reportSkipped(this.opts.reporter ?? silentReporter, journalPath(dir, seq), res)
      }
      for (const rec of res.records) {
        // Never go back to an older version (a journal copied by a live backup may lag a month):
        // a `c` record older than the stored version is skipped, and so is a `u` record the
        // store already has (see `revised`).
        if (rec.c && (this.shards.revisionOf(rec.c.id) ?? 0) > rec.c.revision) continue
        const call = rec.c ?? (await this.revised(rec.u))
        if (!call) continue
        this.shards.put(call)
        if (!this.lastPush || call.receivedAt > this.lastPush) this.lastPush = call.receivedAt
      }
      replayed += res.records.length
    }
    this.journalSeq = Math.max(meta.journalSeq, seqs.at(-1) ?? 1)
    if (replayed > 0) logger.info('call journal replayed', { records: replayed })
    return skippedAny
  }

  /** The call after the `u` record `next`, or null when the store already has that revision. */
  private async revised(next: CallRevision): Promise<Call | null> {
    const known = this.shards.peek(next.id)
    const prev = known === undefined ? await this.shards.get(next.id) : known
    if (prev && prev.revision >= next.revision) return null
    return { ...next, history: prev ? historyAfter(prev) : [] }
  }

  async upsert(fields: CallFields, raw: RawParams, receivedAt: string): Promise<UpsertResult> {
    if (this.closed) throw new Error('call store is closed')
    const id = fields.id
    // Same-id upserts decide one after another; different ids never wait for each other.
    const before = this.locks.get(id)
    // The usual case (no upsert of this id in progress, its version in memory) decides at once:
    // no lock, no await between reading the stored version and replacing it.
    let prev = before ? undefined : this.shards.peek(id)
    let step: { result: UpsertResult; durable: Promise<void> | undefined }
    if (prev !== undefined) step = this.apply(prev, fields, raw, receivedAt)
    else {
      let release!: () => void
      const mine = new Promise<void>((r) => (release = r))
      this.locks.set(id, mine)
      try {
        if (before) await before
        prev = await this.shards.get(id)
        step = this.apply(prev, fields, raw, receivedAt)
      } finally {
        release()
        if (this.locks.get(id) === mine) this.locks.delete(id)
      }
    }
    const { result, durable } = step
    if (!this.lastPush || receivedAt > this.lastPush) this.lastPush = receivedAt
    if (!durable) return result
    try {
      await durable
    } catch (err) {
      // Not durable: undo in memory unless a later version already replaced it.
      if (result.outcome !== 'unchanged' && this.shards.peek(id) === result.call)
        this.shards.restore(id, prev)
      this.writeRefused(err)
      throw err
    } finally {
      if (this.inflight.get(id) === durable) this.inflight.delete(id)
    }
    if (this.refusing) this.writesWork()
    if (this.journal.bytes >= this.checkpointThreshold()) this.checkpointSoon()
    return result
  }

  /** Decides against `prev` and, when something changed, applies it in memory and journals it. */
  private apply(
    prev: Call | null,
    fields: CallFields,
    raw: RawParams,
    receivedAt: string,
  ): { result: UpsertResult; durable: Promise<void> | undefined } {
    const id = fields.id
    const result: UpsertResult = decide(prev, fields, raw, receivedAt)
    if (result.outcome === 'unchanged') return { result, durable: this.inflight.get(id) }
    let line: Buffer
    if (result.outcome === 'created') {
      // One stringify and one UTF-8 encoding serve the journal line, the next checkpoint of the
      // month (which writes the call's bytes straight from the line) and the event announcing
      // the call (UpsertResult.json).
      result.json = JSON.stringify(result.call)
      line = encodeJsonRecord(`{"c":${result.json}}`)
      this.shards.put(result.call, line.subarray(LINE_CALL_START, line.length - 2))
    } else {
      const { history: _kept, ...version } = result.call
      line = encodeJsonRecord(`{"u":${JSON.stringify(version)}}`)
      this.shards.put(result.call)
    }
    const durable = this.journal.appendEncoded(line)
    this.avgLineBytes += (line.length - this.avgLineBytes) / 64
    this.inflight.set(id, durable)
    return { result, durable }
  }

  get(id: string): Promise<Call | null> {
    return this.shards.get(id)
  }

  /**
   * Resolves once the work start-up leaves to the background is done (the id map, the number
   * index, every month verified): what a benchmark waits for to measure the settled store.
   */
  settled(): Promise<void> {
    return this.shards.settled
  }

  async query(q: StoreQuery & Pick<CallQuery, 'limit' | 'cursor'>): Promise<CallPage> {
    const limit = Math.min(500, Math.max(1, Math.floor(q.limit ?? 50)))
    const cq = compileQuery(q, this.opts.timezone)
    const after = q.cursor ? decodeCursor(q.cursor) : null
    let total = 0
    let page: CallRow[] = []
    // A number search reads its candidates from the number index instead of every row.
    const hits = cq.digits ? this.shards.rowsWithDigits(cq.digits, INDEX_CANDIDATE_CAP) : null
    if (hits) {
      const rows = hits.filter((r) => r.t >= cq.lo && r.t < cq.hi && cq.match(r))
      rows.sort((a, b) => compareRows(b, a))
      total = rows.length
      const start = after === null ? 0 : rows.findIndex((r) => compareRows(r, after) < 0)
      page = start < 0 ? [] : rows.slice(start, start + limit + 1)
    } else
      this.shards.scanDesc(cq.lo, cq.hi, (r) => {
        if (!cq.match(r)) return
        total++
        if (page.length <= limit && (after === null || compareRows(r, after) < 0)) page.push(r)
      })
    const more = page.length > limit
    if (more) page.length = limit
    const calls = await this.shards.fetchRows(page)
    const last = page.at(-1)
    const result: CallPage = { calls, total, nextCursor: more && last ? encodeCursor(last) : null }
    const unreadable = this.unreadableIn(q)
    if (unreadable.length > 0) result.unreadable = unreadable
    return result
  }

  async *iterate(q: StoreQuery): AsyncIterable<Call> {
    const cq = compileQuery(q, this.opts.timezone)
    for (const month of this.shards.monthsDesc(cq.lo, cq.hi)) {
      const rows: CallRow[] = []
      this.shards.scanMonthDesc(month, cq.lo, cq.hi, (r) => {
        if (cq.match(r)) rows.push(r)
      })
      // In runs of 1,000: an older month is read piecewise, never parsed and cached whole.
      for (let i = 0; i < rows.length; i += 1000)
        for (const call of await this.shards.fetchRows(rows.slice(i, i + 1000))) yield call
    }
  }

  /** The caller's newest {@link BY_CALLER_CAP} calls, newest first (from the number index). */
  async byCaller(number: string): Promise<Call[]> {
    const n = normalizePhone(number) ?? number
    const rows = this.shards.rowsOfCaller(n).sort((a, b) => compareRows(b, a))
    return this.shards.fetchRows(rows.slice(0, BY_CALLER_CAP))
  }

  /**
   * Today's counts (asked for with every health update, so on every push) come from a tally the
   * store keeps up to date as calls are stored, rolled over when the local day changes; any
   * other date is counted from the rows.
   */
  async countsForDate(localDate: string): Promise<CallCounts> {
    const today = this.days.at(this.opts.clock.now())
    let byStatus: readonly number[]
    if (localDate === today.date) byStatus = this.shards.dayCounts(today.start, today.end)
    else {
      const zone = this.opts.timezone
      const counts = [0, 0, 0]
      const lo = startOfLocalDate(localDate, zone)
      this.shards.scanDesc(lo, endOfLocalDate(localDate, zone), (r) => counts[r.s]!++)
      byStatus = counts
    }
    const [answered = 0, missed = 0, dropped = 0] = byStatus
    return { total: answered + missed + dropped, answered, missed, dropped }
  }

  /**
   * Compact summaries of the calls between two local dates (inclusive), newest first, straight
   * from the in-memory index: what dashboard aggregates need, without parsing any month.
   */
  summaries(from: string, to: string): CallSummary[] {
    const zone = this.opts.timezone
    const out: CallSummary[] = []
    this.shards.scanDesc(startOfLocalDate(from, zone), endOfLocalDate(to, zone), (r) => {
      out.push({
        startedAtMs: r.t,
        hour: r.h,
        status: STATUS_CODES[r.s]!,
        agentNumber: r.agent,
        department: r.dept,
        circle: r.circle,
        ivrSeconds: r.ivr,
        talkSeconds: r.talk,
      })
    })
    return out
  }

  lastPushAt(): string | null {
    return this.lastPush
  }

  size(): number {
    return this.shards.size
  }

  /** fsyncs the journal has performed (tests, benchmarks). */
  get journalSyncs(): number {
    return this.journal.syncCount
  }

  /**
   * Journal bytes that trigger a checkpoint: the configured size (16 MiB), or half the size of the
   * months the checkpoint rewrites when that is more. A checkpoint rewrites whole months, so a
   * fixed threshold would make each push pay more as its month fills; growing it with the months
   * keeps the amortised cost per push constant, and start-up replays at most about half a month.
   */
  private checkpointThreshold(): number {
    const base = this.opts.checkpointBytes ?? 16 * 1024 * 1024
    return Math.max(base, (this.shards.dirtyRows() * this.avgLineBytes) / 2)
  }

  /** Resolves once no checkpoint is running (tests and benchmarks). */
  async checkpointIdle(): Promise<void> {
    while (this.checkpointing) await this.checkpointing.catch(() => {})
  }

  /** Starts a checkpoint unless one is running; errors are logged (the journal stays). */
  checkpointSoon(): void {
    if (this.checkpointing || this.closed) return
    this.checkpoint().catch(() => {})
  }

  /**
   * Writes every changed month and its index durably, then retires the journal: later pushes go
   * to a new journal file and the old one is deleted once `meta.json` says it is covered.
   */
  checkpoint(): Promise<void> {
    if (this.checkpointing) return this.checkpointing
    const run = async (): Promise<void> => {
      const { dir } = this.opts
      if (!this.shards.hasDirty() && this.journal.bytes === 0) return
      const next = this.journalSeq + 1
      await this.journal.switchTo(journalPath(dir, next))
      const old = this.journalSeq
      this.journalSeq = next
      await this.shards.writeDirty()
      await writeMeta(dir, {
        v: 1,
        timezone: this.opts.timezone,
        journalSeq: next,
        lastPushAt: this.lastPush,
      })
      for (let seq = old; seq < next; seq++) await unlink(journalPath(dir, seq)).catch(() => {})
    }
    const reporter = this.opts.reporter ?? silentReporter
    this.checkpointing = (async () => {
      while (this.holding) await this.holding.catch(() => {})
      await run()
    })().then(
      () => reporter.recovered(CHECKPOINT_PROBLEM),
      (err: unknown) => {
        this.checkpointFailed(err)
        throw err
      },
    )
    this.checkpointing = this.checkpointing.finally(() => (this.checkpointing = null))
    return this.checkpointing
  }

  /**
   * Runs `fn` while no checkpoint runs (it waits for a running one, and later ones wait for it):
   * month files and `meta.json` stay as they are meanwhile, only the journal grows. For a backup
   * copying the folder or a check reading it.
   */
  async holdCheckpoints<R>(fn: () => Promise<R>): Promise<R> {
    // No await between the last check and taking the hold: nothing can start in between.
    for (;;) {
      if (this.holding) await this.holding.catch(() => {})
      else if (this.checkpointing) await this.checkpointing.catch(() => {})
      else break
    }
    const run = fn()
    this.holding = run
    try {
      return await run
    } finally {
      this.holding = null
    }
  }

  /** Checks every month file's checksum; damaged ones are contained. Returns their months. */
  verifyMonths(): Promise<string[]> {
    return this.shards.verifyAll()
  }

  /** Calls lost to damaged months among the months of a query, to be said with its answer. */
  unreadableIn(q: Omit<CallQuery, 'limit' | 'cursor'>): { month: string; calls: number }[] {
    if (this.shards.unreadable.size === 0) return []
    const cq = compileQuery(q, this.opts.timezone)
    return this.shards
      .monthsDesc(cq.lo, cq.hi)
      .filter((m) => this.shards.unreadable.has(m))
      .map((month) => ({ month, calls: this.shards.unreadable.get(month)! }))
  }

  private checkpointFailed(err: unknown): void {
    const error = describeIoError(err)
    this.opts.logger.error('call store checkpoint failed', { error })
    ;(this.opts.reporter ?? silentReporter).problem({
      id: CHECKPOINT_PROBLEM,
      kind: 'checkpoint-failed',
      file: this.opts.dir,
      summary: `Saving the call history failed (${error}). Every accepted call is still safe in the journal, which grows until saving works again.`,
      advice:
        'Free disk space or fix the disk; saving is retried every minute. Do not delete files from the data folder.',
      ongoing: true,
    })
  }

  private writeRefused(err: unknown): void {
    const error = describeIoError(err)
    if (!this.refusing)
      this.opts.logger.error('call store: the disk refused a write', {
        file: this.journal.currentPath,
        error,
      })
    this.refusing = true
    ;(this.opts.reporter ?? silentReporter).problem({
      id: WRITE_PROBLEM,
      kind: 'write-refused',
      file: this.journal.currentPath,
      summary: `The disk refused to store calls (${error}). Pushes are answered 503 Failure, so the vendor keeps them and retries; calls accepted before are safe.`,
      advice:
        'Free disk space, or make the data folder writable again; pushes are accepted again as soon as a write succeeds.',
      ongoing: true,
    })
  }

  /**
   * Whether a push could be stored now: yes while writes work; while the disk refuses them, a
   * small file written and fsync'd beside the journal says whether it takes writes again (the
   * next push then clears the problem). For `/readyz`, which must turn ready again without a
   * push, since a load balancer sends none to an instance that is not ready.
   */
  async canWrite(): Promise<boolean> {
    if (!this.refusing || this.closed) return !this.closed
    try {
      await writeFileDurable(join(this.opts.dir, '.write-probe'), String(this.opts.clock.now()))
      return true
    } catch {
      return false
    }
  }

  private writesWork(): void {
    this.refusing = false
    this.opts.logger.info('call store: writes work again')
    ;(this.opts.reporter ?? silentReporter).recovered(WRITE_PROBLEM)
  }

  /** Flushes the journal, checkpoints, and closes the files. */
  async close(): Promise<void> {
    if (this.closed) return
    if (this.timer) clearInterval(this.timer)
    this.shards.stopBackground()
    await this.shards.settled
    await Promise.allSettled([...this.inflight.values()])
    await this.journal.flush()
    if (this.checkpointing) await this.checkpointing.catch(() => {})
    await this.checkpoint()
    this.closed = true
    await this.journal.close()
  }
}

function hotFromMonth(now: number, zone: string, hotMonths: number): string {
  // The month key of "now" in the zone, minus (hotMonths - 1) whole months.
  const [y, m] = monthOf(now, zone).split('-').map(Number) as [number, number]
  const idx = y * 12 + (m - 1) - Math.max(0, hotMonths - 1)
  return `${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, '0')}`
}
