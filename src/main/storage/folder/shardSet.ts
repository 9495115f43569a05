import type { Call } from '../../../shared/domain'
import type { Logger } from '../../ground/logger'
import { compareRows } from '../query'
import { silentReporter, type StorageReporter } from '../types'
import { type CallRow, rowOf } from './callIndex'
import { CheckpointWriter } from './checkpointWriter'
import { Containment, type UnreadableMonths } from './containment'
import type { MonthNumbers } from './indexFile'
import { type MonthEntry, sameFile } from './manifest'
import { MonthCache } from './monthCache'
import { DamagedFileError, parseMonth } from './monthSeal'
import { RowIndex } from './rowIndex'
import { isoAt, sortedRows } from './shard'
import {
  listShardMonths,
  monthIdentity,
  type MonthIdentity,
  readIndexFile,
  readMonthFile,
  shardPath,
  writeIndex,
} from './shardFiles'

/** What start-up is handed: the folder, the parts it fills, and the previous manifest. */
export interface LoadDeps {
  dir: string
  zone: string
  rows: RowIndex
  checks: Containment
  /** Months changed since the last checkpoint: a month rebuilt from its document is written again. */
  dirty: Set<string>
  logger: Logger
  now: () => number
  manifest: Readonly<Record<string, MonthEntry>> | null
}

/**
 * Loads every month's index (rebuilding it from the month's document if missing) into `rows`.
 * A month whose file still has the identity `manifest` lists (size, modification time, seal
 * checksum) was verified before and is not read again; the others are verified in the
 * background ({@link Background}).
 */
export async function loadMonths(deps: LoadDeps): Promise<void> {
  const { dir, zone, rows: index, checks, dirty, logger, now, manifest } = deps
  const months = await listShardMonths(dir)
  // Reads run a few months ahead, so the disk works while the previous month is decoded.
  const reads: Promise<
    [
      { rows: CallRow[]; current: boolean; numbers: MonthNumbers | null } | null,
      MonthIdentity | null,
    ]
  >[] = []
  const readAhead = (upTo: number): void => {
    for (let k = reads.length; k < Math.min(upTo, months.length); k++)
      reads.push(Promise.all([readIndexFile(dir, months[k]!), monthIdentity(dir, months[k]!)]))
  }
  for (const [i, month] of months.entries()) {
    readAhead(i + 4)
    const shard = index.shardFor(month)
    shard.onDisk = true
    shard.verified = false
    shard.full = null
    const [file, identity] = await reads[i]!
    let rows = file?.rows ?? null
    shard.oldIndex = file !== null && !file.current
    delete reads[i]
    const known = manifest?.[month]
    if (known && identity && sameFile(known, identity)) {
      shard.entry = known
      shard.verified = true
      shard.listed = true
    }
    if (!rows) {
      logger.warn('call store: rebuilding a month index from its document', {
        file: shardPath(dir, month),
      })
      let calls: Call[]
      const read = await readMonthFile(dir, month)
      try {
        calls = read ? parseMonth(read.doc, shardPath(dir, month)) : []
        shard.verified = true
        if (read) shard.entry = { ...read.identity, calls: calls.length, verifiedAt: isoAt(now) }
      } catch (err) {
        if (!(err instanceof DamagedFileError)) throw err
        calls = await checks.containAtLoad(shard, err.reason)
      }
      rows = calls.map((c) => rowOf(c, zone))
      shard.full = new Map(calls.map((c) => [c.id, c]))
      dirty.add(month)
    }
    // Months are written in order: one linear check spares the sort.
    const sorted = rows.every((r, k) => k === 0 || compareRows(rows[k - 1]!, r) < 0)
    const named = sorted && file?.numbers && file.rows === rows ? file.numbers : null
    if (!sorted) rows.sort(compareRows)
    shard.rows = rows
    shard.fileCalls = shard.entry?.calls ?? rows.length
    index.addLoaded(shard, named)
    // Full documents load on first use (a page reads single calls by byte range anyway).
    if (!shard.hot && shard.full) shard.full = null
  }
  index.endLoading()
}

/**
 * The work start-up leaves to the background, one month per event-loop turn (the app stays
 * responsive meanwhile): the id map, then the number index, then every month on disk verified.
 * Anything that needs the id map or the number index before it is complete finishes it first.
 */
export class Background {
  /** Set by {@link stop}: the background work ends at its next step. */
  private stopped = false
  private settle: () => void = () => {}
  /**
   * Resolves once the work start-up leaves to the background is done: the id map, the number
   * index, and every month on disk verified (or when stopped).
   */
  readonly settled: Promise<void> = new Promise((res) => (this.settle = res))

  /**
   * @param dirty months changed since the last checkpoint: their indexes are left to it.
   */
  constructor(
    private readonly dir: string,
    private readonly rows: RowIndex,
    private readonly checks: Containment,
    private readonly dirty: ReadonlySet<string>,
    private readonly logger: Logger,
  ) {}

  /**
   * Filling the id map costs about as much as reading every index (a million inserts), and
   * nothing but pushes and lookups by id needs it: so start-up returns once the rows are loaded,
   * and the map fills in one month per event-loop turn.
   */
  start(): void {
    this.inTurns(
      () => this.rows.adoptStep(),
      () => this.indexNumbers(),
    )
  }

  /** Ends the background work (closing the store). */
  stop(): void {
    this.stopped = true
  }

  /**
   * Takes one step per event-loop turn (anything else may take the steps' work meanwhile) while
   * `step` says work is left, then calls `then`; settles at once when the store is closing.
   */
  private inTurns(step: () => boolean, then: () => void): void {
    const turn = (): void => {
      if (this.stopped) return this.settle()
      if (step()) setImmediate(turn)
      else then()
    }
    setImmediate(turn)
  }

  /**
   * The number index (for number searches) is built the same way, one month per event-loop turn
   * once the id map is complete: built on the first search instead, that search waited for all
   * of it (1.4 s and more at a million calls). Months whose index file names their numbers are
   * listed from those (NumberIndex.addMonth: a lookup per distinct caller of the month, not per
   * row), and become searchable together once the last is listed; the others row by row.
   * Pushes meanwhile list their rows at once (a row listed twice is harmless: searches verify and
   * de-duplicate every row they get back).
   */
  private indexNumbers(): void {
    // A search that came first built it whole already.
    if (!this.rows.numbersPending()) return this.indexUnindexed()
    this.inTurns(
      () => this.rows.listNumbersStep(),
      () => this.indexUnindexed(),
    )
  }

  /** Then the months loaded without their numbers, row by row, one month per turn. */
  private indexUnindexed(): void {
    this.inTurns(
      () => this.rows.indexUnindexedStep(),
      () => void this.verifyInBackground(),
    )
  }

  /**
   * Then every month is verified, newest first, one at a time: a page or an export that reads
   * a month first in this process waits for its whole-file checksum, so left to the first query,
   * a search whose matches span two years read and checked two years of month files (7 s at a
   * million calls). A month a query reaches first is verified by that query, as before; damage
   * found here is contained and told the same way.
   */
  private async verifyInBackground(): Promise<void> {
    const months = [...this.rows.months.values()].sort((a, b) => (a.month < b.month ? 1 : -1))
    for (const shard of months) {
      if (this.stopped) break
      try {
        await this.checks.verify(shard)
      } catch (err) {
        this.logger.error('call store: background check of a month failed', {
          month: shard.month,
          error: String(err),
        })
      }
      await new Promise<void>((res) => setImmediate(res))
    }
    this.settle()
  }

  /**
   * Writes in the current format the indexes start-up found in an older one (the format a
   * restart reads less of), for months unchanged since they were loaded, one month per
   * event-loop turn. The caller holds checkpoints meanwhile. Returns the months written.
   */
  async upgradeIndexes(): Promise<string[]> {
    const done: string[] = []
    for (const shard of this.rows.months.values()) {
      if (this.stopped) break
      if (!shard.oldIndex || !shard.onDisk || !shard.verified || this.dirty.has(shard.month))
        continue
      if (shard.overlay.size > 0 || shard.rows.some((r) => r.off < 0)) continue
      await writeIndex(this.dir, shard.month, sortedRows(shard))
      shard.oldIndex = false
      done.push(shard.month)
      await new Promise<void>((res) => setImmediate(res))
    }
    return done
  }
}

/**
 * The months of the store in memory, as the file store sees them: one door over five parts,
 * each handed what it works on:
 * - {@link RowIndex} (rowIndex.ts): every month's compact rows, the id map, the number index,
 *   time-range scans and today's counts;
 * - {@link MonthCache} (monthCache.ts): full calls by byte range, the full documents of recent
 *   months and an LRU of older ones;
 * - {@link CheckpointWriter} (checkpointWriter.ts): the changes not yet checkpointed, written;
 * - {@link loadMonths} and {@link Background} (startup.ts): loading, then the id map, the
 *   number index and the month checks filled in after start-up;
 * - {@link Containment} (containment.ts): month checks, the scrub, damaged months set aside and
 *   rebuilt, and what the manifest lists.
 * The month records themselves are in shard.ts.
 */
export class ShardSet {
  /** Months changed since the last checkpoint (every part that changes a month adds it). */
  private readonly dirty = new Set<string>()
  private readonly rows: RowIndex
  private readonly checks: Containment
  private readonly cache: MonthCache
  private readonly writer: CheckpointWriter
  private readonly background: Background

  private constructor(
    dir: string,
    zone: string,
    hotFrom: string,
    coldCap: number,
    logger: Logger,
    reporter: StorageReporter,
    now: () => number,
  ) {
    const dirty = this.dirty
    this.rows = new RowIndex(zone, hotFrom, dirty)
    const months = this.rows.months
    this.checks = new Containment(dir, this.rows, dirty, logger, reporter, now)
    this.cache = new MonthCache(dir, months, this.checks, coldCap, logger)
    this.writer = new CheckpointWriter(dir, months, dirty, this.cache, this.checks, now)
    this.background = new Background(dir, this.rows, this.checks, dirty, logger)
  }

  /**
   * Loads every month's index (rebuilding it from the month's document if missing). A month
   * whose file still has the identity `manifest` lists (size, modification time, seal checksum)
   * was verified before and is not read again; the others are verified in the background.
   */
  static async load(
    dir: string,
    zone: string,
    hotFrom: string,
    coldCap: number,
    logger: Logger,
    reporter: StorageReporter = silentReporter,
    now: () => number = Date.now,
    manifest: Readonly<Record<string, MonthEntry>> | null = null,
  ): Promise<ShardSet> {
    const set = new ShardSet(dir, zone, hotFrom, coldCap, logger, reporter, now)
    const { rows, checks, dirty } = set
    await loadMonths({ dir, zone, rows, checks, dirty, logger, now, manifest })
    set.background.start()
    return set
  }

  /**
   * Resolves once the work start-up leaves to the background is done: the id map, the number
   * index, and every month on disk verified (or when stopped).
   */
  get settled(): Promise<void> {
    return this.background.settled
  }

  /** Ends the background work (closing the store). */
  stopBackground(): void {
    this.background.stop()
  }

  /** See {@link Background.upgradeIndexes}. */
  upgradeIndexes(): Promise<string[]> {
    return this.background.upgradeIndexes()
  }

  /**
   * Makes `call` the current version of its id (in memory; the caller journals it). `json`, when
   * given, is `JSON.stringify(call)` in UTF-8: the next checkpoint writes it as it is.
   */
  put(call: Call, json?: Buffer): void {
    if (json !== undefined) this.writer.remember(call, json)
    this.rows.put(call)
  }

  async get(id: string): Promise<Call | null> {
    const row = this.rows.rowOfId(id)
    if (!row) return null
    const [call] = await this.cache.fetchRows([row])
    return call ?? null
  }

  /** See {@link MonthCache.fetchRows}. */
  fetchRows(rows: readonly CallRow[]): Promise<Call[]> {
    return this.cache.fetchRows(rows)
  }

  // The row index (see RowIndex for each).
  get size(): number {
    return this.rows.size
  }
  get rowCount(): number {
    return this.rows.rowCount
  }
  get monthCount(): number {
    return this.rows.monthCount
  }
  callsIn(month: string): number {
    return this.rows.callsIn(month)
  }
  has(id: string): boolean {
    return this.rows.has(id)
  }
  revisionOf(id: string): number | undefined {
    return this.rows.revisionOf(id)
  }
  peek(id: string): Call | null | undefined {
    return this.rows.peek(id)
  }
  restore(id: string, prev: Call | null): void {
    this.rows.restore(id, prev)
  }
  rowsWithDigits(digits: string, cap: number): CallRow[] | null {
    return this.rows.rowsWithDigits(digits, cap)
  }
  rowsOfCaller(number: string): CallRow[] {
    return this.rows.rowsOfCaller(number)
  }
  monthsDesc(lo: number, hi: number): string[] {
    return this.rows.monthsDesc(lo, hi)
  }
  scanDesc(lo: number, hi: number, fn: (r: CallRow) => void): void {
    this.rows.scanDesc(lo, hi, fn)
  }
  scanMonthDesc(month: string, lo: number, hi: number, fn: (r: CallRow) => void): void {
    this.rows.scanMonthDesc(month, lo, hi, fn)
  }
  dayCounts(start: number, end: number): readonly number[] {
    return this.rows.dayCounts(start, end)
  }

  // The checkpoint (see CheckpointWriter).
  hasDirty(): boolean {
    return this.writer.hasDirty()
  }
  dirtyRows(): number {
    return this.writer.dirtyRows()
  }
  writeDirty(): Promise<void> {
    return this.writer.writeDirty()
  }

  // Damage containment and the manifest (see Containment).
  get unreadable(): UnreadableMonths {
    return this.checks.unreadable
  }
  get setAsideMonths(): ReadonlySet<string> {
    return this.checks.setAsideMonths
  }
  verifyAll(): Promise<string[]> {
    return this.checks.verifyAll()
  }
  scrubOne(everyMs: number): Promise<string | null> {
    return this.checks.scrubOne(everyMs)
  }
  manifestMonths(): Record<string, MonthEntry> {
    return this.checks.manifestMonths()
  }
  monthsNotListed(listed: Readonly<Record<string, MonthEntry>>): boolean {
    return this.checks.monthsNotListed(listed)
  }
  sameAsListed(month: string): boolean {
    return this.checks.sameAsListed(month)
  }
}
