/**
 * An append-only log (the vendor audit trail, the activity log): a file of JSON lines in a data
 * folder, or rows of a table in a database. Entries carry their own time (`at`), which the log
 * retention prunes by.
 */
export interface AppendLog<E = unknown> {
  /** Resolves once the entry is durable; entries are kept in call order. */
  append(entry: E): Promise<void>
  /** Appends several entries at once, in order, durable together when it resolves. */
  appendAll(entries: readonly E[]): Promise<void>
  /** Every entry, oldest first. */
  read(): Promise<E[]>
  /** Removes the entries whose `at` is before `before` (ms); answers how many went. */
  prune(before: number): Promise<number>
}
