import { randomUUID } from 'node:crypto'
import type { RejectedPush } from '../../../shared/domain'
import type { Clock } from '../../ground/clock'
import type { RejectedLog } from '../types'
import type { Database } from './database'
import type { Notifications } from './notifications'

export interface PgRejectedLogOptions {
  db: Database
  /** Where other instances' rejected pushes are heard (null: not listening). */
  notifications: Notifications | null
  clock: Clock
}

/**
 * The rejected-pushes log in PostgreSQL: one row per push answered `Invalid Data`, committed
 * before `append` resolves, deleted by the log retention only. `count` is kept as pushes are logged here and heard
 * of from other instances (read again after missed notifications).
 */
export class PgRejectedLog implements RejectedLog {
  private total = 0
  private readonly remote = new Set<(p: RejectedPush) => void>()

  private constructor(private readonly opts: PgRejectedLogOptions) {}

  static async open(opts: PgRejectedLogOptions): Promise<PgRejectedLog> {
    const log = new PgRejectedLog(opts)
    await log.recount()
    opts.notifications?.on('rejected', (d) => void log.heard(d as { seq: string }))
    opts.notifications?.onResync(() => void log.recount().catch(() => {}))
    return log
  }

  /** Subscribes to pushes rejected by other instances. */
  onRemoteRejected(fn: (p: RejectedPush) => void): () => void {
    this.remote.add(fn)
    return () => this.remote.delete(fn)
  }

  async append(entry: Omit<RejectedPush, 'id'>): Promise<RejectedPush> {
    const stored: RejectedPush = { id: randomUUID(), ...entry }
    await this.opts.db.transaction(async (c) => {
      const res = await c.query<{ seq: string }>(
        'INSERT INTO rejected_pushes (received_at, doc) VALUES ($1, $2) RETURNING seq',
        [entry.receivedAt, JSON.stringify(stored)],
      )
      await this.opts.db.notify(c, 'rejected', { seq: res.rows[0]!.seq })
    })
    this.total++
    return stored
  }

  async list(limit = 100): Promise<RejectedPush[]> {
    const n = Math.max(0, Math.floor(limit))
    const res = await this.opts.db.query<{ doc: string }>(
      'SELECT doc FROM rejected_pushes ORDER BY seq DESC LIMIT $1',
      [n],
    )
    return res.rows.map((r) => JSON.parse(r.doc) as RejectedPush)
  }

  count(): number {
    return this.total
  }

  async prune(before: number): Promise<number> {
    const res = await this.opts.db.query('DELETE FROM rejected_pushes WHERE received_at < $1', [
      new Date(before).toISOString(),
    ])
    const removed = res.rowCount ?? 0
    if (removed > 0) await this.recount()
    return removed
  }

  async close(): Promise<void> {}

  private async heard(d: { seq: string }): Promise<void> {
    this.total++
    if (this.remote.size === 0) return
    const res = await this.opts.db
      .query<{ doc: string }>('SELECT doc FROM rejected_pushes WHERE seq = $1', [d.seq])
      .catch(() => null)
    const doc = res?.rows[0]?.doc
    if (!doc) return
    const push = JSON.parse(doc) as RejectedPush
    for (const fn of this.remote) fn(push)
  }

  private async recount(): Promise<void> {
    const res = await this.opts.db.query<{ n: string }>('SELECT count(*) AS n FROM rejected_pushes')
    this.total = Number(res.rows[0]?.n ?? 0)
  }
}
