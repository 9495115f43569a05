import type { Call } from '../../../shared/domain'
import type { Logger } from '../../ground/logger'
import { compareRows } from '../query'
import { rowOf } from './callIndex'
import type { Containment } from './containment'
import { sameFile, type MonthEntry } from './manifest'
import { DamagedFileError, parseMonth } from './monthSeal'
import type { RowIndex } from './rowIndex'
import { isoAt, sortedRows } from './shard'
import {
  listShardMonths,
  monthIdentity,
  readIndexFile,
  readMonthFile,
  shardPath,
  writeIndex,
  type MonthIdentity,
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
  const reads: Promise<[Awaited<ReturnType<typeof readIndexFile>>, MonthIdentity | null]>[] = []
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
    const cols = file?.columns ?? null
    let rows = file?.rows ?? null
    shard.oldIndex = file !== null && !file.current
    delete reads[i]
    const known = manifest?.[month]
    if (known && identity && sameFile(known, identity)) {
      shard.entry = known
      shard.verified = true
      shard.listed = true
    }
    if (cols?.isSorted()) {
      // The usual case: no row is made (see MonthColumns).
      shard.fileCalls = shard.entry?.calls ?? cols.n
      index.addColumns(shard, cols)
      continue
    }
    if (cols) rows = cols.rows()
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
    if (!rows.every((r, k) => k === 0 || compareRows(rows[k - 1]!, r) < 0)) rows.sort(compareRows)
    shard.rows = rows
    shard.fileCalls = shard.entry?.calls ?? rows.length
    index.addLoaded(shard)
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
   * of it (1.4 s and more at a million calls). Months loaded as columns are listed from those
   * (NumberIndex.addColumns: one lookup per distinct caller of a month, by a numeric key, no row
   * made), and become searchable together once the last is listed; the others row by row.
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
