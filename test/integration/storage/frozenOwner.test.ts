import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { request } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import type { Health } from '../../../src/shared/domain'
import { HOLDER_NAME, type LockHolder } from '../../../src/main/dataFolder/lock'
import { samplePush } from '../../support/fixtures'
import { startHeadless, type Headless } from '../../support/headless'
import { api, ids, push, startExpectingExit, storedIds, tool } from './helpers'

/**
 * A frozen owner (SIGSTOP, as a suspended laptop, a debugger, a VM pause or an event loop held
 * for the lock's stale time), with real `serve.ts` processes on one folder: on one host the
 * frozen owner is never taken over; with its holder record made to look like another host's (a
 * network share, where its process cannot be checked), the next process takes the folder over
 * and the old owner, thawed, stops every write at once and exits, so every call either of them
 * acknowledged is there after a restart.
 *
 * The stale time is shortened to 6 s with IVRS_LOCK_STALE_MS (30 s by default) so the suite stays
 * fast; the protocol is the same at any stale time.
 */
const STALE_MS = 6_000
const env = { IVRS_LOCK_STALE_MS: String(STALE_MS) }

const running: Headless[] = []
afterEach(async () => {
  for (const h of running.splice(0)) {
    if (h.child.signalCode === 'SIGSTOP' || h.child.exitCode === null) h.child.kill('SIGCONT')
    await h.stop()
  }
})

async function start(dataDir?: string): Promise<Headless> {
  const h = await startHeadless({ dataDir, env })
  running.push(h)
  return h
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
const freeze = (h: Headless): void => void h.child.kill('SIGSTOP')
const thaw = (h: Headless): void => void h.child.kill('SIGCONT')

/** Resolves with the exit code once `h` has ended (by itself or by a signal). */
function exitOf(h: Headless): Promise<number | null> {
  if (h.child.exitCode !== null || h.child.signalCode !== null)
    return Promise.resolve(h.child.exitCode)
  return new Promise((r) => h.child.once('exit', (code) => r(code)))
}

/** Pushes to a process that may be gone: how many were answered `Accepted`. */
async function pushesAccepted(h: Headless, list: readonly string[]): Promise<number> {
  let n = 0
  for (const id of list) {
    try {
      const res = await request(`${h.webhookUrl}?${new URLSearchParams(samplePush(id))}`)
      if (res.statusCode === 200 && (await res.body.text()) === 'Accepted') n++
      else await res.body.dump()
    } catch {
      // Connection refused or reset: not acknowledged.
    }
  }
  return n
}

async function holder(dir: string): Promise<LockHolder> {
  return JSON.parse(await readFile(join(dir, HOLDER_NAME), 'utf8')) as LockHolder
}

/** Makes the recorded holder look like a process on another host (a folder on a share). */
async function recordOnAnotherHost(dir: string): Promise<void> {
  await writeFile(join(dir, HOLDER_NAME), JSON.stringify({ ...(await holder(dir)), host: 'nas' }))
}

/** Restarts on the folder: which acknowledged calls are missing, and the storage problems told. */
async function afterRestart(dir: string, acked: readonly string[]) {
  const h = await start(dir)
  const stored = await storedIds(h)
  const health = (await api<Health>(h, 'GET', '/api/v1/health')).json
  await h.stop()
  running.splice(running.indexOf(h), 1)
  const doctor = await tool('doctor', [dir])
  return {
    missing: acked.filter((id) => !stored.has(id)),
    stored: stored.size,
    problems: health.storage.problems.map((p) => p.kind),
    doctor,
  }
}

describe('a frozen owner on one host', () => {
  for (const ending of ['killed', 'stopped'] as const)
    it(`is never taken over, however old its lock looks; thawed, it keeps every call (then ${ending})`, async () => {
      const a = await start()
      const before = await push(a.webhookUrl, ids('a', 100))
      expect(before.acked).toHaveLength(100)
      freeze(a)
      await sleep(STALE_MS + 1_500)
      const b = await startExpectingExit(a.dataDir, env)
      expect(b.code).not.toBe(0)
      expect(b.stderr).toContain(
        `is in use by IVR Supervisor in headless mode (process ${a.child.pid}`,
      )
      thaw(a)
      const after = await push(a.webhookUrl, ids('a2', ending === 'killed' ? 350 : 200))
      expect(after.acked).toHaveLength(ending === 'killed' ? 350 : 200)
      if (ending === 'killed') a.child.kill('SIGKILL')
      else a.child.kill('SIGTERM')
      expect(await exitOf(a)).toBe(ending === 'killed' ? null : 0)

      const acked = [...before.acked, ...after.acked]
      const r = await afterRestart(a.dataDir, acked)
      expect(r.missing).toEqual([])
      expect(r.stored).toBe(acked.length)
      expect(r.problems).toEqual([])
      expect(r.doctor.code, r.doctor.stdout).toBe(0)
    })
})

describe('a frozen owner whose folder another host takes over', () => {
  it('the thawed owner stops every write at once and exits; the new owner keeps every call (then killed)', async () => {
    const a = await start()
    const first = await push(a.webhookUrl, ids('a', 100))
    expect(first.acked).toHaveLength(100)
    const generation = (await holder(a.dataDir)).generation!
    freeze(a)
    await recordOnAnotherHost(a.dataDir)
    await sleep(STALE_MS + 1_500)

    const b = await start(a.dataDir)
    expect((await holder(a.dataDir)).generation).toBe(generation + 1)
    const taken = await push(b.webhookUrl, ids('b', 350))
    expect(taken.acked).toHaveLength(350)

    thaw(a)
    // The old owner acknowledges nothing more: it finds out before its first write and exits.
    expect(await pushesAccepted(a, ids('late', 20))).toBe(0)
    expect(await exitOf(a)).toBe(3)
    expect(a.stderr()).toContain('no longer owns the data folder')
    expect(a.stderr()).toContain(`process ${b.child.pid} on`)
    // The new owner still holds an intact folder and goes on.
    const more = await push(b.webhookUrl, ids('b2', 50))
    expect(more.acked).toHaveLength(50)
    b.child.kill('SIGKILL')
    await exitOf(b)

    const acked = [...first.acked, ...taken.acked, ...more.acked]
    const r = await afterRestart(a.dataDir, acked)
    expect(r.missing).toEqual([])
    expect(r.stored).toBe(500)
    // No problem record was written by the process that lost the folder.
    expect(r.problems).toEqual([])
    expect(r.doctor.code, r.doctor.stdout).toBe(0)
  })

  it('the thawed owner writes nothing over the new owner after its checkpoint (both then stopped)', async () => {
    const a = await start()
    const first = await push(a.webhookUrl, ids('a', 100))
    freeze(a)
    await recordOnAnotherHost(a.dataDir)
    await sleep(STALE_MS + 1_500)

    const b = await start(a.dataDir)
    const taken = await push(b.webhookUrl, ids('b', 300))
    expect(taken.acked).toHaveLength(300)
    // The new owner's own checkpoint (a backup starts with one): its months, a new journal.
    expect((await api(b, 'POST', '/api/v1/storage/backup')).status).toBe(200)

    thaw(a)
    a.child.kill('SIGTERM')
    expect(await exitOf(a)).not.toBe(0)
    expect(await b.stop()).toBe(0)

    const acked = [...first.acked, ...taken.acked]
    const r = await afterRestart(a.dataDir, acked)
    expect(r.missing).toEqual([])
    expect(r.stored).toBe(400)
    expect(r.problems).toEqual([])
    expect(r.doctor.code, r.doctor.stdout).toBe(0)
  })
})
