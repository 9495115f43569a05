import { DateTime } from 'luxon'
import type pg from 'pg'
import { monthOf } from '../query'
import type { Database } from './database'

/** Advisory lock key of partition creation: instances create a month one at a time. */
const PARTITION_LOCK = 0x1715_0002

const DAY_MS = 86_400_000

/** The partition of local month `YYYY-MM`: `calls_2026_05`. */
export function partitionName(month: string): string {
  if (!/^\d{4}-\d{2}$/.test(month)) throw new Error(`not a month: ${month}`)
  return `calls_${month.replace('-', '_')}`
}

/**
 * The month partitions of `calls`. Bounds are local months in the zone recorded in the database
 * when it was first used (`ivrs_meta.partition_zone`), so they never overlap even if the
 * configured zone changes later; they only lay calls out, every query bounds by instants. Months
 * are created ahead (this one and the next two) and on demand, under an advisory lock so that two
 * instances never race on one.
 */
export class MonthPartitions {
  private readonly known = new Set<string>()

  private constructor(
    private readonly db: Database,
    readonly zone: string,
  ) {}

  static async open(db: Database, configuredZone: string, now: number): Promise<MonthPartitions> {
    await db.query(
      "INSERT INTO ivrs_meta (key, value) VALUES ('partition_zone', $1) ON CONFLICT (key) DO NOTHING",
      [configuredZone],
    )
    const { rows } = await db.query<{ value: string }>(
      "SELECT value FROM ivrs_meta WHERE key = 'partition_zone'",
    )
    const parts = new MonthPartitions(db, rows[0]?.value ?? configuredZone)
    await parts.refresh()
    const ahead = DateTime.fromMillis(now, { zone: parts.zone }).startOf('month')
    await parts.ensure([0, 1, 2].map((n) => ahead.plus({ months: n }).toFormat('yyyy-MM')))
    return parts
  }

  /** Reads which months exist (another instance may have made some). */
  async refresh(): Promise<void> {
    const { rows } = await this.db.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i
         JOIN pg_class c ON c.oid = i.inhrelid
         JOIN pg_class p ON p.oid = i.inhparent
        WHERE p.relname = 'calls'`,
    )
    for (const r of rows) {
      const m = /^calls_(\d{4})_(\d{2})$/.exec(r.name)
      if (m) this.known.add(`${m[1]}-${m[2]}`)
    }
  }

  /**
   * The months a call starting at `ms` may fall in: its own and, a day either side, the
   * neighbours, so that a tz database of PostgreSQL that differs from Node's by an hour at a
   * month's edge never leaves a row without a partition.
   */
  monthsAround(ms: number): string[] {
    return [
      monthOf(ms - DAY_MS, this.zone),
      monthOf(ms, this.zone),
      monthOf(ms + DAY_MS, this.zone),
    ]
  }

  /** Creates the months not made yet, in a transaction of their own. */
  async ensure(months: Iterable<string>): Promise<void> {
    const missing = this.missing(months)
    if (missing.length === 0) return
    await this.db.transaction((c) => this.create(c, missing))
    for (const m of missing) this.known.add(m)
  }

  /**
   * Creates the months not made yet inside `client`'s open transaction, for a transaction that
   * has written into `calls` already (the migration's copy). `CREATE TABLE … PARTITION OF calls`
   * waits for every other transaction holding a lock on `calls` to end: made on another
   * connection, it would wait on that transaction, which waits for it, and since both waits
   * are in one process PostgreSQL never sees a deadlock. The months count as made once the
   * transaction commits, so a copy that fails leaves this object wrong: make a new one.
   */
  async ensureWithin(client: pg.ClientBase, months: Iterable<string>): Promise<void> {
    const missing = this.missing(months)
    if (missing.length === 0) return
    await this.create(client, missing)
    for (const m of missing) this.known.add(m)
  }

  private missing(months: Iterable<string>): string[] {
    return [...new Set(months)].filter((m) => !this.known.has(m)).sort()
  }

  private async create(c: pg.ClientBase, months: string[]): Promise<void> {
    await c.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK])
    for (const month of months) {
      const from = `${month}-01 00:00:00`
      const next = DateTime.fromISO(`${month}-01`, { zone: 'UTC' })
        .plus({ months: 1 })
        .toFormat('yyyy-MM-dd 00:00:00')
      const zone = c.escapeLiteral(this.zone)
      await c.query(
        `CREATE TABLE IF NOT EXISTS ${partitionName(month)} PARTITION OF calls FOR VALUES
           FROM ((${c.escapeLiteral(from)}::timestamp) AT TIME ZONE ${zone})
           TO ((${c.escapeLiteral(next)}::timestamp) AT TIME ZONE ${zone})`,
      )
    }
  }
}
