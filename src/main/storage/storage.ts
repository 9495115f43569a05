/**
 * The one door to durable storage. A backend (`storage/folder`: the data folder's files;
 * `storage/postgres`: a database several instances share) exports one `openStorage(config)`
 * returning a {@link Storage}; the composition root opens it once and hands each service the
 * piece it uses. Services name these interfaces, never a backend.
 */
import type { Clock } from '../ground/clock'
import type { Logger } from '../ground/logger'
import type { SecretStore } from '../ground/secrets'
import type { DocumentSource } from './documents'
import type { AppendLog } from './logs'
import type { CallStore, ExclusiveRole, RejectedLog, StorageReporter } from './types'

/** What the calls are kept by that is a setting: the zone of their local dates. */
export interface StoreSettings {
  /** The IANA zone of the calls' local dates, months and hours. */
  timezone(): string
}

/** What every backend is opened with; each reads the part it needs. */
export interface StorageConfig<S extends StoreSettings = StoreSettings> {
  /** The data folder: every instance keeps its lock and storage problems there. */
  dataDir: string
  /**
   * Opens the settings, which are documents of the storage like the others: called once the
   * documents and the secrets are open, before the calls, which are kept in the settings' zone.
   * The storage hands them back as {@link Storage.settings}.
   */
  settings(documents: DocumentSource, secrets: SecretStore): Promise<S>
  /** The secrets this process keeps itself (the desktop's safeStorage), when the backend has none. */
  secrets?: SecretStore
  clock: Clock
  logger: Logger
  reporter: StorageReporter
}

/** The roles one process at a time holds among the instances sharing storage. */
export interface StorageRoles {
  /** The outbox's sender. */
  sender: ExclusiveRole
  /** The simulator's call generator. */
  generator: ExclusiveRole
}

/** The data folder's upkeep that runs inside the app: the checks and backups of its files. */
export interface FolderUpkeep {
  /** Runs `fn` while the call store writes no checkpoint (its month files stay still). */
  holdCheckpoints<R>(fn: () => Promise<R>): Promise<R>
  /** Checks every month file; damaged ones are contained. Returns their months. */
  verifyMonths(): Promise<string[]>
  checkpoint(): Promise<void>
  size(): number
}

export interface Storage<S extends StoreSettings = StoreSettings> {
  /** What {@link StorageConfig.settings} opened. */
  settings: S
  calls: CallStore
  rejected: RejectedLog
  /** Documents under a prefix, e.g. `vendor/` (a subfolder in a data folder). */
  documents(prefix?: string): DocumentSource
  /** An append-only log by name (`vendor-audit`, `activity`). */
  log<E>(name: string): AppendLog<E>
  secrets: SecretStore
  roles: StorageRoles
  /**
   * The data folder's own upkeep (check, backup); null where the backend's own tools do it (a
   * database's).
   */
  maintenance: FolderUpkeep | null
  /**
   * How often the missed-call queue writes its document: shared by several instances, a
   * database's is written each second so the others see it soon; undefined: the queue's own.
   */
  missedSaveEveryMs?: number
  /** Whether a push could be stored now (what `/readyz` asks). */
  canWrite(): Promise<boolean>
  /** Stops every write at once: the data folder was taken over by another process. */
  abandon(): void
  close(): Promise<void>
}

/** A backend: one function that opens everything durable it keeps. */
export type OpenStorage = <S extends StoreSettings>(config: StorageConfig<S>) => Promise<Storage<S>>
