/**
 * Moves a data folder into PostgreSQL, run without the app:
 *
 *   IVRS_DATABASE_URL=postgres://… [IVRS_SECRET_KEY=…] npm run migrate-to-postgres -- [<data folder>]
 *
 * The data folder defaults to IVRS_DATA_DIR, else the per-user folder the app uses. The folder's
 * lock is taken (the app must be stopped); the database must be empty. Exits 0 when every count
 * read back from the database matches the folder's, 1 otherwise, 2 for a refusal.
 */
import { resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { ConfigError, readEnvConfig } from '../config/env'
import { systemClock } from '../ground/clock'
import { consoleLogger } from '../ground/logger'
import { defaultDataDir } from '../ground/paths'
import { acquireDataFolderLock, DataFolderInUseError } from '../dataFolder/lock'
import { DatabaseError } from '../storage/postgres/database'
import { migrateDataFolder, NotEmptyError, type MigrationCounts } from './migrateFolder'

/** At most one progress line this often while the calls are copied. */
const PROGRESS_EVERY_MS = 5_000

const out = (line: string): void => void process.stdout.write(line + '\n')
const fail = (message: string, code: number): never => {
  process.stderr.write(message + '\n')
  process.exit(code)
}

async function main(args: string[]): Promise<number> {
  let env
  try {
    env = readEnvConfig(process.env)
  } catch (err) {
    if (err instanceof ConfigError) return fail(`Configuration error: ${err.message}`, 2)
    throw err
  }
  if (!env.databaseUrl)
    return fail('Set IVRS_DATABASE_URL to the (empty) database to copy the data folder into.', 2)
  const dataDir = resolve(args.find((a) => !a.startsWith('--')) || env.dataDir || defaultDataDir())
  const url = env.databaseUrl
  const secrets = [url, env.secretKey ?? ''].filter(Boolean)
  const logger = consoleLogger(() => secrets)
  let lock
  try {
    lock = await acquireDataFolderLock(dataDir, { mode: 'migrate-to-postgres' })
  } catch (err) {
    if (err instanceof DataFolderInUseError)
      return fail(`${err.message}\nStop the app (or headless mode) on this folder first.`, 2)
    throw err
  }
  try {
    out(`Copying ${dataDir} into PostgreSQL…`)
    // A line for the first batch, then at most every few seconds: a long copy is seen moving.
    let shownAt = -Infinity
    const report = await migrateDataFolder({
      dataDir,
      url,
      secretKey: env.secretKey,
      defaultTimezone: env.timezone,
      clock: systemClock,
      logger,
      onProgress: (n, months) => {
        if (performance.now() - shownAt < PROGRESS_EVERY_MS) return
        shownAt = performance.now()
        out(`  ${n.toLocaleString('en')} calls copied (${months.oldest} to ${months.newest})…`)
      },
      onStep: (step) => out(`  ${step}`),
    })
    const keys = Object.keys(report.folder) as (keyof MigrationCounts)[]
    out('')
    out('what            folder   database')
    let ok = true
    for (const k of keys) {
      const same = report.folder[k] === report.database[k]
      if (!same) ok = false
      out(
        `${k.padEnd(14)} ${String(report.folder[k]).padStart(8)} ${String(report.database[k]).padStart(10)}${same ? '' : '   MISMATCH'}`,
      )
    }
    for (const n of report.notes) out(`Note: ${n}`)
    out(
      ok
        ? 'Every count matches. Start the app with IVRS_DATABASE_URL (and IVRS_SECRET_KEY) set.'
        : 'Counts differ: do not switch yet; keep the data folder and report this.',
    )
    return ok ? 0 : 1
  } catch (err) {
    if (err instanceof NotEmptyError || err instanceof DatabaseError) return fail(err.message, 2)
    throw err
  } finally {
    await lock.release()
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) =>
    fail(`migrate-to-postgres failed: ${err instanceof Error ? err.message : String(err)}`, 1),
)
