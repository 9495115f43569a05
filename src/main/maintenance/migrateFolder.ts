import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Call, RejectedPush } from '../../shared/domain'
import type { Clock } from '../ground/clock'
import type { Logger } from '../ground/logger'
import { ACTIVITY_FILE, ACTIVITY_LOG } from '../ground/paths'
import { DOCUMENTS } from './documents'
import { FileCallStore } from '../storage/folder/fileCallStore'
import { replayJournal } from '../storage/folder/journal'
import { Database } from '../storage/postgres/database'
import { MonthPartitions } from '../storage/postgres/partitions'
import { importCalls } from '../storage/postgres/pgCallStore'
import { PgSecretStore } from '../storage/postgres/pgSecretStore'
import { readFolderCopy, writeFolderCopy, type FolderCopy } from '../storage/postgres/folderCopy'

/**
 * The documents a data folder holds, by the name they get in the database (their path in the
 * folder): the ones the maintenance tools know (settings, the vendor model, its schedule history
 * and outbox, the team accounts, the missed-call queue), so a document added there is moved over
 * too.
 */
export const FOLDER_DOCUMENTS: readonly string[] = DOCUMENTS.map((d) => d.file)

export interface MigrationCounts {
  calls: number
  revisions: number
  rejected: number
  documents: number
  /** The vendor audit trail's entries. */
  auditEntries: number
  /** The activity log's entries: every change and who made it. */
  activity: number
  secrets: number
}

export interface MigrationReport {
  /** What the folder held. */
  folder: MigrationCounts
  /** What the database holds after the copy (read back from it). */
  database: MigrationCounts
  /** Things left behind, in words. */
  notes: string[]
}

export class NotEmptyError extends Error {}

/** Calls written to the database per statement of the copy. */
export const COPY_BATCH = 2_000

/**
 * Copies a data folder (its calls with their revisions, the rejected-pushes log, the documents,
 * the vendor audit trail, the activity log, and the headless secrets when `secretKey` seals
 * them) into an EMPTY database, in one transaction (a failure leaves the database empty), then
 * counts both sides. The folder must not be in use (the caller holds its lock); it is read,
 * never changed but for what opening its call store does anyway (a torn journal end cut off).
 *
 * The copy is marked in the database before its transaction starts (see `folderCopy.ts`), so
 * that a copy cut short (Ctrl-C, a lost connection) leaves a database that receivers refuse and
 * that this command copies into again.
 */
export async function migrateDataFolder(opts: {
  dataDir: string
  url: string
  secretKey: string | null
  /** Zone of the folder's local months when its settings name none. */
  defaultTimezone: string
  clock: Clock
  logger: Logger
  /** After each batch of calls: how many are copied, and the months they span so far. */
  onProgress?: (calls: number, months: { oldest: string; newest: string }) => void
  /** What the copy does next, in words (after the calls). */
  onStep?: (step: string) => void
}): Promise<MigrationReport> {
  const { dataDir, logger } = opts
  const db = await Database.open({ url: opts.url, logger, waitMs: 10_000 })
  try {
    const earlier = await readFolderCopy(db)
    const { rows } = await db.query<{ used: boolean }>(
      // A document still at version 0 holds only the defaults it was opened with (e.g. by
      // `npm run users -- list` against the new database): nothing to lose, so not "in use".
      `SELECT EXISTS (SELECT 1 FROM call_ids) OR EXISTS (SELECT 1 FROM documents WHERE version > 0)
           OR EXISTS (SELECT 1 FROM rejected_pushes) OR EXISTS (SELECT 1 FROM log_entries)
           OR EXISTS (SELECT 1 FROM secrets) AS used`,
    )
    if (rows[0]?.used || earlier?.state === 'done')
      throw new NotEmptyError(
        earlier?.state === 'done'
          ? `The database ${db.where} is not empty: the data folder ${earlier.folder} was copied into it on ${earlier.finishedAt ?? earlier.startedAt} (nothing was written).`
          : `The database ${db.where} is not empty: migrate-to-postgres copies a data folder into an empty database only (nothing was written).`,
      )
    const notes: string[] = []
    if (earlier?.state === 'copying')
      notes.push(
        `An earlier copy of ${earlier.folder} (started ${earlier.startedAt}) did not finish and left nothing behind; this one replaced it.`,
      )
    const documents = await readDocuments(dataDir)
    const settings = documents.get('settings.json') as { timezone?: string | null } | undefined
    const timezone = settings?.timezone ?? opts.defaultTimezone
    const store = await FileCallStore.open({
      dir: join(dataDir, 'calls'),
      timezone,
      clock: opts.clock,
      logger,
      checkpointIntervalMs: 0,
    })
    const folder: MigrationCounts = {
      calls: 0,
      revisions: 0,
      rejected: 0,
      documents: documents.size,
      auditEntries: 0,
      activity: 0,
      secrets: 0,
    }
    try {
      const partitions = await MonthPartitions.open(db, timezone, opts.clock.now())
      const rejected = await readRejected(join(dataDir, 'rejected'))
      // The append-only logs, by their names in the database.
      const logs: [string, string[]][] = [
        ['vendor-audit', await readLines(join(dataDir, 'vendor', 'vendor-audit.jsonl'))],
        [ACTIVITY_LOG, await readLines(join(dataDir, ACTIVITY_FILE))],
      ]
      const secrets = await readPlainSecrets(dataDir)
      folder.rejected = rejected.length
      folder.auditEntries = logs[0]![1].length
      folder.activity = logs[1]![1].length
      const sealer = opts.secretKey ? await PgSecretStore.open(db, opts.secretKey) : null
      const copy: FolderCopy = {
        state: 'copying',
        folder: dataDir,
        startedAt: new Date(opts.clock.now()).toISOString(),
      }
      await writeFolderCopy(db, copy)
      await db.transaction(async (c) => {
        let batch: Call[] = []
        let span: { oldest: string; newest: string } | null = null
        const flush = async (): Promise<void> => {
          if (batch.length === 0) return
          const months = batch.flatMap((x) => partitions.monthsAround(Date.parse(x.startedAt)))
          // In this transaction, which holds locks on calls already (see ensureWithin).
          await partitions.ensureWithin(c, months)
          await importCalls(c, batch)
          folder.calls += batch.length
          folder.revisions += batch.reduce((n, x) => n + x.history.length, 0)
          for (const x of batch) {
            const m = x.startedAt.slice(0, 7)
            span = span
              ? {
                  oldest: m < span.oldest ? m : span.oldest,
                  newest: m > span.newest ? m : span.newest,
                }
              : { oldest: m, newest: m }
          }
          opts.onProgress?.(folder.calls, span!)
          batch = []
        }
        for await (const call of store.iterate({})) {
          batch.push(call)
          if (batch.length >= COPY_BATCH) await flush()
        }
        await flush()
        opts.onStep?.(
          `Copying ${rejected.length} rejected pushes, ${documents.size} documents and ${folder.auditEntries + folder.activity} log entries…`,
        )
        for (const r of rejected)
          await c.query('INSERT INTO rejected_pushes (received_at, doc) VALUES ($1, $2)', [
            r.receivedAt,
            JSON.stringify(r),
          ])
        await c.query('DELETE FROM documents WHERE version = 0')
        for (const [name, body] of documents)
          await c.query('INSERT INTO documents (name, version, body) VALUES ($1, 1, $2)', [
            name,
            JSON.stringify(body),
          ])
        for (const [log, lines] of logs)
          for (const line of lines)
            await c.query('INSERT INTO log_entries (log, entry) VALUES ($1, $2)', [log, line])
        if (sealer)
          for (const [name, value] of secrets)
            await c.query('INSERT INTO secrets (name, sealed) VALUES ($1, $2)', [
              name,
              sealer.seal(name, value),
            ])
        await writeFolderCopy(c, {
          ...copy,
          state: 'done',
          finishedAt: new Date(opts.clock.now()).toISOString(),
        })
        opts.onStep?.('Committing…')
      })
      if (sealer) folder.secrets = secrets.length
      else if (secrets.length > 0)
        notes.push(
          'The secrets (vendor API key, webhook token) were not copied: set IVRS_SECRET_KEY to seal them into the database, or give every instance IVRS_WEBHOOK_TOKEN and the vendor settings.',
        )
      if (await exists(join(dataDir, 'secrets.safe.json')))
        notes.push(
          "The desktop app's secrets (sealed by the operating system) cannot be read here: enter the vendor API key again in Settings, and keep the webhook URL's token with IVRS_WEBHOOK_TOKEN.",
        )
      if (await exists(join(dataDir, 'missed', 'missed-archive.jsonl')))
        notes.push('The missed-call archive (missed/missed-archive.jsonl) stays in the folder.')
    } finally {
      await store.close()
    }
    return { folder, database: await countDatabase(db), notes }
  } finally {
    await db.close()
  }
}

async function countDatabase(db: Database): Promise<MigrationCounts> {
  const one = async (sql: string, params?: unknown[]): Promise<number> =>
    Number((await db.query<{ n: string }>(sql, params)).rows[0]?.n ?? 0)
  return {
    calls: await one('SELECT count(*) AS n FROM calls'),
    revisions: await one('SELECT count(*) AS n FROM call_revisions'),
    rejected: await one('SELECT count(*) AS n FROM rejected_pushes'),
    documents: await one('SELECT count(*) AS n FROM documents'),
    auditEntries: await one("SELECT count(*) AS n FROM log_entries WHERE log = 'vendor-audit'"),
    activity: await one('SELECT count(*) AS n FROM log_entries WHERE log = $1', [ACTIVITY_LOG]),
    secrets: await one('SELECT count(*) AS n FROM secrets'),
  }
}

async function readDocuments(dataDir: string): Promise<Map<string, unknown>> {
  const out = new Map<string, unknown>()
  for (const name of FOLDER_DOCUMENTS) {
    let text: string
    try {
      text = await readFile(join(dataDir, name), 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue
      throw err
    }
    try {
      out.set(name, JSON.parse(text))
    } catch {
      throw new Error(`${name} in the data folder does not parse: run npm run doctor first`)
    }
  }
  return out
}

/** Every rejected push, oldest first, from every file of the log (archived ones included). */
async function readRejected(dir: string): Promise<RejectedPush[]> {
  let names: string[]
  try {
    names = (await readdir(dir)).filter((n) => /^\d{8}\.jsonl$/.test(n)).sort()
  } catch {
    return []
  }
  const out: RejectedPush[] = []
  for (const n of names) out.push(...(await replayJournal<RejectedPush>(join(dir, n))).records)
  return out
}

/** The audit trail's lines as written (a torn last line from a crash skipped). */
async function readLines(path: string): Promise<string[]> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch {
    return []
  }
  return text.split('\n').filter((line) => {
    if (!line) return false
    try {
      JSON.parse(line)
      return true
    } catch {
      return false
    }
  })
}

/** Headless mode's plain secrets file (`secrets.json`), if any. */
async function readPlainSecrets(
  dataDir: string,
): Promise<['vendorApiKey' | 'webhookToken', string][]> {
  try {
    const all = JSON.parse(await readFile(join(dataDir, 'secrets.json'), 'utf8')) as Record<
      string,
      unknown
    >
    return (['vendorApiKey', 'webhookToken'] as const).flatMap((k) =>
      typeof all[k] === 'string' ? [[k, all[k]] as ['vendorApiKey' | 'webhookToken', string]] : [],
    )
  } catch {
    return []
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await readFile(path)
    return true
  } catch {
    return false
  }
}
