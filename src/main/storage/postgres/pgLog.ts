import type { AppendLog } from '../logs'
import type { Database } from './database'

/**
 * An append-only log in the `log_entries` table (the vendor audit trail, the activity log): every
 * entry committed before `append` resolves, read back oldest first, its oldest entries removed by
 * the log retention.
 */
export class PgLog<T> implements AppendLog<T> {
  constructor(
    private readonly db: Database,
    private readonly log: string,
  ) {}

  async append(entry: T): Promise<void> {
    await this.db.query('INSERT INTO log_entries (log, entry) VALUES ($1, $2)', [
      this.log,
      JSON.stringify(entry),
    ])
  }

  /** One statement: the entries are committed together, in order. */
  async appendAll(entries: readonly T[]): Promise<void> {
    if (entries.length === 0) return
    await this.db.query(
      'INSERT INTO log_entries (log, entry) SELECT $1, e FROM unnest($2::text[]) WITH ORDINALITY AS t(e, n) ORDER BY n',
      [this.log, entries.map((e) => JSON.stringify(e))],
    )
  }

  async read(): Promise<T[]> {
    const { rows } = await this.db.query<{ entry: string }>(
      'SELECT entry FROM log_entries WHERE log = $1 ORDER BY seq',
      [this.log],
    )
    return rows.map((r) => JSON.parse(r.entry) as T)
  }

  /**
   * Removes the entries whose own `at` is before `before` (ms): the entry's time, not the row's,
   * which for entries copied by migrate-to-postgres is the day of the copy.
   */
  async prune(before: number): Promise<number> {
    const res = await this.db.query(
      `DELETE FROM log_entries
        WHERE log = $1 AND COALESCE((entry::jsonb ->> 'at')::timestamptz, at) < $2`,
      [this.log, new Date(before).toISOString()],
    )
    return res.rowCount ?? 0
  }
}
