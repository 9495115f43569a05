import { Low } from 'lowdb'
import { DurableJSONFile } from './durableFile'

/**
 * A small JSON document kept durably on disk with lowdb (agents, holidays, office hours, outbox,
 * missed-call queue, settings). Every `update` is applied in order and resolves only once the new
 * document is fsync'd. Meant for documents of at most a few MB; calls use the journal instead.
 */
// A `Document` of the storage interface (storage/documents.ts) by its shape, checked where the
// folder backend hands it out (storage/folder/documents.ts): the data folder's own files sit
// below the storage, so nothing here names it.
export class DocStore<T extends object> {
  private readonly db: Low<T>
  private chain: Promise<unknown> = Promise.resolve()
  /** `change` applied something `save` has not written yet. */
  private unsaved = false

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
      const wasUnsaved = this.unsaved
      try {
        const result = fn(this.db.data)
        this.unsaved = false
        await this.db.write()
        return result
      } catch (err) {
        // Neither a half-applied change nor an unwritten one stays visible.
        this.db.data = before
        this.unsaved = wasUnsaved
        throw err
      }
    }
    return this.serial(run)
  }

  /**
   * Applies `fn` to the document in memory now and leaves the write to {@link save}: for a
   * document that is rebuilt from elsewhere after a crash (the missed-call queue, from the
   * stored calls), so that a burst of changes costs one write, not one each. `fn` must leave
   * the document consistent: nothing is rolled back.
   */
  change<R>(fn: (data: T) => R): R {
    this.unsaved = true
    return fn(this.db.data)
  }

  /** Writes what {@link change} left unsaved (nothing when there is none); in order with updates. */
  save(): Promise<void> {
    return this.serial(async () => {
      if (!this.unsaved) return
      this.unsaved = false
      try {
        await this.db.write()
      } catch (err) {
        this.unsaved = true
        throw err
      }
    })
  }

  /** One process owns a data folder: nobody else changes the file. */
  onExternalChange(): () => void {
    return () => {}
  }

  async reload(): Promise<void> {}

  private serial<R>(run: () => Promise<R>): Promise<R> {
    const next = this.chain.then(run, run)
    this.chain = next.catch(() => {})
    return next
  }
}
