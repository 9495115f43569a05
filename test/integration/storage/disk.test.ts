import { execFileSync } from 'node:child_process'
import { open, readFile, rm, stat, statfs } from 'node:fs/promises'
import { join } from 'node:path'
import { request } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import type { Health } from '../../../src/shared/domain'
import type { Headless } from '../../support/headless'
import {
  api,
  ids,
  isRoot,
  push,
  remount,
  startExpectingExit,
  storedIds,
  tmpfs,
  headlessRunner,
} from './helpers'

/**
 * A disk that refuses writes, with the real headless process on a small tmpfs: full during
 * pushes, full during a checkpoint, read-only. Pushes the disk refuses are answered 503 (the
 * vendor retries them); every call answered Accepted is there after a restart; the problem is a
 * state of /api/v1/health until acknowledged. Mounting needs root (CI runs as root).
 */
const why = 'mounting a tmpfs needs root'
const mounts: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const m of mounts.splice(0)) await m()
})
const { start, stop } = headlessRunner()

async function disk(size: string): Promise<string> {
  const t = await tmpfs(size)
  mounts.push(t.unmount)
  return t.dir
}

/** Fills the disk of `dir` until `leave` bytes are free; returns the filler's path. */
async function fill(dir: string, leave: number, name = 'filler'): Promise<string> {
  const s = await statfs(dir)
  const free = s.bavail * s.bsize
  const path = join(dir, name)
  const fh = await open(path, 'w')
  await fh.write(Buffer.alloc(Math.max(0, free - leave)))
  await fh.close()
  return path
}

const readyz = async (h: Headless) => {
  const res = await request(`${h.apiUrl}/readyz`)
  return { status: res.statusCode, body: await res.body.text() }
}

const storage = async (h: Headless) => (await api<Health>(h, 'GET', '/api/v1/health')).json.storage

describe.skipIf(!isRoot())(`a disk that refuses writes (${why})`, () => {
  it('full during pushes: 503 while full, accepted again once space is freed, none lost', async () => {
    const dir = await disk('2m')
    const h = await start(dir)
    const filler = await fill(dir, 200 * 1024)
    const full = await push(h.webhookUrl, ids('full', 600))
    expect(full.statuses.every((s) => s === 200 || s === 503)).toBe(true)
    expect(full.statuses).toContain(503)
    expect(full.acked.length).toBeGreaterThan(0)

    const told = await storage(h)
    expect(told.state).toBe('problem')
    const refused = told.problems.find((p) => p.kind === 'write-refused')!
    expect(refused).toMatchObject({
      ongoing: true,
      file: expect.stringMatching(/^calls\/journal\//),
    })
    expect(refused.summary).toMatch(/disk is full, ENOSPC/)
    // Not ready while the disk takes nothing; ready again as soon as it does, before any push
    // (a load balancer sends none to an instance that is not ready).
    const rest = await fill(dir, 0, 'filler-rest')
    expect((await readyz(h)).status).toBe(503)
    await rm(rest)
    await rm(filler)
    expect((await readyz(h)).status).toBe(200)
    const later = await push(h.webhookUrl, ids('later', 50))
    expect(later.acked).toHaveLength(50)
    const recovered = (await storage(h)).problems.find((p) => p.kind === 'write-refused')!
    expect(recovered.ongoing).toBe(false)
    const ack = await api<{ problems: unknown[] }>(h, 'POST', '/api/v1/storage/acknowledge', {})
    expect(ack.json.problems).toEqual([])
    expect((await storage(h)).state).toBe('ok')
    expect(await stop(h)).toBe(0)

    const again = await start(dir)
    const stored = await storedIds(again)
    expect([...full.acked, ...later.acked].filter((id) => !stored.has(id))).toEqual([])
  })

  it('full during a checkpoint: the journal keeps every call, the checkpoint works once space is freed', async () => {
    const dir = await disk('2m')
    const h = await start(dir)
    const before = await push(h.webhookUrl, ids('cp', 400))
    expect(before.acked).toHaveLength(400)
    const journalBytes = (await stat(join(dir, 'calls/journal/00000001.jsonl'))).size
    // Too little room for the month file the checkpoint writes (about the journal's size).
    const filler = await fill(dir, Math.floor(journalBytes / 4))
    // A backup starts with a checkpoint; both fail on the full disk, and say so.
    const backup = await api<{ error: string }>(h, 'POST', '/api/v1/storage/backup')
    expect(backup.status).toBe(503)
    expect(backup.json.error).toMatch(/could not be written.*ENOSPC/)
    const failed = (await storage(h)).problems.find((p) => p.kind === 'checkpoint-failed')!
    expect(failed).toMatchObject({ ongoing: true })
    expect(failed.summary).toMatch(/still safe in the journal/)
    // History still answers while the month cannot be written.
    expect((await storedIds(h)).size).toBe(400)

    await rm(filler)
    const ok = await api<{ path: string }>(h, 'POST', '/api/v1/storage/backup')
    expect(ok.status, ok.text).toBe(200)
    expect((await storage(h)).problems.find((p) => p.kind === 'checkpoint-failed')!.ongoing).toBe(
      false,
    )
    expect(await stop(h)).toBe(0)
    const again = await start(dir)
    const stored = await storedIds(again)
    expect(before.acked.filter((id) => !stored.has(id))).toEqual([])
  })

  it('read-only: calls stay durable in the journal, saving months fails and is told; a read-only start names the folder', async () => {
    const dir = await disk('8m')
    const h = await start(dir)
    const before = await push(h.webhookUrl, ids('rw', 100))
    // The folder turns read-only under the running app (a read-only bind mount over it: the
    // kernel refuses to remount a file system read-only while the journal is open for writing).
    execFileSync('mount', ['--bind', dir, dir])
    execFileSync('mount', ['-o', 'remount,bind,ro', dir])
    let bound = true
    try {
      // The open journal still takes pushes durably; nothing new can be created.
      const during = await push(h.webhookUrl, ids('ro', 20))
      expect(during.statuses.every((s) => s === 200 || s === 503)).toBe(true)
      before.acked.push(...during.acked)
      const backup = await api<{ error: string }>(h, 'POST', '/api/v1/storage/backup')
      expect(backup.status).toBe(503)
      const failed = (await storage(h)).problems.find((p) => p.kind === 'checkpoint-failed')!
      expect(failed.summary).toMatch(/read-only, EROFS/)
      expect(failed.ongoing).toBe(true)
      expect((await storedIds(h)).size).toBe(before.acked.length)
      execFileSync('umount', [dir])
      bound = false
    } finally {
      if (bound) execFileSync('umount', ['-l', dir])
    }
    const after = await push(h.webhookUrl, ids('back', 20))
    expect(after.acked).toHaveLength(20)
    expect(await stop(h)).toBe(0)

    remount(dir, 'ro')
    const refusedStart = await startExpectingExit(dir)
    expect(refusedStart.code).not.toBe(0)
    expect(refusedStart.stderr).toContain(`Cannot take the data folder ${dir} (EROFS)`)
    remount(dir, 'rw')

    const again = await start(dir)
    const stored = await storedIds(again)
    expect([...before.acked, ...after.acked].filter((id) => !stored.has(id))).toEqual([])
    expect(JSON.parse(await readFile(join(dir, 'ivrs.lock.json'), 'utf8')).pid).toBe(
      again.child.pid,
    )
  })
})
