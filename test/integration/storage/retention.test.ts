/**
 * The append-only logs' retention (IVRS_LOG_RETENTION_DAYS): serve.ts on a data folder whose
 * activity log, vendor audit trail and rejected-pushes archive hold entries from long ago removes
 * those when it starts, keeps every newer one, and says so in one line; the database's logs are
 * pruned by each entry's own time.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { Health } from '../../../src/shared/domain'
import { systemClock } from '../../../src/main/ground/clock'
import { silentLogger } from '../../../src/main/ground/logger'
import { FileRejectedLog } from '../../../src/main/storage/folder/rejectedLog'
import { Database } from '../../../src/main/storage/postgres/database'
import { PgLog } from '../../../src/main/storage/postgres/pgLog'
import { startHeadless, type Headless } from '../../support/headless'
import { freshDatabase } from '../../support/pgDatabase'
import { until } from '../postgres/helpers'
import { api } from './helpers'

const DAY = 86_400_000
const started: Headless[] = []
const dirs: string[] = []
afterAll(async () => {
  for (const h of started) await h.stop()
  for (const d of dirs) await rm(d, { recursive: true, force: true })
})

const iso = (daysAgo: number, n = 0) =>
  new Date(Date.now() - daysAgo * DAY + n * 1000).toISOString()
const activity = (daysAgo: number, n: number) =>
  JSON.stringify({
    at: iso(daysAgo, n),
    by: 'Asha Rao',
    role: 'supervisor',
    account: 'a1',
    transport: 'http',
    channel: 'agents:setStatus',
    request: { n },
  })
const audit = (daysAgo: number, n: number) =>
  JSON.stringify({
    type: 'settled',
    at: iso(daysAgo, n),
    changeId: `c${n}`,
    state: 'confirmed',
    answer: 'Success',
  })
const rejected = (daysAgo: number, n: number) => ({
  receivedAt: iso(daysAgo, n),
  method: 'GET',
  params: { calllogid: `r${n}` },
  reason: 'Invalid date',
  fields: ['date'],
  remoteAddress: '203.0.113.9',
})
const lines = async (path: string) => (await readFile(path, 'utf8')).split('\n').filter(Boolean)

describe('log retention', () => {
  it('serve.ts removes the entries older than the retention from each log, keeping the rest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ivrs-retention-'))
    dirs.push(dir)
    await writeFile(
      join(dir, 'activity.jsonl'),
      [activity(500, 0), activity(400, 1), activity(31, 2), activity(29, 3), activity(1, 4)]
        .map((l) => l + '\n')
        .join(''),
    )
    await mkdir(join(dir, 'vendor'))
    await writeFile(
      join(dir, 'vendor', 'vendor-audit.jsonl'),
      [audit(365, 0), audit(40, 1), audit(2, 2)].map((l) => l + '\n').join(''),
    )
    // Files of two entries: the six old ones make the archive, the newer ones stay in memory.
    const log = await FileRejectedLog.open({
      dir: join(dir, 'rejected'),
      clock: systemClock,
      entriesPerFile: 2,
    })
    for (let n = 0; n < 6; n++) await log.append(rejected(300, n))
    for (let n = 6; n < 9; n++) await log.append(rejected(3, n))
    await log.close()

    const h = await startHeadless({ dataDir: dir, env: { IVRS_LOG_RETENTION_DAYS: '30' } })
    started.push(h)
    await until('the retention line', () => h.stderr().includes('log retention'))
    const said = h
      .stderr()
      .split('\n')
      .find((l) => l.includes('log retention'))!
    expect(JSON.parse(said.slice(said.indexOf('{')))).toMatchObject({
      days: 30,
      'activity log': 3,
      'vendor audit trail': 2,
      'rejected pushes': 6,
    })
    expect((await lines(join(dir, 'activity.jsonl'))).map((l) => JSON.parse(l).request.n)).toEqual([
      3, 4,
    ])
    expect(
      (await lines(join(dir, 'vendor', 'vendor-audit.jsonl'))).map((l) => JSON.parse(l).changeId),
    ).toEqual(['c2'])
    expect(
      (await readdir(join(dir, 'rejected'))).filter((n) => n.endsWith('.jsonl')).sort(),
    ).toEqual(['00000004.jsonl', '00000005.jsonl'])
    const health = (await api<Health>(h, 'GET', '/api/v1/health')).json
    expect(health.rejectedCount).toBe(3)
  })

  it('on PostgreSQL, prunes each log by its entries own time, even entries copied in today', async () => {
    const url = await freshDatabase('retention')
    const db = await Database.open({ url, logger: silentLogger })
    try {
      const log = new PgLog<{ at: string; n: number }>(db, 'activity')
      const other = new PgLog<{ at: string; n: number }>(db, 'vendor-audit')
      // Rows written now (as migrate-to-postgres writes them) whose entries are old.
      for (const [daysAgo, n] of [
        [500, 0],
        [45, 1],
        [10, 2],
        [0, 3],
      ] as const)
        await log.append({ at: iso(daysAgo), n })
      await other.append({ at: iso(500), n: 9 })
      expect(await log.prune(Date.now() - 30 * DAY)).toBe(2)
      expect((await log.read()).map((e) => e.n)).toEqual([2, 3])
      // Another log's entries are its own.
      expect((await other.read()).map((e) => e.n)).toEqual([9])
    } finally {
      await db.close()
    }
  })
})
