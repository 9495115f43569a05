/**
 * `npm run migrate-to-postgres` on a folder whose calls span twelve months, more than one batch
 * of the copy: each batch after the first needs month partitions the copy's own transaction
 * must create (made on another connection, they waited for that transaction forever). Then a
 * copy cut short: receivers refuse the database it leaves, and the command copies into it again.
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { DateTime } from 'luxon'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import type { Call } from '../../../src/shared/domain'
import { CallBulkLoader } from '../../../src/main/storage/folder/bulkLoad'
import { COPY_BATCH } from '../../../src/main/maintenance/migrateFolder'
import { generatedCall, seeded } from '../../support/fixtures'
import type { Headless } from '../../support/headless'
import { freshDatabase } from '../../support/pgDatabase'
import { runUsers } from '../../support/users'
import { api, SECRET_KEY, startReceiver, until } from './helpers'

const ROOT = resolve(import.meta.dirname, '../../..')
const ZONE = 'Asia/Kolkata'
const CALLS = 5_200
const MONTHS = 12
const started: Headless[] = []
const folders: string[] = []

afterAll(async () => {
  for (const h of started) await h.stop()
  for (const f of folders) await rm(f, { recursive: true, force: true })
})

/** A data folder holding `CALLS` calls spread over the twelve months up to today. */
async function yearFolder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ivrs-year-'))
  folders.push(dir)
  const loader = await CallBulkLoader.create(join(dir, 'calls'), ZONE)
  const now = DateTime.now().setZone(ZONE)
  const rnd = seeded(12)
  let n = 0
  for (let m = MONTHS - 1; m >= 0; m--) {
    const from = now.startOf('month').minus({ months: m })
    const to = m === 0 ? now : from.plus({ months: 1 })
    const calls: Call[] = []
    const count = Math.round((CALLS * (MONTHS - m)) / MONTHS) - n
    for (let k = 0; k < count; k++) {
      const at = from.toMillis() + Math.floor(rnd() * (to.toMillis() - from.toMillis()))
      calls.push(generatedCall(n++, at, rnd))
    }
    await loader.writeCalls(calls)
  }
  await loader.finish()
  return dir
}

const cli = join(ROOT, 'src/main/maintenance/migrateCli.ts')
const migrateEnv = (url: string) => ({
  ...process.env,
  IVRS_DATABASE_URL: url,
  IVRS_SECRET_KEY: SECRET_KEY,
})

/** The command, as a person runs it; killed (code null) past the bound. */
function migrate(dataDir: string, url: string) {
  const res = spawnSync(process.execPath, ['--import', 'tsx', cli, dataDir], {
    cwd: ROOT,
    encoding: 'utf8',
    env: migrateEnv(url),
    timeout: 150_000,
  })
  return { code: res.status, out: res.stdout, err: res.stderr }
}

async function query<R extends pg.QueryResultRow>(url: string, sql: string, params?: unknown[]) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query<R>(sql, params)).rows
  } finally {
    await client.end()
  }
}

describe('migrate-to-postgres over a year of months', () => {
  it('copies twelve months and 5,200 calls in several batches, saying how far it is', async () => {
    expect(CALLS).toBeGreaterThan(2 * COPY_BATCH)
    const dir = await yearFolder()
    const url = await freshDatabase('year')
    const res = migrate(dir, url)
    expect(res.code, `${res.out}\n${res.err}`).toBe(0)
    expect(res.out).toMatch(new RegExp(`calls\\s+${CALLS}\\s+${CALLS}\\n`))
    expect(res.out).toMatch(/ calls copied \(\d{4}-\d{2} to \d{4}-\d{2}\)…/)
    expect(res.out).toContain('Every count matches')
    const months = await query<{ n: string }>(
      url,
      `SELECT count(*) AS n FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
        WHERE p.relname = 'calls'`,
    )
    expect(Number(months[0]!.n)).toBeGreaterThanOrEqual(MONTHS)
    const rows = await query<{ n: string }>(url, 'SELECT count(*) AS n FROM calls')
    expect(Number(rows[0]!.n)).toBe(CALLS)
  })

  it('leaves a copy cut short refused by receivers, and copies into it again', async () => {
    const dir = await yearFolder()
    const url = await freshDatabase('cut')
    // The schema and the accounts' document at its defaults (version 0), which the copy
    // replaces at its end: holding that row stops the copy there, inside its transaction.
    expect((await runUsers(dir, ['list'], { IVRS_DATABASE_URL: url })).code).toBe(0)
    const holder = new pg.Client({ connectionString: url })
    await holder.connect()
    await holder.query('BEGIN')
    await holder.query("SELECT 1 FROM documents WHERE name = 'accounts.json' FOR UPDATE")
    const child = spawn(process.execPath, ['--import', 'tsx', cli, dir], {
      cwd: ROOT,
      env: migrateEnv(url),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (out += d.toString()))
    const exited = new Promise<void>((r) => child.once('exit', () => r()))
    await until(
      'the copy waits on the held row',
      async () =>
        (
          await query<{ n: string }>(
            url,
            `SELECT count(*) AS n FROM pg_stat_activity
              WHERE application_name = 'ivr-supervisor' AND wait_event_type = 'Lock'`,
          )
        )[0]!.n === '1',
      120_000,
    )
    expect(out).toMatch(/calls copied/)
    // Ctrl-C.
    child.kill('SIGINT')
    await exited
    await holder.query('ROLLBACK')
    await holder.end()
    await until(
      "the copy's connection is gone",
      async () =>
        (
          await query<{ n: string }>(
            url,
            "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'ivr-supervisor'",
          )
        )[0]!.n === '0',
      30_000,
    )
    expect((await query<{ n: string }>(url, 'SELECT count(*) AS n FROM calls'))[0]!.n).toBe('0')

    const refused = await startReceiver(url).then(
      (h) => {
        started.push(h)
        return null
      },
      (err: Error) => err.message,
    )
    expect(refused).toMatch(/exited with 1/)
    expect(refused).toContain('unfinished copy of the data folder')
    expect(refused).toContain('migrate-to-postgres again')

    const again = migrate(dir, url)
    expect(again.code, `${again.out}\n${again.err}`).toBe(0)
    expect(again.out).toContain('did not finish and left nothing behind')
    expect(again.out).toMatch(new RegExp(`calls\\s+${CALLS}\\s+${CALLS}\\n`))
    const db = await startReceiver(url)
    started.push(db)
    expect((await api<{ total: number }>(db, 'GET', '/api/v1/calls')).json.total).toBe(CALLS)
  })
})
