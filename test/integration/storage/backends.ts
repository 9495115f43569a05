/**
 * The two storage backends side by side, for the contract suites that run every test over both:
 * the data folder (files) and PostgreSQL (a fresh database on the run's throw-away cluster).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { afterEach, beforeEach } from 'vitest'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { silentLogger } from '../../../src/main/ground/logger'
import type { Clock } from '../../../src/main/ground/clock'
import { FileCallStore } from '../../../src/main/storage/folder/fileCallStore'
import { FileRejectedLog } from '../../../src/main/storage/folder/rejectedLog'
import { silentReporter, type CallStore, type RejectedLog } from '../../../src/main/storage/types'
import type { Storage, StorageConfig } from '../../../src/main/storage/storage'
import { openStorage as openFolderStorage } from '../../../src/main/storage/folder'
import { openStorage as openPostgresStorage } from '../../../src/main/storage/postgres'
import { Database } from '../../../src/main/storage/postgres/database'
import { PgCallStore } from '../../../src/main/storage/postgres/pgCallStore'
import { PgRejectedLog } from '../../../src/main/storage/postgres/pgRejectedLog'
import { Notifications } from '../../../src/main/storage/postgres/notifications'
import { pgDocuments } from '../../../src/main/storage/postgres/pgDocuments'
import { fileDocuments } from '../../../src/main/storage/folder/documents'
import { type DocumentSource } from '../../../src/main/storage/documents'
import { freshDatabase } from '../../support/pgDatabase'

export const ZONE = 'Asia/Kolkata'

/** One backend's durable place: a folder, or a database. Reopening finds what was written. */
export interface Backend {
  name: 'file' | 'PostgreSQL'
  /** Its call store, local days and hours in `zone` (default {@link ZONE}). */
  callStore(clock: Clock, zone?: string): Promise<CallStore>
  /** Its rejected-pushes log; `entriesPerFile` sizes the data folder's files (the archive). */
  rejectedLog(clock: Clock, opts?: { entriesPerFile?: number }): Promise<RejectedLog>
  /** A document source as one instance sees it (PostgreSQL: with its own notifications). */
  documents(): Promise<DocumentSource>
  /**
   * The whole storage through the backend's one door (`openStorage`), over the same place; its
   * data folder (the lock's and problems' folder) is `dataDir`.
   */
  storage(clock: Clock, zone?: string): Promise<Storage>
  /** PostgreSQL's URL (null for the file backend). */
  url: string | null
  /** Closes everything opened (stores first). */
  closeAll(): Promise<void>
  /** Removes the place. */
  remove(): Promise<void>
}

export type BackendFactory = { name: Backend['name']; make(): Promise<Backend> }

export const BACKENDS: BackendFactory[] = [
  {
    name: 'file',
    async make() {
      const dir = await mkdtemp(join(tmpdir(), 'ivrs-contract-'))
      const open: { close(): Promise<void> }[] = []
      return {
        name: 'file',
        async callStore(clock, zone = ZONE) {
          const s = await FileCallStore.open({
            dir: join(dir, 'calls'),
            timezone: zone,
            clock,
            logger: silentLogger,
            checkpointIntervalMs: 0,
          })
          open.push(s)
          return s
        },
        async rejectedLog(clock, opts) {
          const l = await FileRejectedLog.open({ dir: join(dir, 'rejected'), clock, ...opts })
          open.push(l)
          return l
        },
        async documents() {
          return fileDocuments(join(dir, 'docs'))
        },
        async storage(clock, zone = ZONE) {
          const s = await openFolderStorage(storageConfig(join(dir, 'storage'), clock, zone))
          open.push(s)
          return s
        },
        url: null,
        async closeAll() {
          for (const s of open.splice(0).reverse()) await s.close()
        },
        remove: () => rm(dir, { recursive: true, force: true }),
      }
    },
  },
  {
    name: 'PostgreSQL',
    async make() {
      const url = await freshDatabase('contract')
      const open: { close(): Promise<void> }[] = []
      const db = async (): Promise<Database> => {
        const d = await Database.open({ url, logger: silentLogger, waitMs: 5_000 })
        return d
      }
      return {
        name: 'PostgreSQL',
        async callStore(clock, zone = ZONE) {
          const d = await db()
          const s = await PgCallStore.open({
            db: d,
            notifications: null,
            timezone: zone,
            clock,
            logger: silentLogger,
          })
          open.push(s, d)
          return s
        },
        async rejectedLog(clock) {
          const d = await db()
          const l = await PgRejectedLog.open({ db: d, notifications: null, clock })
          open.push(l, d)
          return l
        },
        async documents() {
          const d = await db()
          const n = new Notifications(d, url, silentLogger)
          await n.start()
          open.push({ close: () => n.stop() }, d)
          return pgDocuments(d, n, silentLogger)
        },
        async storage(clock, zone = ZONE) {
          const folder = await mkdtemp(join(tmpdir(), 'ivrs-contract-pg-'))
          const s = await openPostgresStorage({
            ...storageConfig(folder, clock, zone),
            url,
            secretKey: 'a contract suite secret key, long enough',
            waitMs: 5_000,
          })
          open.push(s, { close: () => rm(folder, { recursive: true, force: true }) })
          return s
        },
        url,
        async closeAll() {
          for (const s of open.splice(0)) await s.close()
        },
        remove: async () => {},
      }
    },
  },
]

/** What a backend's `openStorage` is given in these suites. */
function storageConfig(dataDir: string, clock: Clock, zone: string): StorageConfig {
  return {
    dataDir,
    clock,
    logger: silentLogger,
    reporter: silentReporter,
    settings: async () => ({ timezone: () => zone }),
  }
}

/**
 * A fresh place of `factory`'s backend for each test of the calling suite, everything opened on
 * it closed and the place removed afterwards; the returned function gives the current one.
 */
export function useBackend(factory: BackendFactory): () => Backend {
  let backend: Backend | null = null
  beforeEach(async () => {
    backend = await factory.make()
  })
  afterEach(async () => {
    await backend?.closeAll()
    await backend?.remove()
    backend = null
  })
  return () => backend!
}

/** Waits until `check` holds (polling): what another instance did reaches this one soon. */
export async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 20))
  }
}
