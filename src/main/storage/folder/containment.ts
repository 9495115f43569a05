import type { Call } from '../../../shared/domain'
import type { Logger } from '../../ground/logger'
import type { StorageReporter } from '../types'
import type { MonthEntry } from './manifest'
import { DamagedFileError, parseMonth, salvageMonth, verifyMonth } from './monthSeal'
import type { RowIndex } from './rowIndex'
import { isoAt, sortedRows, type Shard } from './shard'
import { readMonthFile, readShardBytes, setAsideMonth, shardPath } from './shardFiles'

/** Calls of a damaged month that could not be read back, by month (for answers to queries). */
export type UnreadableMonths = ReadonlyMap<string, number>

/**
 * Damage containment: checks each month document against its seal (once per process, again by
 * the scrub), and sets a damaged month aside and rebuilds it from what is still readable and
 * from the journal, counting and naming the calls lost. Also what the manifest records of each
 * month's file.
 */
export class Containment {
  /** Damaged months being set aside and rebuilt (one containment per month at a time). */
  private readonly containing = new Map<string, Promise<void>>()
  /** Calls lost to damage, by month: what queries of that month must say they miss. */
  readonly unreadable = new Map<string, number>()
  /** Months found damaged and set aside in this process (each told on its own). */
  readonly setAsideMonths = new Set<string>()

  /**
   * @param rows the months and their rows; a rebuilt month's calls are put back through it.
   * @param dirty months changed since the last checkpoint: a rebuilt month is written again.
   */
  constructor(
    private readonly dir: string,
    private readonly rows: RowIndex,
    private readonly dirty: Set<string>,
    private readonly logger: Logger,
    private readonly reporter: StorageReporter,
    private readonly now: () => number,
  ) {}

  /** Checks a month document's checksum once per process; contains it when damaged. */
  async verify(shard: Shard): Promise<void> {
    // A containment under way (found by another reader, or the background check) is waited
    // for: the month reads as verified as soon as it is set aside, before its loss is counted.
    const running = this.containing.get(shard.month)
    if (running) return running
    if (shard.verified || !shard.onDisk) return
    await this.verifyNow(shard)
  }

  /** Reads the month whole and checks it against its seal, whatever was checked before. */
  private async verifyNow(shard: Shard): Promise<void> {
    const read = await readMonthFile(this.dir, shard.month)
    const verdict = read
      ? verifyMonth(read.doc)
      : { state: 'damaged' as const, reason: 'it is missing' }
    if (verdict.state === 'damaged') await this.contain(shard, read?.doc ?? null, verdict.reason)
    else if (read) {
      shard.entry = { ...read.identity, calls: verdict.calls, verifiedAt: isoAt(this.now) }
      shard.fileCalls = verdict.calls
    }
    shard.verified = true
  }

  /** A month's calls from its document, checksum verified; a damaged month is contained. */
  async readVerified(shard: Shard): Promise<Call[]> {
    const read = await readMonthFile(this.dir, shard.month)
    try {
      const calls = read ? parseMonth(read.doc, shardPath(this.dir, shard.month)) : []
      if (read) shard.entry = { ...read.identity, calls: calls.length, verifiedAt: isoAt(this.now) }
      shard.verified = true
      return calls
    } catch (err) {
      if (!(err instanceof DamagedFileError)) throw err
      await this.contain(shard, read?.doc ?? null, err.reason)
      // Its readable calls are now pending versions (the overlay), merged by the caller.
      return []
    }
  }

  /**
   * The scrub: reads again, whole, the month verified longest ago if that was more than `everyMs`
   * ago (a file system's scrub: damage that came later, with no write, is found within that
   * time), and contains it if damaged. Returns the month checked, or null when none was due.
   */
  async scrubOne(everyMs: number): Promise<string | null> {
    const due = this.now() - everyMs
    let pick: Shard | null = null
    let pickAt = Infinity
    for (const shard of this.rows.months.values()) {
      if (!shard.onDisk || this.containing.has(shard.month)) continue
      const at = shard.entry?.verifiedAt ? Date.parse(shard.entry.verifiedAt) : -Infinity
      if (at <= due && at < pickAt) {
        pick = shard
        pickAt = at
      }
    }
    if (!pick) return null
    await this.verifyNow(pick)
    return pick.month
  }

  /** Verifies every month (doctor, the Settings check); returns the months found damaged. */
  async verifyAll(): Promise<string[]> {
    const damaged: string[] = []
    for (const shard of this.rows.months.values()) {
      const before = shard.onDisk
      await this.verify(shard)
      if (before && !shard.onDisk) damaged.push(shard.month)
    }
    return damaged
  }

  /**
   * The month files that must exist, as the manifest lists them: every month on disk, with what
   * is known of its file (a month not verified yet has no checksum: it is verified at the next
   * start).
   */
  manifestMonths(): Record<string, MonthEntry> {
    const out: Record<string, MonthEntry> = {}
    const months = this.rows.months
    for (const month of [...months.keys()].sort()) {
      const shard = months.get(month)!
      if (!shard.onDisk) continue
      out[month] = shard.entry ?? {
        calls: shard.fileCalls,
        bytes: -1,
        mtimeMs: -1,
        crc: null,
        verifiedAt: null,
      }
    }
    return out
  }

  /** Whether a month file on disk is not the one `listed` names (or is not listed at all). */
  monthsNotListed(listed: Readonly<Record<string, MonthEntry>>): boolean {
    for (const shard of this.rows.months.values())
      if (shard.onDisk && (!listed[shard.month] || !shard.listed)) return true
    return false
  }

  /** Whether the month's file was, at load, the one the manifest lists. */
  sameAsListed(month: string): boolean {
    return this.rows.months.get(month)?.listed ?? false
  }

  /**
   * Sets a damaged month aside and rebuilds it: every call still readable in `doc` and every
   * version pending from the journal become the month's pending versions (written by the next
   * checkpoint); the calls of the index that could not be read are dropped, counted and named.
   * Other months, pushes and checkpoints go on meanwhile.
   */
  contain(shard: Shard, doc: Buffer | null, reason: string): Promise<void> {
    let running = this.containing.get(shard.month)
    if (!running) {
      running = this.rebuild(shard, doc, reason).finally(() => this.containing.delete(shard.month))
      this.containing.set(shard.month, running)
    }
    return running
  }

  private async rebuild(shard: Shard, doc: Buffer | null, reason: string): Promise<void> {
    if (!shard.onDisk) return
    const { calls, unverified } = doc ? salvageMonth(doc) : { calls: [], unverified: false }
    const keptAt = await this.setAside(shard)
    const found = new Set(calls.map((c) => c.id))
    const lost: string[] = []
    // Every row of the month, those pushed out of order (the tail) included.
    for (const row of [...sortedRows(shard)]) {
      if (shard.overlay.has(row.id) || found.has(row.id)) continue
      lost.push(row.id)
      this.rows.removeRow(row)
    }
    for (const call of calls) {
      const existing = this.rows.rowOfId(call.id)
      // A newer version pending from the journal, or one in another month, wins.
      if (existing && (existing.m !== shard.month || shard.overlay.has(call.id))) continue
      this.rows.put(call)
    }
    shard.full = null
    this.dirty.add(shard.month)
    this.report(shard.month, reason, calls.length, unverified, lost, keptAt)
  }

  /** Containment found while loading (no index to name lost calls by); returns what was read. */
  async containAtLoad(shard: Shard, reason: string): Promise<Call[]> {
    const doc = await readShardBytes(this.dir, shard.month)
    const { calls, unverified } = doc ? salvageMonth(doc) : { calls: [], unverified: false }
    const keptAt = await this.setAside(shard)
    for (const c of calls) shard.overlay.set(c.id, c)
    this.report(shard.month, reason, calls.length, unverified, null, keptAt)
    return calls
  }

  private async setAside(shard: Shard): Promise<string | null> {
    this.setAsideMonths.add(shard.month)
    shard.onDisk = false
    shard.verified = true
    shard.entry = null
    shard.fileCalls = 0
    try {
      return await setAsideMonth(this.dir, shard.month, this.now())
    } catch (err) {
      // A disk refusing the rename: the month is still rebuilt in memory and rewritten later.
      this.logger.error('call store: could not set a damaged month aside', {
        file: shardPath(this.dir, shard.month),
        error: String(err),
      })
      return null
    }
  }

  private report(
    month: string,
    reason: string,
    read: number,
    unverified: boolean,
    lost: string[] | null,
    keptAt: string | null,
  ): void {
    const file = shardPath(this.dir, month)
    if (lost && lost.length > 0) this.unreadable.set(month, lost.length)
    const lostText =
      lost === null
        ? 'Its index was unreadable too, so calls that could not be read cannot be named.'
        : lost.length === 0
          ? 'No call was lost.'
          : `${lost.length} call${lost.length === 1 ? '' : 's'} could not be read back.`
    this.logger.error('call store: damaged month set aside', { file, reason, read, lost })
    this.reporter.problem({
      id: `month-set-aside:${month}`,
      kind: 'month-set-aside',
      file,
      summary:
        `The call file of ${month} was damaged (${reason}). It was set aside and rebuilt from ` +
        `the ${read} calls still readable in it${unverified ? ' (no checksums to confirm them)' : ''}` +
        ` and from the journal. ${lostText}`,
      advice:
        lost !== null && lost.length === 0
          ? 'Nothing to do; the damaged file is kept for support. A disk that damages files may be failing: make a backup.'
          : 'Restore this month from a backup to get the unreadable calls back (see "Backups" in the README); the damaged file is kept for support.',
      lost: lost && lost.length > 0 ? { count: lost.length, ids: lost.slice(0, 50) } : null,
      keptAt,
    })
  }
}
