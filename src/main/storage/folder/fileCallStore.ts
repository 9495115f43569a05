import { mkdir, open as openFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type {
  Call,
  CallCounts,
  CallRevision,
  CallFields,
  CallPage,
  CallQuery,
  RawParams,
} from '../../../shared/domain'
import { normalizePhone } from '../../../shared/phone'
import type { Clock } from '../../ground/clock'
import type { Logger } from '../../ground/logger'
import {
  silentReporter,
  type CallStore,
  type CallSummary,
  type StorageReporter,
  type StoreQuery,
  type StoredCall,
  type UpsertResult,
} from '../types'
import { StoredCallSubscribers } from '../storedCalls'
import { Journal, scanJournal, type JournalIo } from './journal'
import { replayJournals, type ReplayFindings } from './journalReplay'
import { DamagedFileError } from './monthSeal'
import { freshMeta, readMeta, writeMeta, type MetaState, type StoreMeta } from './manifest'
import { renameOwned, unlinkOwned } from '../../dataFolder/durableFile'
import {
  journalDamaged,
  journalMissing,
  metaTrouble,
  monthMismatch,
  monthMissing,
} from './lossReports'
import {
  compareRows,
  compileQuery,
  decodeCursor,
  encodeCursor,
  endOfLocalDate,
  monthOf,
  startOfLocalDate,
  STATUS_CODES,
} from '../query'
import { type CallRow } from './callIndex'
import { ShardSet } from './shardSet'
import { keepRow } from './monthColumns'
import { writeFileDurable } from '../../dataFolder/durableFile'
import { LocalDays } from '../localDay'
import { BY_CALLER_CAP, decide, historyAfter } from '../callVersions'
import {
  damagedDir,
  ensureLayout,
  journalPath,
  listJournals,
  listShardMonths,
  metaPath,
  readIndex,
  shardPath,
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
  /**
   * How often every month file is read again whole and checked against its seal (the scrub),
   * in ms. Default a week; a month is verified at most once per {@link scrubTickMs}.
   */
  scrubEveryMs?: number
  /** How often the scrub looks for a month due (one month per look: throttled). Default 10 min. */
  scrubTickMs?: number
}

/** See {@link FileCallStoreOptions.scrubEveryMs}. */
export const SCRUB_EVERY_MS = 7 * 86_400_000
const SCRUB_TICK_MS = 10 * 60_000

/**
 * A number search with more candidate rows than this (a fragment shared by an agent's or the
 * virtual number, say) scans the rows instead: sorting that many candidates would cost more.
 */
const INDEX_CANDIDATE_CAP = 50_000

/** Where the call's JSON starts in a record's members: after `"c":`. */
const CALL_START = '"c":'.length

/**
 * One journal record. `c`: the full state of a new call (replay puts it: idempotent). `u`: a
 * new version of a known call without its history; replay moves the version before it into the
 * history, unless the call already has that revision (a checkpoint wrote it), so replaying it
 * twice changes nothing. A changed push then journals its own version only, not every earlier
 * one again: the journal grows with the pushes, not with their square.
 */
/** The journal write of a call's newest version, and the last version of it that is durable. */
interface InFlight {
  durable: Promise<void>
  base: Call | null
}

type JournalRecord = { q?: number } & (
  { c: Call; u?: undefined } | { u: CallRevision; c?: undefined }
)

/**
 * The checkpoint bookkeeping and list of files (manifest.ts); a damaged `meta.json` is set aside
 * and replaced by the safe default (replay every journal present: replaying a record twice
 * changes nothing), and a missing one while calls are stored is told.
 */
async function readMetaOrSetAside(
  dir: string,
  timezone: string,
  reporter: StorageReporter,
  now: number,
): Promise<{ meta: StoreMeta; state: MetaState | 'damaged' }> {
  try {
    const read = await readMeta(dir, timezone)
    if (read.state === 'missing' && (await holdsFiles(dir)))
      reporter.problem(metaTrouble({ file: metaPath(dir), reason: null, keptAt: null }))
    return read
  } catch (err) {
    if (!(err instanceof DamagedFileError)) throw err
    await mkdir(damagedDir(dir), { recursive: true })
    const kept = join(damagedDir(dir), `meta.json.${now}`)
    await renameOwned(metaPath(dir), kept)
    reporter.problem(metaTrouble({ file: metaPath(dir), reason: err.reason, keptAt: kept }))
    return { meta: { ...freshMeta(timezone), nextSeq: null, months: null }, state: 'damaged' }
  }
}

/** Whether a store folder holds month files or journals with records. */
async function holdsFiles(dir: string): Promise<boolean> {
  if ((await listShardMonths(dir)).length > 0) return true
  for (const seq of await listJournals(dir))
    if ((await stat(journalPath(dir, seq))).size > 0) return true
  return false
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

/**
 * The durable call store (see `types.ts` for the contract). Pushes are made durable in an
 * append-only journal with group commit; the query model is one lowdb JSON document per local
 * month plus a compact per-month index that is always in memory. A checkpoint writes the months
 * that changed and retires the journal, so start-up replays only what came after it.
 */
export class FileCallStore implements CallStore {
  private journal!: Journal
  private journalSeq = 1
  /** Number of the first record of journal `journalSeq` (what meta.json says). */
  private firstSeq = 1
  /** Bytes of each journal file whose records are all in memory (see `retire`). */
  private readonly accounted = new Map<number, number>()
  /** meta.json is behind what memory knows of the month files (a scrub verified one). */
  private metaStale = false
  private scrubTimer: NodeJS.Timeout | null = null
  private lastPush: string | null = null
  private readonly locks = new Map<string, Promise<void>>()
  private readonly inflight = new Map<string, InFlight>()
  private checkpointing: Promise<void> | null = null
  /** Running mean of a journal line's size (≈ a call's size in its month file). */
  private avgLineBytes = 800
  private timer: NodeJS.Timeout | null = null
  private closed = false
  /** The folder was taken over (see `abandon`). */
  private abandoned = false
  /** A write was refused and no write has succeeded since (see `writeRefused`). */
  private refusing = false
  /** Checkpoints wait while this runs (a backup copying, a check reading the month files). */
  private holding: Promise<unknown> | null = null
  private readonly days: LocalDays
  private readonly stored: StoredCallSubscribers

  private constructor(
    private readonly opts: FileCallStoreOptions,
    private readonly shards: ShardSet,
  ) {
    this.days = new LocalDays(opts.timezone)
    this.stored = new StoredCallSubscribers(opts.logger)
  }

  /** Opens the store in `opts.dir`: loads indexes and recent months, replays the journal. */
  static async open(opts: FileCallStoreOptions): Promise<FileCallStore> {
    const { dir, timezone, clock, logger } = opts
    await ensureLayout(dir)
    const reporter = opts.reporter ?? silentReporter
    const { meta, state } = await readMetaOrSetAside(dir, timezone, reporter, clock.now())
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
      meta.months,
    )
    const store = new FileCallStore(opts, shards)
    store.lastPush = meta.lastPushAt
    // The calls of a listed month file that is gone, named by its index when that is left.
    const missing = await store.missingMonths(meta)
    const found = await replayJournals<JournalRecord>(dir, meta, clock.now(), (rec) =>
      store.replayRecord(rec),
    )
    if (found.records > 0) logger.info('call journal replayed', { records: found.records })
    store.journalSeq = found.lastJournal
    // The number of the current journal's first record: meta.json's when it names this journal
    // (its first records may be the damaged ones), else its first intact one, else the next.
    const current = found.journals.find((j) => j.seq === store.journalSeq)
    store.firstSeq =
      store.journalSeq === meta.journalSeq && meta.nextSeq !== null
        ? meta.nextSeq
        : (current?.firstQ ?? found.nextSeq)
    for (const j of found.journals) store.accounted.set(j.seq, j.res.bytes)
    store.journal = await Journal.open(
      journalPath(dir, store.journalSeq),
      opts.journalIo,
      found.nextSeq,
    )
    store.accounted.set(store.journalSeq, store.journal.bytes)
    const damaged = store.reportLosses(meta, found, missing)
    // The list is written again at once when it was not right (closed, missing, damaged, old,
    // or files gone): before the first push, so a crash from now on is told the same way.
    if (state !== 'sealed' || meta.closed || damaged) await store.saveMeta(false)
    // Retire a journal with damaged records at once: its intact records go into the months.
    if (found.journals.some((j) => j.res.skipped.length > 0)) store.checkpointSoon()
    const every = opts.checkpointIntervalMs ?? 60_000
    if (every > 0) {
      store.timer = setInterval(() => store.checkpointSoon(), every)
      store.timer.unref()
    }
    store.startScrub()
    logger.info('call store opened', { calls: shards.rowCount, months: shards.monthCount })
    const opened = clock.now()
    void shards.settled.then(() => {
      if (store.closed) return
      logger.info('call store settled', {
        months: shards.monthCount,
        seconds: Math.round((clock.now() - opened) / 100) / 10,
      })
      // Indexes in an older format are written again once (a restart then reads less).
      store
        .holdCheckpoints(() => shards.upgradeIndexes())
        .then((months) => {
          if (months.length > 0) logger.info('call store: month indexes rewritten', { months })
        })
        .catch((err: unknown) =>
          logger.warn('call store: rewriting old month indexes failed', { error: String(err) }),
        )
    })
    return store
  }

  /** Puts one replayed journal record (never going back to an older version). */
  private async replayRecord(rec: JournalRecord): Promise<void> {
    // A journal copied by a live backup may lag a month: a `c` record older than the stored
    // version is skipped, and so is a `u` record the store already has (see `revised`).
    if (rec.c && (this.shards.revisionOf(rec.c.id) ?? 0) > rec.c.revision) return
    const call = rec.c ?? (rec.u ? await this.revised(rec.u) : null)
    if (!call) return
    this.shards.put(call)
    if (!this.lastPush || call.receivedAt > this.lastPush) this.lastPush = call.receivedAt
  }

  /**
   * The month files meta.json lists that are gone, each with the ids its index still names
   * (null when the index is gone too). Read before replay, so what replay finds again is told.
   */
  private async missingMonths(
    meta: StoreMeta,
  ): Promise<{ month: string; held: number; ids: string[] | null }[]> {
    const out: { month: string; held: number; ids: string[] | null }[] = []
    for (const [month, entry] of Object.entries(meta.months ?? {})) {
      if (this.shards.callsIn(month) > 0 || (await this.shardOnDisk(month))) continue
      const rows = await readIndex(this.opts.dir, month)
      out.push({ month, held: entry.calls, ids: rows ? rows.map((r) => r.id) : null })
    }
    return out
  }

  private async shardOnDisk(month: string): Promise<boolean> {
    return stat(shardPath(this.opts.dir, month)).then(
      () => true,
      () => false,
    )
  }

  /**
   * Tells what start-up found lost: damaged journal records and gaps in their numbers, a missing
   * journal, a missing or replaced month file; each with its exact count where it can be known,
   * and the ids whatever is left can name. Returns true when files were missing or replaced.
   */
  private reportLosses(
    meta: StoreMeta,
    found: ReplayFindings<JournalRecord>,
    missing: { month: string; held: number; ids: string[] | null }[],
  ): boolean {
    const { dir } = this.opts
    const reporter = this.opts.reporter ?? silentReporter
    const numbered = meta.nextSeq !== null
    for (const j of found.journals) {
      if (j.res.truncatedBytes > 0)
        this.opts.logger.warn('call journal: cut a torn last record (an interrupted write)', {
          file: j.file,
          bytes: j.res.truncatedBytes,
          keptAt: j.res.asidePath,
        })
      if (j.res.skipped.length === 0 && j.lost === 0) continue
      const legacy = !numbered || j.res.records.some((r) => r.q === undefined)
      reporter.problem(
        journalDamaged({
          file: j.file,
          offsets: j.res.skipped.map((sk) => sk.offset),
          count: legacy ? Math.max(j.lost, j.res.skipped.length) : j.lost,
          exact: !legacy,
          ids: unique(j.ids),
          keptAt: j.res.asidePath,
        }),
      )
    }
    let damaged = false
    // A journal after the listed one: a checkpoint was cut short after switching to it; if it
    // had written months already, records of the listed journal may be sealed in them.
    const interrupted = found.present.some((seq) => seq > meta.journalSeq)
    const sealedSince = interrupted && this.shards.monthsNotListed(meta.months ?? {})
    // The journal meta.json names must be there (it is created empty by every checkpoint).
    if (numbered && !found.present.includes(meta.journalSeq)) {
      damaged = true
      // Counted from the first record of the next journal, when it has one.
      const later = found.journals.find((j) => j.seq > meta.journalSeq && j.firstQ !== null)
      reporter.problem(
        journalMissing({
          file: journalPath(dir, meta.journalSeq),
          count: later ? later.lostBefore : meta.closed && !interrupted ? 0 : null,
          ids: unique(later?.idsBefore ?? []),
          closedCleanly: meta.closed,
          since: meta.lastPushAt,
          atMost: sealedSince,
        }),
      )
    }
    for (const m of missing) {
      damaged = true
      const lostIds = m.ids ? m.ids.filter((id) => !this.shards.has(id)) : []
      const count = m.ids ? lostIds.length : Math.max(0, m.held - this.shards.callsIn(m.month))
      reporter.problem(
        monthMissing({
          file: shardPath(dir, m.month),
          month: m.month,
          held: m.held,
          count,
          ids: lostIds,
          idsKnown: m.ids !== null,
        }),
      )
    }
    // A month file that is not the one listed, which no interrupted checkpoint explains, and
    // holds fewer calls than listed.
    for (const [month, entry] of Object.entries(meta.months ?? {})) {
      // A month set aside as damaged meanwhile (the background check) is told on its own.
      if (interrupted || missing.some((m) => m.month === month)) continue
      if (this.shards.setAsideMonths.has(month)) continue
      const has = this.shards.callsIn(month)
      if (has >= entry.calls || this.shards.sameAsListed(month)) continue
      damaged = true
      reporter.problem(
        monthMismatch({ file: shardPath(dir, month), month, held: entry.calls, has }),
      )
    }
    return damaged
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
    let step: { result: UpsertResult; durable: Promise<void> | undefined; write?: InFlight }
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
    const { result, durable, write } = step
    if (!this.lastPush || receivedAt > this.lastPush) this.lastPush = receivedAt
    if (!durable) return result
    let written = false
    try {
      await durable
      written = true
    } catch (err) {
      // Not durable: undo in memory unless a later version already replaced it, back to the
      // last version that is durable (a version decided against a version still in flight, as
      // this one may have been, fails with it: restoring its `prev` kept a version never
      // written, and the vendor's retry of it was then judged unchanged and acknowledged).
      const chain = this.inflight.get(id)
      if (write && chain && this.shards.peek(id) === result.call)
        this.shards.restore(id, chain.base)
      this.writeRefused(err)
      throw err
    } finally {
      const chain = this.inflight.get(id)
      if (chain === write) this.inflight.delete(id)
      // Durable now: the base a later version of the chain falls back to.
      else if (chain && write && written) chain.base = result.call
    }
    if (this.refusing) this.writesWork()
    if (this.journal.bytes >= this.checkpointThreshold()) this.checkpointSoon()
    // Durable now: announced before the caller hears it (a repeat is not a stored call).
    if (result.outcome !== 'unchanged')
      this.stored.tell({ call: result.call, outcome: result.outcome, json: result.json })
    return result
  }

  /** Every call this store makes durable (the folder has one writer: no remote calls). */
  onStored(fn: (stored: StoredCall) => void): () => void {
    return this.stored.add(fn)
  }

  /** Decides against `prev` and, when something changed, applies it in memory and journals it. */
  private apply(
    prev: Call | null,
    fields: CallFields,
    raw: RawParams,
    receivedAt: string,
  ): { result: UpsertResult; durable: Promise<void> | undefined; write?: InFlight } {
    const id = fields.id
    const result: UpsertResult = decide(prev, fields, raw, receivedAt)
    if (result.outcome === 'unchanged') return { result, durable: this.inflight.get(id)?.durable }
    let members: Buffer
    if (result.outcome === 'created') {
      // One stringify and one UTF-8 encoding serve the journal record, the next checkpoint of
      // the month (which writes the call's bytes straight from the record) and the event
      // announcing the call (UpsertResult.json).
      result.json = JSON.stringify(result.call)
      members = Buffer.from(`"c":${result.json}`, 'utf8')
      this.shards.put(result.call, members.subarray(CALL_START))
    } else {
      const { history: _kept, ...version } = result.call
      members = Buffer.from(`"u":${JSON.stringify(version)}`, 'utf8')
      this.shards.put(result.call)
    }
    const durable = this.journal.appendMembers(members)
    this.avgLineBytes += (members.length + 24 - this.avgLineBytes) / 64
    // The chain's base is the last durable version: `prev`, unless `prev` is itself in flight.
    const chain = this.inflight.get(id)
    const write: InFlight = { durable, base: chain ? chain.base : prev }
    this.inflight.set(id, write)
    return { result, durable, write }
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
      this.shards.scanFieldsDesc(cq.lo, cq.hi, (r) => {
        if (!cq.match(r)) return
        total++
        if (page.length <= limit && (after === null || compareRows(r, after) < 0))
          page.push(keepRow(r))
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
      this.shards.scanMonthFieldsDesc(month, cq.lo, cq.hi, (r) => {
        if (cq.match(r)) rows.push(keepRow(r))
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
      this.shards.scanFieldsDesc(lo, endOfLocalDate(localDate, zone), (r) => counts[r.s]!++)
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
    this.shards.scanFieldsDesc(startOfLocalDate(from, zone), endOfLocalDate(to, zone), (r) => {
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
      if (!this.shards.hasDirty() && this.journal.bytes === 0) {
        // Nothing to seal; a scrub may have verified a month since the list was written.
        if (this.metaStale) await this.saveMeta(false)
        return
      }
      const next = this.journalSeq + 1
      const switched = await this.journal.switchTo(journalPath(dir, next))
      this.accounted.set(this.journalSeq, switched.oldBytes)
      this.accounted.set(next, 0)
      this.journalSeq = next
      this.firstSeq = switched.firstSeq ?? this.firstSeq
      await this.shards.writeDirty()
      await this.saveMeta(false)
      await this.retire(next)
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

  /**
   * Stops every write at once, for a store whose folder another process took over: no timer,
   * no checkpoint, no background work; `close` then only closes the journal's file. (The fence
   * refuses the writes anyway; this keeps the store from trying them.)
   */
  abandon(): void {
    this.abandoned = true
    this.closed = true
    if (this.timer) clearInterval(this.timer)
    if (this.scrubTimer) clearInterval(this.scrubTimer)
    this.shards.stopBackground()
  }

  /** Flushes the journal, checkpoints, and closes the files. */
  async close(): Promise<void> {
    if (this.abandoned) return void (await this.journal.close().catch(() => {}))
    if (this.closed) return
    if (this.timer) clearInterval(this.timer)
    if (this.scrubTimer) clearInterval(this.scrubTimer)
    this.shards.stopBackground()
    await this.shards.settled
    await Promise.allSettled([...this.inflight.values()].map((c) => c.durable))
    await this.journal.flush()
    if (this.checkpointing) await this.checkpointing.catch(() => {})
    await this.checkpoint()
    // Closed cleanly: the journal the list names holds nothing (told if it goes missing).
    if (this.journal.bytes === 0) await this.saveMeta(true)
    this.closed = true
    await this.journal.close()
  }

  /** Writes meta.json: the journal in use, its first record's number and the month files. */
  private async saveMeta(closed: boolean): Promise<void> {
    this.metaStale = false
    await writeMeta(this.opts.dir, {
      v: 2,
      timezone: this.opts.timezone,
      journalSeq: this.journalSeq,
      nextSeq: this.firstSeq,
      lastPushAt: this.lastPush,
      closed,
      months: this.shards.manifestMonths(),
    })
  }

  /**
   * Retires the journals before `next`, whose records the checkpoint just sealed into months,
   * each only once its length is what this process has read or written of it: bytes beyond that
   * (appended by another process) are read and put first, and the journal stays for the next
   * checkpoint to seal them. Never on the word of meta.json alone.
   */
  private async retire(next: number): Promise<void> {
    const { dir } = this.opts
    for (const [seq, bytes] of [...this.accounted].sort((a, b) => a[0] - b[0])) {
      if (seq >= next) continue
      const path = journalPath(dir, seq)
      const size = await stat(path).then(
        (st) => st.size,
        () => -1,
      )
      if (size > bytes) {
        await this.adoptForeign(path, bytes, size)
        this.accounted.set(seq, size)
        continue
      }
      if (size >= 0) await unlinkOwned(path)
      this.accounted.delete(seq)
    }
  }

  /** Puts the records of `path` between `from` and `to` (appended behind this process's back). */
  private async adoptForeign(path: string, from: number, to: number): Promise<void> {
    const fh = await openFile(path, 'r')
    let bytes: Buffer
    try {
      bytes = Buffer.alloc(to - from)
      await fh.read(bytes, 0, bytes.length, from)
    } finally {
      await fh.close()
    }
    const { records } = scanJournal<JournalRecord>(bytes)
    this.opts.logger.warn('call journal grew behind this process: its records are kept', {
      file: path,
      records: records.length,
    })
    for (const rec of records) await this.replayRecord(rec)
  }

  /**
   * One step of the scrub now: the month verified longest ago is read whole again if it is due
   * (see {@link FileCallStoreOptions.scrubEveryMs}); returns it, or null when none was due.
   */
  async scrubNow(): Promise<string | null> {
    const every = this.opts.scrubEveryMs || SCRUB_EVERY_MS
    const month = await this.holdCheckpoints(() => this.shards.scrubOne(every))
    if (month) {
      this.metaStale = true
      this.opts.logger.info('call store: scrub verified a month', { month })
    }
    return month
  }

  /** Starts the scrub (see {@link FileCallStoreOptions.scrubEveryMs}). */
  private startScrub(): void {
    const every = this.opts.scrubEveryMs ?? SCRUB_EVERY_MS
    const tick = this.opts.scrubTickMs ?? SCRUB_TICK_MS
    if (every <= 0 || tick <= 0) return
    let running = false
    this.scrubTimer = setInterval(() => {
      if (running || this.closed) return
      running = true
      // After the start-up checks: the scrub is the slow, thorough pass.
      void this.shards.settled
        .then(() => this.scrubNow())
        .catch((err: unknown) =>
          this.opts.logger.error('call store: the scrub failed', { error: String(err) }),
        )
        .finally(() => (running = false))
    }, tick)
    this.scrubTimer.unref()
  }
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)]
}

function hotFromMonth(now: number, zone: string, hotMonths: number): string {
  // The month key of "now" in the zone, minus (hotMonths - 1) whole months.
  const [y, m] = monthOf(now, zone).split('-').map(Number) as [number, number]
  const idx = y * 12 + (m - 1) - Math.max(0, hotMonths - 1)
  return `${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, '0')}`
}
