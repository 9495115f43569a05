import { spawnSync } from 'node:child_process'
import { mkdir, readFile, utimes, writeFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  acquireDataFolderLock,
  DataFolderInUseError,
  HOLDER_NAME,
  LOCK_NAME,
  type DataFolderLock,
} from '../../../src/main/storage/lock'
import { clockShifted } from '../../support/clock'
import { tempDir } from './fixtures'

let dir: string
let cleanup: () => Promise<void>
const held: DataFolderLock[] = []
beforeEach(async () => ({ dir, cleanup } = await tempDir()))
afterEach(async () => {
  await Promise.all(held.splice(0).map((l) => l.release()))
  await cleanup()
})

async function take(mode = 'headless'): Promise<DataFolderLock> {
  const lock = await acquireDataFolderLock(dir, { mode })
  held.push(lock)
  return lock
}

/** A process id that existed and is gone. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!
}

describe('one owner per data folder', () => {
  it('refuses a second owner with a message naming the folder and the holder', async () => {
    const first = await take('desktop')
    const err = await acquireDataFolderLock(dir, { mode: 'headless' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(DataFolderInUseError)
    const msg = (err as Error).message
    expect(msg).toContain(dir)
    expect(msg).toContain(`process ${process.pid} on ${hostname()}`)
    expect(msg).toContain(first.holder.since)
    expect(msg).toContain('desktop app')
    const holder = JSON.parse(await readFile(join(dir, HOLDER_NAME), 'utf8'))
    expect(holder).toEqual(first.holder)
  })

  it('is free again once released', async () => {
    const first = await take()
    await first.release()
    const second = await take()
    expect(second.holder.pid).toBe(process.pid)
  })

  it('takes over at once a fresh lock left by a process that is gone', async () => {
    // What a crash leaves: the lock directory (just refreshed) and the holder record.
    await mkdir(join(dir, LOCK_NAME))
    const pid = deadPid()
    await writeFile(
      join(dir, HOLDER_NAME),
      JSON.stringify({ pid, host: hostname(), since: new Date().toISOString(), mode: 'headless' }),
    )
    const lock = await take()
    expect(lock.holder.pid).toBe(process.pid)
  })

  it('never takes over a live holder on this host, however old its lock looks', async () => {
    // A frozen (SIGSTOP, suspended) holder stops refreshing its lock; it is still alive.
    await mkdir(join(dir, LOCK_NAME))
    const old = new Date(Date.now() - 3_600_000)
    await utimes(join(dir, LOCK_NAME), old, old)
    const holder = { pid: 4242, host: hostname(), since: 'then', mode: 'desktop' }
    await writeFile(join(dir, HOLDER_NAME), JSON.stringify(holder))
    const taking = acquireDataFolderLock(dir, { mode: 'headless', isAlive: () => true })
    await expect(taking).rejects.toThrow(/process 4242 on .*, since then/)
    expect(JSON.parse(await readFile(join(dir, HOLDER_NAME), 'utf8'))).toEqual(holder)
  })

  // Staleness is read from the kernel's file times, which a shifted clock (faketime) cannot move.
  it.skipIf(clockShifted())(
    'does not take a fresh lock of another host (its process cannot be checked)',
    async () => {
      await mkdir(join(dir, LOCK_NAME))
      await writeFile(
        join(dir, HOLDER_NAME),
        JSON.stringify({ pid: deadPid(), host: 'other-host', since: 'then', mode: 'desktop' }),
      )
      await expect(take()).rejects.toThrow(/process \d+ on other-host, since then/)
    },
  )

  // Staleness is read from the kernel's file times, which a shifted clock (faketime) cannot move.
  it.skipIf(clockShifted())('refuses without a holder record rather than guessing', async () => {
    await mkdir(join(dir, LOCK_NAME))
    await expect(take()).rejects.toThrow(/left no record of itself/)
  })
})
