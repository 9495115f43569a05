import { Low } from 'lowdb'
import { DurableJSONFile } from './durableFile'

/**
 * A small JSON document kept durably on disk with lowdb (agents, holidays, office hours, outbox,
 * missed-call queue, settings). Every `update` is applied in order and resolves only once the new
 * document is fsync'd. Meant for documents of at most a few MB; calls use the journal instead.
 */
export class DocStore<T extends object> {
  private readonly db: Low<T>
  private chain: Promise<unknown> = Promise.resolve()

  private constructor(path: string, defaults: T) {
    this.db = new Low<T>(new DurableJSONFile<T>(path), defaults)
  }

  /** Opens (or creates with `defaults`) the document at `path`. */
  static async open<T extends object>(path: string, defaults: T): Promise<DocStore<T>> {
    const store = new DocStore<T>(path, structuredClone(defaults))
    await store.db.read()
    // Fill fields added after the file was first written.
    store.db.data = { ...structuredClone(defaults), ...store.db.data }
    return store
  }

  /** The current document. Treat as read-only: change it through `update`. */
  get data(): T {
    return this.db.data
  }

  /**
   * Applies `fn` to the document and writes it durably. Updates run one after another; if `fn`
   * throws or the write fails, the in-memory document is restored and the error is thrown.
   */
  update<R>(fn: (data: T) => R): Promise<R> {
    const run = async (): Promise<R> => {
      const before = structuredClone(this.db.data)
      try {
        const result = fn(this.db.data)
        await this.db.write()
        return result
      } catch (err) {
        // Neither a half-applied change nor an unwritten one stays visible.
        this.db.data = before
        throw err
      }
    }
    const next = this.chain.then(run, run)
    this.chain = next.catch(() => {})
    return next
  }
}
