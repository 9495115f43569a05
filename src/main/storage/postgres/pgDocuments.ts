import type { Logger } from '../../ground/logger'
import type { Document, DocumentSource } from '../documents'
import type { Database } from './database'
import type { Notifications } from './notifications'

interface DocNotice {
  /** Document name. */
  n: string
  /** Its version after the change. */
  v: number
}

/**
 * Documents in the `documents` table, `prefix` + name each (the path the file would have in a
 * data folder, e.g. `vendor/agents.json`).
 */
export function pgDocuments(
  db: Database,
  notifications: Notifications | null,
  logger: Logger,
  prefix = '',
): DocumentSource {
  return {
    open: (name, defaults) => PgDocument.open(db, notifications, logger, prefix + name, defaults),
  }
}

/**
 * One document shared by every instance on the database. An update is a transaction that locks
 * the row (`FOR UPDATE`), applies the change to the version stored (not to this instance's copy,
 * which may be a moment old), writes it and NOTIFYs its new version: two instances changing one
 * document never lose each other's change. Changes made with `change` are kept as functions and
 * applied again to the stored version when saved. Other instances' changes reach `data` through
 * the notification (and a reread after missed ones), then `onExternalChange` subscribers hear.
 */
export class PgDocument<T extends object> implements Document<T> {
  private local: T
  private version: number
  private pending: ((d: T) => unknown)[] = []
  private chain: Promise<unknown> = Promise.resolve()
  private readonly listeners = new Set<() => void>()

  private constructor(
    private readonly db: Database,
    private readonly logger: Logger,
    private readonly name: string,
    private readonly defaults: T,
    stored: { version: number; body: string },
  ) {
    this.local = this.parse(stored.body)
    this.version = stored.version
  }

  static async open<T extends object>(
    db: Database,
    notifications: Notifications | null,
    logger: Logger,
    name: string,
    defaults: T,
  ): Promise<PgDocument<T>> {
    await db.query(
      'INSERT INTO documents (name, version, body) VALUES ($1, 0, $2) ON CONFLICT (name) DO NOTHING',
      [name, JSON.stringify(defaults)],
    )
    const { rows } = await db.query<{ version: string; body: string }>(
      'SELECT version, body FROM documents WHERE name = $1',
      [name],
    )
    const doc = new PgDocument(db, logger, name, structuredClone(defaults), {
      version: Number(rows[0]!.version),
      body: rows[0]!.body,
    })
    notifications?.on('doc', (d) => {
      const n = d as DocNotice
      if (n.n === name && n.v > doc.version) doc.reloadQuietly()
    })
    notifications?.onResync(() => doc.reloadQuietly())
    return doc
  }

  get data(): T {
    return this.local
  }

  update<R>(fn: (data: T) => R): Promise<R> {
    return this.serial(() => this.commit(fn))
  }

  change<R>(fn: (data: T) => R): R {
    this.pending.push(fn)
    return fn(this.local)
  }

  save(): Promise<void> {
    return this.serial(async () => {
      if (this.pending.length > 0) await this.commit(() => undefined)
    })
  }

  onExternalChange(fn: () => void): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  /** The stored version, the unsaved changes and `fn` applied in one transaction. */
  private async commit<R>(fn: (data: T) => R): Promise<R> {
    const applied = this.pending.length
    const { result, fresh, version } = await this.db.transaction(async (c) => {
      const { rows } = await c.query<{ version: string; body: string }>(
        'SELECT version, body FROM documents WHERE name = $1 FOR UPDATE',
        [this.name],
      )
      const fresh = this.parse(rows[0]!.body)
      for (const p of this.pending.slice(0, applied)) p(fresh)
      const result = fn(fresh)
      const version = Number(rows[0]!.version) + 1
      await c.query(
        'UPDATE documents SET version = $2, body = $3, updated_at = now() WHERE name = $1',
        [this.name, version, JSON.stringify(fresh)],
      )
      await this.db.notify(c, 'doc', { n: this.name, v: version } satisfies DocNotice)
      return { result, fresh, version }
    })
    this.pending.splice(0, applied)
    // Changes made while the transaction ran stay unsaved, shown on the new version.
    for (const p of this.pending) p(fresh)
    this.local = fresh
    this.version = version
    return result
  }

  /** Another instance changed the document: read it again (in order with this one's writes). */
  reload(): Promise<void> {
    return this.serial(async () => {
      const { rows } = await this.db.query<{ version: string; body: string }>(
        'SELECT version, body FROM documents WHERE name = $1',
        [this.name],
      )
      const version = Number(rows[0]?.version ?? this.version)
      if (version <= this.version) return
      const fresh = this.parse(rows[0]!.body)
      for (const p of this.pending) p(fresh)
      this.local = fresh
      this.version = version
      for (const fn of [...this.listeners]) {
        try {
          fn()
        } catch (err) {
          this.logger.error('document change subscriber failed', {
            document: this.name,
            error: String(err),
          })
        }
      }
    })
  }

  private reloadQuietly(): void {
    this.reload().catch((err: unknown) =>
      this.logger.warn('document could not be read again', {
        document: this.name,
        error: String(err),
      }),
    )
  }

  private parse(body: string): T {
    // Fields added after the document was first written take their defaults.
    return { ...structuredClone(this.defaults), ...(JSON.parse(body) as Partial<T>) } as T
  }

  private serial<R>(run: () => Promise<R>): Promise<R> {
    const next = this.chain.then(run, run)
    this.chain = next.catch(() => {})
    return next
  }
}
