/**
 * The storage backends, and the one place that chooses between them: PostgreSQL when
 * IVRS_DATABASE_URL is set, else the data folder. A third backend is one folder under
 * `storage/` and one line here.
 */
import type { EnvConfig } from '../config/env'
import type { OpenStorage } from '../storage/storage'
import { openStorage as folderStorage } from '../storage/folder'
import { postgresStorage } from '../storage/postgres'

export function chooseStorage(
  env: Pick<EnvConfig, 'databaseUrl' | 'secretKey' | 'databaseWaitMs'>,
): OpenStorage {
  return env.databaseUrl
    ? postgresStorage({
        url: env.databaseUrl,
        secretKey: env.secretKey,
        waitMs: env.databaseWaitMs,
      })
    : folderStorage
}
