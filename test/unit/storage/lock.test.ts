import { spawn, spawnSync } from 'node:child_process'
import { mkdir, readFile, stat, utimes, writeFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  acquireDataFolderLock,
  DataFolderInUseError,
  HOLDER_NAME,
  LOCK_NAME,
  processAlive,
  type DataFolderLock,
  type LockHolder,
} from '../../../src/main/dataFolder/lock'
import { FolderLostError } from '../../../src/main/dataFolder/fence'
import { writeFileDurable } from '../../../src/main/dataFolder/durableFile'
import { Journal } from '../../../src/main/storage/folder/journal'
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

/**
 * A process killed but not collected by its parent (a zombie): its parent is `sleep`, exec'd in
 * place of the shell that started it, which never waits for a child. Returns its id and a
 * function that ends the parent (and so the zombie).
 */
async function zombie(): Promise<{ pid: number; parent: () => void }> {
  const parent = spawn('sh', ['-c', 'sleep 60 & echo $!; exec sleep 60'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  })
  const pid = await new Promise<number>((res) =>
    parent.stdout.once('data', (d: Buffer) => res(Number(d.toString().trim()))),
  )
  process.kill(pid, 'SIGKILL')
  // Until the kernel has made it a zombie (state Z).
  for (let i = 0; i < 100; i++) {
    const st = await readFile(`/proc/${pid}/stat`, 'latin1').catch(() => '')
    if (st.slice(st.lastIndexOf(')') + 2).startsWith('Z')) break
    await new Promise((r) => setTimeout(r, 20))
  }
  return { pid, parent: () => void parent.kill('SIGKILL') }
}

const onLinux = process.platform === 'linux'

/** Takes the folder in a child process (as a second instance would) and returns its record. */
function takeOverInAnotherProcess(folder: string): LockHolder {
  const lockModule = join(import.meta.dirname, '../../../src/main/dataFolder/lock.ts')
  const code =
    `const m = await import(${JSON.stringify(lockModule)});` +
    `const l = await m.acquireDataFolderLock(${JSON.stringify(folder)}, { mode: 'takeover' });` +
    'console.log(JSON.stringify(l.holder))'
  const res = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    encoding: 'utf8',
  })
  if (res.status !== 0) throw new Error(res.stderr)
  return JSON.parse(res.stdout) as LockHolder
}

describe('who counts as a live holder', () => {
  it.skipIf(!onLinux)(
    'a zombie nobody collected is gone: its folder is taken at once',
    async () => {
      const z = await zombie()
      try {
        // kill(pid, 0) still succeeds for a zombie: that alone called it alive.
        expect(() => process.kill(z.pid, 0)).not.toThrow()
        expect(processAlive(z.pid)).toBe(false)
        await mkdir(join(dir, LOCK_NAME))
        const holder = { pid: z.pid, host: hostname(), since: 'then', mode: 'headless' }
        await writeFile(join(dir, HOLDER_NAME), JSON.stringify(holder))
        const lock = await take()
        expect(lock.holder.pid).toBe(process.pid)
      } finally {
        z.parent()
      }
    },
  )

  it.skipIf(!onLinux)(
    'a live process that is not the recorded one (its id used again) is not the holder',
    async () => {
      const first = await take()
      await first.release()
      // The record names this very process, but a process started at another time.
      const record = JSON.parse(await readFile(join(dir, HOLDER_NAME), 'utf8')) as LockHolder
      expect(record.started).toMatch(/^\d+$/)
      await mkdir(join(dir, LOCK_NAME))
      await writeFile(join(dir, HOLDER_NAME), JSON.stringify({ ...record, started: '1' }))
      const again = await take()
      expect(again.holder.generation).toBe(record.generation! + 1)
    },
  )
})

describe('the owner generation (fencing)', () => {
  it('bumps the generation at every acquisition, with a new token', async () => {
    const a = await take()
    await a.release()
    const b = await take()
    expect(b.holder.generation).toBe(a.holder.generation! + 1)
    expect(b.holder.token).not.toBe(a.holder.token)
    expect(b.fence.generation).toBe(b.holder.generation)
    expect(() => b.fence.check()).not.toThrow()
  })

  // The lock's time is set from this process's clock and judged by a child sharing it, so a
  // shifted clock (faketime) shifts both alike.
  it('a takeover across hosts makes every write of the old owner fail, before it replaces anything', async () => {
    const a = await take('desktop')
    const lost: Error[] = []
    a.fence.onLost((err) => lost.push(err))
    const doc = join(dir, 'settings.json')
    await writeFileDurable(doc, 'mine')
    const journal = await Journal.open(join(dir, 'j.jsonl'))
    await journal.append({ n: 1 })
    // The owner is frozen: its lock goes stale, and its record looks like another host's (a
    // network share), so the next process cannot check it and takes the folder over.
    const old = new Date(Date.now() - 60_000)
    await utimes(join(dir, LOCK_NAME), old, old)
    const record = JSON.parse(await readFile(join(dir, HOLDER_NAME), 'utf8')) as LockHolder
    await writeFile(join(dir, HOLDER_NAME), JSON.stringify({ ...record, host: 'other-host' }))
    const b = takeOverInAnotherProcess(dir)
    expect(b.generation).toBe(a.holder.generation! + 1)
    expect(b.mode).toBe('takeover')
    await writeFile(doc, 'theirs')

    // The old owner resumes: its next write is refused, and so is every one after it.
    await expect(writeFileDurable(doc, 'stale')).rejects.toBeInstanceOf(FolderLostError)
    expect(await readFile(doc, 'utf8')).toBe('theirs')
    expect(lost).toHaveLength(1)
    expect(lost[0]!.message).toContain(`process ${b.pid} on ${hostname()} took it over`)
    expect(lost[0]!.message).toContain(`owner generation ${b.generation}`)
    const size = (await stat(join(dir, 'j.jsonl'))).size
    // An append is not even written: the journal is the new owner's now.
    await expect(journal.append({ n: 2 })).rejects.toBeInstanceOf(FolderLostError)
    expect((await stat(join(dir, 'j.jsonl'))).size).toBe(size)
    await journal.close().catch(() => {})
    expect(lost).toHaveLength(1)
  })

  it("the thawed owner's first write being a journal append: refused before a byte is written", async () => {
    const a = await take('desktop')
    const journal = await Journal.open(join(dir, 'j.jsonl'))
    await journal.append({ n: 1 })
    const size = (await stat(join(dir, 'j.jsonl'))).size
    const old = new Date(Date.now() - 60_000)
    await utimes(join(dir, LOCK_NAME), old, old)
    const record = JSON.parse(await readFile(join(dir, HOLDER_NAME), 'utf8')) as LockHolder
    await writeFile(join(dir, HOLDER_NAME), JSON.stringify({ ...record, host: 'other-host' }))
    const b = takeOverInAnotherProcess(dir)
    // Nothing told this process yet (its lock's timer has not run): the append finds out itself.
    expect(a.fence.lost).toBeNull()
    await expect(journal.append({ n: 2 })).rejects.toBeInstanceOf(FolderLostError)
    expect((await stat(join(dir, 'j.jsonl'))).size).toBe(size)
    expect(a.fence.lost).toBeInstanceOf(FolderLostError)
    await journal.close().catch(() => {})
    // Its release (at exit) leaves the new owner's lock and record alone. (The stand-in new
    // owner has exited, its lock with it: the lock stands again, as a live new owner's would.)
    await mkdir(join(dir, LOCK_NAME))
    await a.release()
    expect((await stat(join(dir, LOCK_NAME))).isDirectory()).toBe(true)
    expect((JSON.parse(await readFile(join(dir, HOLDER_NAME), 'utf8')) as LockHolder).token).toBe(
      b.token,
    )
  })

  it("an owner that learns of its loss from a write and exits leaves the new owner's lock", async () => {
    // The old owner in a process of its own, exiting the way serve.ts does once a write finds the
    // folder lost: proper-lockfile removes at exit every lock it still holds, and this one was
    // never dropped from its books (the lock's own timer had not run).
    const modules = (name: string) =>
      JSON.stringify(join(import.meta.dirname, '../../../src/main', name))
    const code =
      `const m = await import(${modules('dataFolder/lock.ts')});` +
      `const j = await import(${modules('storage/folder/journal.ts')});` +
      `await m.acquireDataFolderLock(${JSON.stringify(dir)}, { mode: 'headless' });` +
      `const journal = await j.Journal.open(${JSON.stringify(join(dir, 'j.jsonl'))});` +
      `await journal.append({ n: 1 });` +
      "console.log('ready');" +
      "process.stdin.once('data', async () => {" +
      '  try { await journal.append({ n: 2 }); console.log("written") }' +
      '  catch (err) { console.log(err.name) }' +
      '  process.exit(3)' +
      '})'
    const old = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      stdio: ['pipe', 'pipe', 'inherit'],
    })
    let out = ''
    const said = (text: string) =>
      new Promise<void>((res) => {
        const look = () => (out.includes(text) ? res() : old.stdout.once('data', look))
        look()
      })
    old.stdout.setEncoding('utf8').on('data', (t: string) => (out += t))
    const exited = new Promise<number | null>((res) => old.once('exit', res))
    await said('ready')
    // Frozen: its lock looks stale and its record another host's, so the folder is taken over.
    const stale = new Date(Date.now() - 60_000)
    await utimes(join(dir, LOCK_NAME), stale, stale)
    const record = JSON.parse(await readFile(join(dir, HOLDER_NAME), 'utf8')) as LockHolder
    await writeFile(join(dir, HOLDER_NAME), JSON.stringify({ ...record, host: 'other-host' }))
    const b = takeOverInAnotherProcess(dir)
    // The stand-in new owner has exited, its lock with it: the lock stands again, as a live new
    // owner's would.
    await mkdir(join(dir, LOCK_NAME))
    old.stdin.write('go\n')
    expect(await exited).toBe(3)
    expect(out).toContain('FolderLostError')
    expect((await stat(join(dir, LOCK_NAME))).isDirectory()).toBe(true)
    expect((JSON.parse(await readFile(join(dir, HOLDER_NAME), 'utf8')) as LockHolder).token).toBe(
      b.token,
    )
  })

  it('a write whose target was replaced meanwhile is not committed either', async () => {
    const a = await take()
    const doc = join(dir, 'settings.json')
    // The takeover lands between the temp file and the rename (the fence is asked again there).
    const record = JSON.parse(await readFile(join(dir, HOLDER_NAME), 'utf8')) as LockHolder
    const writing = writeFileDurable(doc, 'stale')
    await writeFile(join(dir, HOLDER_NAME), JSON.stringify({ ...record, token: 'someone-else' }))
    await expect(writing).rejects.toBeInstanceOf(FolderLostError)
    await expect(readFile(doc, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' })
    expect(a.fence.lost).toBeInstanceOf(FolderLostError)
  })
})
