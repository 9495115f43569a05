/**
 * Everything durable on PostgreSQL (IVRS_DATABASE_URL), opened together for the composition
 * root: the calls, the rejected-pushes log, the documents, the audit trail, the secrets when a
 * key seals them, and the roles one instance at a time holds.
 */
import type { Clock } from '../../ground/clock'
import type { Logger } from '../../ground/logger'
import type { SecretStore } from '../../ground/secrets'
import type { DocumentSource } from '../documents'
import type { ExclusiveRole, StorageReporter } from '../types'
import { AdvisoryRole, ROLE_KEYS } from './advisoryRole'
import { Database } from './database'
import { refuseUnfinishedCopy } from './folderCopy'
import { Notifications } from './notifications'
import { PgCallStore } from './pgCallStore'
import { pgDocuments } from './pgDocuments'
import { PgLog } from './pgLog'
import { PgRejectedLog } from './pgRejectedLog'
import { PgSecretStore } from './pgSecretStore'

export interface PostgresStorage {
  db: Database
  /** Opens the call store and the rejected-pushes log (once the zone is known from settings). */
  openStores(timezone: string): Promise<{ store: PgCallStore; rejected: PgRejectedLog }>
  /** Documents under a prefix, e.g. `vendor/` (the folder the file would be in). */
  documents(prefix?: string): DocumentSource
  /** The sealed secrets, or null without IVRS_SECRET_KEY (they stay in this instance's store). */
  secrets: SecretStore | null
  /** An append-only log in the database (the vendor audit trail). */
  log<T>(name: string): PgLog<T>
  senderRole: ExclusiveRole
  generatorRole: ExclusiveRole
  close(): Promise<void>
}

export async function openPostgresStorage(opts: {
  url: string
  secretKey: string | null
  clock: Clock
  logger: Logger
  reporter: StorageReporter
  /** How long start-up waits for the database (default 60 s). */
  waitMs?: number
}): Promise<PostgresStorage> {
  const { url, logger, clock } = opts
  const db = await Database.open({ url, logger, waitMs: opts.waitMs })
  db.setReporter(opts.reporter)
  const notifications = new Notifications(db, url, logger)
  try {
    await refuseUnfinishedCopy(db)
    await notifications.start()
    const secrets = opts.secretKey ? await PgSecretStore.open(db, opts.secretKey) : null
    if (!secrets)
      logger.warn(
        'IVRS_SECRET_KEY is not set: the vendor API key and the webhook token stay in this instance (its data folder or the environment); give every instance the same IVRS_WEBHOOK_TOKEN and vendor settings',
      )
    let stores: { store: PgCallStore; rejected: PgRejectedLog } | null = null
    const senderRole = new AdvisoryRole(url, ROLE_KEYS.outboxSender, 'outbox sender', logger)
    const generatorRole = new AdvisoryRole(
      url,
      ROLE_KEYS.simulatorGenerator,
      'simulator call generator',
      logger,
    )
    return {
      db,
      async openStores(timezone) {
        const store = await PgCallStore.open({ db, notifications, timezone, clock, logger })
        const rejected = await PgRejectedLog.open({ db, notifications, clock })
        stores = { store, rejected }
        return stores
      },
      documents: (prefix = '') => pgDocuments(db, notifications, logger, prefix),
      secrets,
      log: (name) => new PgLog(db, name),
      senderRole,
      generatorRole,
      async close() {
        await stores?.store.close()
        await stores?.rejected.close()
        await senderRole.release()
        await generatorRole.release()
        await notifications.stop()
        await db.close()
      },
    }
  } catch (err) {
    await notifications.stop()
    await db.close()
    throw err
  }
}
