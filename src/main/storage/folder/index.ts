/**
 * The data folder as storage (the default): the month-sharded call store with its journal, the
 * rejected-pushes log, documents as small JSON files, logs as JSON-lines files, and every role
 * held by the one process that owns the folder.
 */
import { join } from 'node:path'
import {
  ACTIVITY_FILE,
  ACTIVITY_LOG,
  MISSED_ARCHIVE_FILE,
  MISSED_ARCHIVE_LOG,
  VENDOR_AUDIT_FILE,
  VENDOR_AUDIT_LOG,
} from '../../ground/paths'
import { FileSecretStore } from '../../dataFolder/secretsFile'
import type { DocumentSource } from '../documents'
import type { OpenStorage } from '../storage'
import { soleHolder } from '../types'
import { fileDocuments } from './documents'
import { FileCallStore } from './fileCallStore'
import { FileLog } from './fileLog'
import { FileRejectedLog } from './rejectedLog'

/** Where each named log is kept in the folder (any other name: `<name>.jsonl`). */
const LOG_FILES: Record<string, string> = {
  [ACTIVITY_LOG]: ACTIVITY_FILE,
  [VENDOR_AUDIT_LOG]: VENDOR_AUDIT_FILE,
  [MISSED_ARCHIVE_LOG]: MISSED_ARCHIVE_FILE,
}

export const openStorage: OpenStorage = async (config) => {
  const { dataDir, clock, logger, reporter } = config
  const documents = (prefix = ''): DocumentSource => fileDocuments(join(dataDir, prefix))
  const secrets = config.secrets ?? new FileSecretStore(dataDir)
  const settings = await config.settings(documents(), secrets)
  const calls = await FileCallStore.open({
    dir: join(dataDir, 'calls'),
    timezone: settings.timezone(),
    clock,
    logger,
    reporter,
  })
  try {
    const rejected = await FileRejectedLog.open({ dir: join(dataDir, 'rejected'), clock })
    return {
      settings,
      calls,
      rejected,
      documents,
      log: (name) => new FileLog(join(dataDir, LOG_FILES[name] ?? `${name}.jsonl`)),
      secrets,
      roles: { sender: soleHolder, generator: soleHolder },
      maintenance: calls,
      canWrite: () => calls.canWrite(),
      abandon: () => calls.abandon(),
      async close() {
        await calls.close()
        await rejected.close()
      },
    }
  } catch (err) {
    await calls.close()
    throw err
  }
}
