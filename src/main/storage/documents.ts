/**
 * A small durable document (agents, holidays, office hours, outbox, missed-call queue, settings,
 * accounts): the interface both backends implement, the data folder's `DocStore` and
 * PostgreSQL's `PgDocument`. `data` is read synchronously; `update` changes it durably, one
 * update after another, and resolves once the change is stored.
 */
export interface Document<T extends object> {
  /** The current document. Treat as read-only: change it through `update`. */
  readonly data: T
  /**
   * Applies `fn` to the document and stores it durably. If `fn` throws or the write fails,
   * nothing changes and the error is thrown.
   */
  update<R>(fn: (data: T) => R): Promise<R>
  /**
   * Applies `fn` in memory now and leaves the write to {@link save}, for a document rebuilt from
   * elsewhere after a crash. `fn` must leave the document consistent and be safe to apply again
   * to a newer version of the document (a database backend re-applies it there on save).
   */
  change<R>(fn: (data: T) => R): R
  /** Writes what {@link change} left unsaved; in order with updates. */
  save(): Promise<void>
  /**
   * Calls `fn` after another process changed the document (several instances on one database),
   * once `data` shows the change; never for a document in a data folder, which one process owns.
   */
  onExternalChange(fn: () => void): () => void
  /** Reads the stored version again (another process may have changed it; a no-op for files). */
  reload(): Promise<void>
}

/** Where a service's documents are kept: a data folder, or a database. */
export interface DocumentSource {
  /** Opens (or creates with `defaults`) the document `name`, e.g. `agents.json`. */
  open<T extends object>(name: string, defaults: T): Promise<Document<T>>
}
