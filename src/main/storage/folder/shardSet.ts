import type { Call } from '../../../shared/domain'
import type { Logger } from '../../ground/logger'
import { silentReporter, type StorageReporter } from '../types'
import type { CallRow } from './callIndex'
import { CheckpointWriter } from './checkpointWriter'
import { Containment, type UnreadableMonths } from './containment'
import type { MonthEntry } from './manifest'
import { MonthCache } from './monthCache'
import type { RowFields } from './monthColumns'
import { RowIndex } from './rowIndex'
import { Background, loadMonths } from './startup'

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
  scanFieldsDesc(lo: number, hi: number, fn: (r: RowFields) => void): void {
    this.rows.scanFieldsDesc(lo, hi, fn)
  }
  scanMonthFieldsDesc(month: string, lo: number, hi: number, fn: (r: RowFields) => void): void {
    this.rows.scanMonthFieldsDesc(month, lo, hi, fn)
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
