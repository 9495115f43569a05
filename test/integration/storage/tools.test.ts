import { cp, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Health } from '../../../src/shared/domain'
import type { CheckReport } from '../../../src/shared/storage'
import { todayIn } from '../../support/fixtures'
import { api, ids, push, storedIds, tool, headlessRunner } from './helpers'

/**
 * `npm run doctor`, `npm run backup` and `npm run restore` as a user runs them, on folders made
 * by the real headless process: back up, damage, restore, every call present.
 */
const { start, stop } = headlessRunner()

/** A folder with `n` calls in its month file (stopped, so checkpointed). */
async function folderWith(n: number): Promise<{ dir: string; acked: string[] }> {
  const h = await start()
  const { acked } = await push(h.webhookUrl, ids('call', n))
  expect(acked).toHaveLength(n)
  expect(await stop(h)).toBe(0)
  return { dir: h.dataDir, acked }
}

/** The month file of the pushes (dated today in the zone the server uses). */
const MONTH = `calls/shards/${todayIn().slice(0, 7)}.json`

/** Changes one digit of the caller number of `id` in the month file (the JSON still parses). */
async function damageCall(dir: string, id: string): Promise<void> {
  const path = join(dir, MONTH)
  const doc = await readFile(path)
  const at = doc.indexOf(`{"id":"${id}","callerNumber":"+9198765432`)
  expect(at).toBeGreaterThan(0)
  const digit = at + `{"id":"${id}","callerNumber":"+91`.length
  doc[digit] = doc[digit] === 0x39 ? 0x38 : 0x39
  await writeFile(path, doc)
}

describe('npm run doctor', () => {
  it('finds a damaged month, and with --repair contains it on a copy of the folder', async () => {
    const { dir, acked } = await folderWith(60)
    // A copy, as a user sends it for support.
    const copy = await mkdtemp(join(tmpdir(), 'ivrs-copy-'))
    await cp(dir, copy, { recursive: true })
    await damageCall(copy, 'call-0017')

    const clean = await tool('doctor', ['--json', dir])
    expect(clean.code, clean.stderr).toBe(0)
    expect((JSON.parse(clean.stdout) as CheckReport).counts.calls).toBe(60)

    const found = await tool('doctor', [copy])
    expect(found.code).toBe(1)
    expect(found.stdout).toContain(`DAMAGE   ${MONTH}: its checksum does not match its content`)

    const repaired = await tool('doctor', ['--repair', copy])
    expect(repaired.code, repaired.stdout + repaired.stderr).toBe(0)
    expect(repaired.stdout).toMatch(/1 call could not be read back/)
    expect(repaired.stdout).toContain('Result: no damage.')
    expect(await readdir(join(copy, 'calls/damaged'))).toHaveLength(2)

    // The app shows what the repair did, and has every call but the damaged one.
    const h = await start(copy)
    const health = await api<Health>(h, 'GET', '/api/v1/health')
    expect(health.json.storage.problems.map((p) => p.kind)).toContain('month-set-aside')
    const stored = await storedIds(h)
    expect(acked.filter((id) => !stored.has(id))).toEqual(['call-0017'])
  })

  it('refuses a folder the app holds, with a clear message, and the app offers the check', async () => {
    const h = await start()
    const refused = await tool('doctor', [h.dataDir])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain(`The data folder ${h.dataDir} is in use by`)
    expect(refused.stderr).toContain('quit the app')

    await push(h.webhookUrl, ids('live', 30))
    const check = await api<CheckReport>(h, 'POST', '/api/v1/storage/check')
    expect(check.status).toBe(200)
    expect(check.json.ok).toBe(true)
    expect(check.json.counts.journalRecords).toBeGreaterThanOrEqual(30)
  })
})

describe('backups', () => {
  it('back up, damage, restore: every call present', async () => {
    const { dir, acked } = await folderWith(80)
    const made = await tool('backup', [dir])
    expect(made.code, made.stderr).toBe(0)
    const path = /^Backup made: (.+) \(\d+ files/m.exec(made.stdout)![1]!

    await damageCall(dir, 'call-0040')
    await writeFile(join(dir, 'vendor/outbox.json'), '{"changes": [')
    expect((await tool('doctor', [dir])).code).toBe(1)

    const restored = await tool('restore', [path, dir])
    expect(restored.code, restored.stderr).toBe(0)
    expect(restored.stdout).toMatch(/What the folder held before is kept in .*replaced-/)
    expect((await tool('doctor', [dir])).code).toBe(0)
    const h = await start(dir)
    const stored = await storedIds(h)
    expect(acked.filter((id) => !stored.has(id))).toEqual([])
    expect(stored.size).toBe(80)
  })

  it('backs up while the app runs and takes pushes: the copy has every call acknowledged before it', async () => {
    const h = await start()
    const first = await push(h.webhookUrl, ids('before', 150))
    // Pushes keep arriving while the backup tool copies the folder beside the running app.
    const during = push(h.webhookUrl, ids('during', 150))
    const made = await tool('backup', [h.dataDir])
    await during
    expect(made.code, made.stderr).toBe(0)
    expect(made.stdout).toContain('is in use')
    const path = /^Backup made: (.+) \(\d+ files/m.exec(made.stdout)![1]!

    const target = await mkdtemp(join(tmpdir(), 'ivrs-restored-'))
    const restored = await tool('restore', [path, target])
    expect(restored.code, restored.stderr).toBe(0)
    const copy = await start(target)
    const stored = await storedIds(copy)
    expect(first.acked.filter((id) => !stored.has(id))).toEqual([])

    // And from the app itself (Settings → Back up now): a checkpoint, then the copy.
    const fromApp = await api<{ path: string; calls: number }>(h, 'POST', '/api/v1/storage/backup')
    expect(fromApp.status).toBe(200)
    expect(fromApp.json.calls).toBe(300)
    const health = await api<Health>(h, 'GET', '/api/v1/health')
    expect(health.json.storage.lastBackup?.path).toBe(fromApp.json.path)
  })
})
