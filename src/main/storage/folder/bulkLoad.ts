import type { Call } from '../../../shared/domain'
import { compareRows } from '../query'
import { rowOf, type CallRow } from './callIndex'
import { ensureLayout, journalPath, listShardMonths, writeShard } from './shardFiles'
import { writeFileDurable } from '../../dataFolder/durableFile'
import { freshMeta, writeMeta, type MonthEntry } from './manifest'

/**
 * Writes calls straight into an EMPTY store directory, month by month, with the same files a
 * checkpoint writes (month document + index + meta.json), skipping the journal. For seeding
 * benchmarks and imports of history; never use it on a store that is open.
 */
export class CallBulkLoader {
  private readonly written = new Map<string, MonthEntry>()
  private lastPushAt: string | null = null

  private constructor(
    private readonly dir: string,
    private readonly timezone: string,
  ) {}

  static async create(dir: string, timezone: string): Promise<CallBulkLoader> {
    await ensureLayout(dir)
    if ((await listShardMonths(dir)).length > 0)
      throw new Error('bulk load needs an empty call store directory')
    return new CallBulkLoader(dir, timezone)
  }

  /**
   * Writes the given calls, grouped by local month. Each month must come in one call (a month is
   * written whole, never merged); ids must be unique across everything loaded.
   */
  async writeCalls(calls: readonly Call[]): Promise<void> {
    const byMonth = new Map<string, { row: CallRow; call: Call }[]>()
    for (const call of calls) {
      const row = rowOf(call, this.timezone)
      let list = byMonth.get(row.m)
      if (!list) byMonth.set(row.m, (list = []))
      list.push({ row, call })
      if (!this.lastPushAt || call.receivedAt > this.lastPushAt) this.lastPushAt = call.receivedAt
    }
    for (const [month, list] of byMonth) {
      if (this.written.has(month)) throw new Error(`month ${month} was already written`)
      list.sort((a, b) => compareRows(a.row, b.row))
      const { identity } = await writeShard(
        this.dir,
        month,
        list.map((x) => x.call),
        list.map((x) => x.row),
      )
      // Written from the calls themselves: verified.
      this.written.set(month, {
        ...identity,
        calls: list.length,
        verifiedAt: new Date().toISOString(),
      })
    }
  }

  /** Writes meta.json: the store opens with these months and an empty journal. */
  async finish(): Promise<void> {
    // The journal the list names: empty, as a clean close leaves it.
    await writeFileDurable(journalPath(this.dir, 1), '')
    await writeMeta(this.dir, {
      ...freshMeta(this.timezone),
      lastPushAt: this.lastPushAt,
      closed: true,
      months: Object.fromEntries([...this.written].sort(([a], [b]) => (a < b ? -1 : 1))),
    })
  }
}
