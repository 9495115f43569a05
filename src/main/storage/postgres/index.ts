/**
 * Everything durable on PostgreSQL (IVRS_DATABASE_URL), opened together: the calls, the
 * rejected-pushes log, the documents, the logs, the secrets when a key seals them, and the roles
 * one instance at a time holds. The data folder keeps only its own bookkeeping (its lock, its
 * storage problems, the secrets when no IVRS_SECRET_KEY seals them).
 */
import { FileSecretStore } from '../../dataFolder/secretsFile'
import type { OpenStorage, Storage, StorageConfig, StoreSettings } from '../storage'
import { AdvisoryRole, ROLE_KEYS } from './advisoryRole'
import { Database } from './database'
import { refuseUnfinishedCopy } from './folderCopy'
import { Notifications } from './notifications'
import { PgCallStore } from './pgCallStore'
import { pgDocuments } from './pgDocuments'
import { PgLog } from './pgLog'
import { PgRejectedLog } from './pgRejectedLog'
import { PgSecretStore } from './pgSecretStore'

export interface PostgresConfig {
  url: string
  /** Seals the secrets in the database (IVRS_SECRET_KEY); null: they stay in this instance. */
  secretKey: string | null
  /** How long start-up waits for the database (default 60 s). */
  waitMs?: number
}

/** The PostgreSQL backend at `pg`'s database. */
export function postgresStorage(pg: PostgresConfig): OpenStorage {
  return (config) => openStorage({ ...config, ...pg })
}

export async function openStorage<S extends StoreSettings>(
  opts: StorageConfig<S> & PostgresConfig,
): Promise<Storage<S>> {
  const { url, logger, clock } = opts
  const db = await Database.open({ url, logger, waitMs: opts.waitMs })
  db.setReporter(opts.reporter)
  const notifications = new Notifications(db, url, logger)
  const sender = new AdvisoryRole(url, ROLE_KEYS.outboxSender, 'outbox sender', logger)
  const generator = new AdvisoryRole(
    url,
    ROLE_KEYS.simulatorGenerator,
    'simulator call generator',
    logger,
  )
  let calls: PgCallStore | null = null
  let rejected: PgRejectedLog | null = null
  const close = async (): Promise<void> => {
    await calls?.close()
    await rejected?.close()
    await sender.release()
    await generator.release()
    await notifications.stop()
    await db.close()
  }
  try {
    await refuseUnfinishedCopy(db)
    await notifications.start()
    const sealed = opts.secretKey ? await PgSecretStore.open(db, opts.secretKey) : null
    if (!sealed)
      logger.warn(
        'IVRS_SECRET_KEY is not set: the vendor API key and the webhook token stay in this instance (its data folder or the environment); give every instance the same IVRS_WEBHOOK_TOKEN and vendor settings',
      )
    const secrets = sealed ?? opts.secrets ?? new FileSecretStore(opts.dataDir)
    const documents = (prefix = '') => pgDocuments(db, notifications, logger, prefix)
    const settings = await opts.settings(documents(), secrets)
    calls = await PgCallStore.open({
      db,
      notifications,
      timezone: settings.timezone(),
      clock,
      logger,
    })
    rejected = await PgRejectedLog.open({ db, notifications, clock })
    return {
      settings,
      calls,
      rejected,
      documents,
      log: (name) => new PgLog(db, name),
      secrets,
      roles: { sender, generator },
      maintenance: null,
      // Shared by several instances: written each second, so the others see it soon.
      missedSaveEveryMs: 1_000,
      // Asked of the database itself: a problem told by a failed write lasts until the next one.
      canWrite: () => db.ping(),
      // A database is not the data folder: nothing of it was taken over.
      abandon: () => {},
      close,
    }
  } catch (err) {
    await close().catch(() => {})
    throw err
  }
}
