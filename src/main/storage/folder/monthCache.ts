import type { Call } from '../../../shared/domain'
import type { Logger } from '../../ground/logger'
import type { CallRow } from './callIndex'
import type { Containment } from './containment'
import type { Shard } from './shard'
import { readCallsAt } from './shardFiles'

/**
 * The full calls behind rows: pending versions from memory, the full documents of recent (hot)
 * months, an LRU of `coldCap` older ones, and otherwise single calls read at the byte ranges
 * their month's index recorded. A month read first in this process is verified first.
 */
export class MonthCache {
  /** Cold months whose full document is held, least recently used first. */
  private readonly lru: string[] = []

  /**
   * @param months every month (the row index's).
   * @param checks verifies a month before its first read, and reads a month whole, verified.
   */
  constructor(
    private readonly dir: string,
    private readonly months: ReadonlyMap<string, Shard>,
    private readonly checks: Containment,
    private readonly coldCap: number,
    private readonly logger: Logger,
  ) {}

  /** The month's full calls by id (pending versions merged), read whole and kept when needed. */
  loadFull(shard: Shard): Promise<Map<string, Call>> {
    if (shard.full) return Promise.resolve(shard.full)
    if (shard.loading) return shard.loading
    const load = async (): Promise<Map<string, Call>> => {
      const calls = shard.onDisk ? await this.checks.readVerified(shard) : []
      const map = new Map(calls.map((c) => [c.id, c]))
      for (const [id, c] of shard.overlay) {
        if (c === null) map.delete(id)
        else map.set(id, c)
      }
      shard.full = map
      if (!shard.hot) this.touch(shard.month)
      return map
    }
    shard.loading = load().finally(() => (shard.loading = null))
    return shard.loading
  }

  /**
   * The full calls of `rows`, in the same order. Pending versions come from memory; an older
   * month not in memory is read call by call at the byte ranges its index recorded, or parsed
   * whole (and cached) when that is not possible.
   */
  async fetchRows(rows: readonly CallRow[]): Promise<Call[]> {
    const out: (Call | undefined)[] = new Array<Call | undefined>(rows.length)
    const fromDisk = new Map<string, number[]>()
    rows.forEach((r, i) => {
      const shard = this.months.get(r.m)!
      const call = shard.overlay.get(r.id) ?? shard.full?.get(r.id)
      if (call) out[i] = call
      else {
        let list = fromDisk.get(r.m)
        if (!list) fromDisk.set(r.m, (list = []))
        list.push(i)
      }
    })
    for (const [month, idx] of fromDisk) {
      const shard = this.months.get(month)!
      // First read of the month in this process: its checksum first (a damaged month is set
      // aside and rebuilt here, and its readable calls then come from memory).
      await this.checks.verify(shard)
      const wanted = idx.map((i) => rows[i]!)
      const direct = idx.length <= 1000 ? await readCallsAt(this.dir, month, wanted) : null
      if (direct) idx.forEach((i, k) => (out[i] = direct[k]))
      else {
        const full = shard.full ?? (await this.loadFull(shard))
        for (const i of idx) out[i] = shard.overlay.get(rows[i]!.id) ?? full.get(rows[i]!.id)
      }
    }
    const calls = out.filter((c): c is Call => c !== undefined)
    if (calls.length < rows.length)
      this.logger.error('call store: indexed calls missing from their month', {
        missing: rows.length - calls.length,
      })
    return calls
  }

  /** Marks a cold month as recently used and drops the least recently used beyond the cap. */
  private touch(month: string): void {
    const i = this.lru.indexOf(month)
    if (i >= 0) this.lru.splice(i, 1)
    this.lru.push(month)
    while (this.lru.length > this.coldCap) {
      const evicted = this.months.get(this.lru.shift()!)
      if (evicted && !evicted.hot) evicted.full = null
    }
  }
}
