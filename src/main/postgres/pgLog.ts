import type { Database } from './database'

/**
 * An append-only log in the `log_entries` table (the vendor audit trail): every entry committed
 * before `append` resolves, read back oldest first, never pruned.
 */
export class PgLog<T> {
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

  async read(): Promise<T[]> {
    const { rows } = await this.db.query<{ entry: string }>(
      'SELECT entry FROM log_entries WHERE log = $1 ORDER BY seq',
      [this.log],
    )
    return rows.map((r) => JSON.parse(r.entry) as T)
  }
}
