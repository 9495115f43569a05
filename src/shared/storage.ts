/** The health of the data folder: storage problems, checks (doctor) and backups. */

export type StorageProblemKind =
  /** Journal records failed their checksum and were skipped (kept aside). */
  | 'records-skipped'
  /** A month file was damaged: set aside and rebuilt from what could be read and the journal. */
  | 'month-set-aside'
  /** A small document (settings, agents, outbox, ...) did not parse: set aside, defaults in use. */
  | 'document-set-aside'
  /** A checkpoint failed: the journal keeps every call, but it grows until one succeeds. */
  | 'checkpoint-failed'
  /** The disk refused a write (full, read-only, I/O error): pushes are answered 503. */
  | 'write-refused'
  /** Another process took the data folder away while this one held it. */
  | 'lock-lost'
  /** The PostgreSQL database cannot be reached (IVRS_DATABASE_URL): pushes are answered 503. */
  | 'database-unreachable'
  /** A file the call store's list says must exist (a month, a journal, the list) is gone. */
  | 'file-missing'
  /** A month file is not the one the store wrote, and holds fewer calls. */
  | 'file-mismatch'

/** One storage problem, kept until the user acknowledges it. */
export interface StorageProblem {
  /** Stable key: the same problem found again updates this entry instead of adding one. */
  id: string
  kind: StorageProblemKind
  /** ISO instant it was first seen, and last seen. */
  firstAt: string
  lastAt: string
  /** How often it was seen. */
  count: number
  /** The file it is about, relative to the data folder. */
  file: string
  /** What was affected, in a sentence. */
  summary: string
  /** What the user can do. */
  advice: string
  /** Still happening (writes still refused, checkpoints still failing); false once it recovered. */
  ongoing: boolean
  /** Calls that could not be recovered (ids, at most 50 listed), when any. */
  lost: { count: number; ids: string[] } | null
  /** Where the damaged bytes were kept, relative to the data folder, when they were. */
  keptAt: string | null
}

export interface StorageHealth {
  /** `ok` when no problem waits for acknowledgement. */
  state: 'ok' | 'problem'
  /** Problems not acknowledged yet, newest first. */
  problems: StorageProblem[]
  /** The last backup (ISO instant and folder), when one exists. */
  lastBackup: { at: string; path: string } | null
}

/** One finding of a data folder check. */
export interface CheckFinding {
  level: 'ok' | 'warning' | 'damage'
  /** File relative to the data folder. */
  file: string
  message: string
}

/** Answer of `storage:check` and output of `npm run doctor`. */
export interface CheckReport {
  dataDir: string
  checkedAt: string
  /** True when nothing damaged was found. */
  ok: boolean
  findings: CheckFinding[]
  /** Counts: journal records, calls in month files, months, documents checked. */
  counts: { journalRecords: number; calls: number; months: number; documents: number }
  /** What `--repair` (or the running app) did about the damage, when anything. */
  repaired: string[]
}

/** Answer of `storage:backup`. */
export interface BackupResult {
  path: string
  at: string
  files: number
  bytes: number
  /** Calls the app held when the backup was made (null for a backup made without the app). */
  calls: number | null
  /** Backups removed because they were older than the kept days. */
  pruned: string[]
}
