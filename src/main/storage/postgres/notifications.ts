import pg from 'pg'
import type { Logger } from '../../ground/logger'
import { CHANNEL, describeDatabaseError, type Database } from './database'

type Handler = (data: unknown) => void

/**
 * What the other instances sharing the database announce (LISTEN on one channel, one connection
 * of its own): a call stored, a document changed, a push rejected. Notifications of this
 * instance are skipped: it told its own subscribers already. When the connection drops it is
 * opened again with backoff; what was announced meanwhile is lost to LISTEN, so every `onResync`
 * handler then reads its state again.
 */
export class Notifications {
  private client: pg.Client | null = null
  private readonly handlers = new Map<string, Set<Handler>>()
  private readonly resync = new Set<() => void>()
  private stopped = false
  private retry: NodeJS.Timeout | null = null
  private delay = 500
  /** Resolves when the first LISTEN is in place (or failed). */
  private ready: Promise<void> | null = null

  constructor(
    private readonly db: Database,
    private readonly url: string,
    private readonly logger: Logger,
  ) {}

  /** Subscribes to one kind of notification; returns the unsubscribe function. */
  on(kind: string, handler: Handler): () => void {
    let set = this.handlers.get(kind)
    if (!set) this.handlers.set(kind, (set = new Set()))
    set.add(handler)
    return () => set.delete(handler)
  }

  /** Called after a reconnection: notifications may have been missed, state must be read again. */
  onResync(fn: () => void): () => void {
    this.resync.add(fn)
    return () => this.resync.delete(fn)
  }

  start(): Promise<void> {
    this.ready ??= this.connect(false)
    return this.ready
  }

  private async connect(again: boolean): Promise<void> {
    if (this.stopped) return
    const client = new pg.Client({ connectionString: this.url, keepAlive: true })
    client.on('error', (err) => this.lost(client, err))
    client.on('end', () => this.lost(client, new Error('Connection terminated')))
    client.on('notification', (msg) => this.dispatch(msg.payload))
    try {
      await client.connect()
      await client.query(`LISTEN ${CHANNEL}`)
    } catch (err) {
      client.removeAllListeners('end')
      await client.end().catch(() => {})
      this.schedule(err)
      return
    }
    if (this.stopped) {
      await client.end().catch(() => {})
      return
    }
    this.client = client
    this.delay = 500
    if (again) {
      this.logger.info('database notifications resumed', { database: this.db.where })
      for (const fn of [...this.resync]) {
        try {
          fn()
        } catch (err) {
          this.logger.error('resync after reconnection failed', { error: String(err) })
        }
      }
    }
  }

  private lost(client: pg.Client, err: unknown): void {
    if (this.client !== client || this.stopped) return
    this.client = null
    client.removeAllListeners('end')
    client.end().catch(() => {})
    this.schedule(err)
  }

  private schedule(err: unknown): void {
    if (this.stopped || this.retry) return
    this.logger.warn('database notifications interrupted; reconnecting', {
      database: this.db.where,
      error: describeDatabaseError(err),
      retryInMs: this.delay,
    })
    this.retry = setTimeout(() => {
      this.retry = null
      void this.connect(true)
    }, this.delay)
    this.retry.unref()
    this.delay = Math.min(this.delay * 2, 5_000)
  }

  private dispatch(payload: string | undefined): void {
    if (!payload) return
    let msg: { i?: string; k?: string; d?: unknown }
    try {
      msg = JSON.parse(payload) as typeof msg
    } catch {
      this.logger.warn('unreadable database notification ignored')
      return
    }
    if (msg.i === this.db.instanceId || typeof msg.k !== 'string') return
    for (const h of [...(this.handlers.get(msg.k) ?? [])]) {
      try {
        h(msg.d)
      } catch (err) {
        this.logger.error('database notification handler failed', {
          kind: msg.k,
          error: String(err),
        })
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.retry) clearTimeout(this.retry)
    const client = this.client
    this.client = null
    if (client) {
      client.removeAllListeners('end')
      await client.end().catch(() => {})
    }
  }
}
