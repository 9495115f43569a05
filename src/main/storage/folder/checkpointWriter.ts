import type { Call } from '../../../shared/domain'
import type { CallRow } from './callIndex'
import type { Containment } from './containment'
import type { MonthCache } from './monthCache'
import { verifyMonth } from './monthSeal'
import { isoAt, rowsIn, sortedRows, type Shard } from './shard'
import { callBytesAt, readShardBytes, writeShard } from './shardFiles'

/**
 * The checkpoint: writes every month changed since the last one (document, then index)
 * durably, copying unchanged calls from the previous document and reusing the journal's JSON
 * of changed ones.
 */
export class CheckpointWriter {
  /** JSON bytes of versions not yet checkpointed (from their journal line), for the checkpoint. */
  private readonly pendingJson = new WeakMap<Call, Buffer>()

  /**
   * @param months every month (the row index's).
   * @param dirty months changed since the last checkpoint (added to by every change).
   * @param cache reads a month whole when some unchanged call cannot be copied.
   * @param checks contains a month whose previous document turns out damaged.
   */
  constructor(
    private readonly dir: string,
    private readonly months: ReadonlyMap<string, Shard>,
    private readonly dirty: Set<string>,
    private readonly cache: MonthCache,
    private readonly checks: Containment,
    private readonly now: () => number,
  ) {}

  /** `json` is `JSON.stringify(call)` in UTF-8: the next checkpoint writes it as it is. */
  remember(call: Call, json: Buffer): void {
    this.pendingJson.set(call, json)
  }

  hasDirty(): boolean {
    return this.dirty.size > 0
  }

  /** Calls in the months a checkpoint would rewrite now. */
  dirtyRows(): number {
    let n = 0
    for (const month of this.dirty) {
      const shard = this.months.get(month)
      if (shard) n += rowsIn(shard)
    }
    return n
  }

  /**
   * Writes every changed month (document, then index) durably. Changes made while it runs stay
   * pending for the next checkpoint; on failure the snapshot's changes are kept pending too.
   */
  async writeDirty(): Promise<void> {
    const months = [...this.dirty].sort()
    this.dirty.clear()
    for (let i = 0; i < months.length; i++) {
      const shard = this.months.get(months[i]!)!
      try {
        // Unchanged calls are copied from the previous document and changed ones reuse the
        // journal's JSON: stringifying a whole busy month blocked the event loop for a burst.
        let old = shard.onDisk ? await readShardBytes(this.dir, shard.month) : null
        if (old && !shard.verified) {
          const verdict = verifyMonth(old)
          if (verdict.state === 'damaged') {
            // Never copy damaged bytes into the new document: rebuild it from what is readable.
            await this.checks.contain(shard, old, verdict.reason)
            old = null
          } else shard.verified = true
        }
        // The month is parsed whole only when some unchanged call cannot be copied (stale byte
        // ranges, a missing document); then the snapshot is taken again after the load.
        let full = shard.full
        let snap: Map<string, Call | null>
        let rows: CallRow[]
        let bytes: (Buffer | null)[]
        for (;;) {
          // Pending versions stay in the overlay until the file holding them is in place.
          snap = new Map(shard.overlay)
          rows = sortedRows(shard).slice()
          const s = snap
          bytes = rows.map((r) => (s.has(r.id) || !old ? null : callBytesAt(old, r)))
          const b = bytes
          if (full || rows.every((r, k) => s.has(r.id) || b[k] !== null)) break
          full = await this.cache.loadFull(shard)
        }
        const known = full
        const calls = rows.map((r) => (snap.get(r.id) ?? known?.get(r.id)) as Call)
        const revisions = rows.map((r) => r.revision)
        const jsonOf = (i: number): string | Buffer | undefined => {
          const c = snap.get(rows[i]!.id)
          if (c) return this.pendingJson.get(c)
          return bytes[i] ?? undefined
        }
        const written = await writeShard(this.dir, shard.month, calls, rows, jsonOf)
        const ranges = written.ranges
        for (const c of snap.values()) if (c) this.pendingJson.delete(c)
        shard.onDisk = true
        shard.verified = true
        shard.entry = { ...written.identity, calls: rows.length, verifiedAt: isoAt(this.now) }
        shard.fileCalls = rows.length
        for (const [id, c] of snap) if (shard.overlay.get(id) === c) shard.overlay.delete(id)
        rows.forEach((r, k) => {
          // A row changed meanwhile keeps its pending version in the overlay instead.
          if (r.revision === revisions[k] && r.m === shard.month) Object.assign(r, ranges[k])
        })
      } catch (err) {
        for (const m of months.slice(i)) this.dirty.add(m)
        throw err
      }
    }
  }
}
