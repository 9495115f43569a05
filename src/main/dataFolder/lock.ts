import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join, resolve } from 'node:path'
import lockfile from 'proper-lockfile'
import { writeDurable } from './durableFile'
import { FolderFence, registerFence, unregisterFence } from './fence'

/** Who holds a data folder, as recorded beside its lock. */
export interface LockHolder {
  pid: number
  host: string
  /** ISO instant the holder took the folder. */
  since: string
  /** What holds it: `desktop`, `headless`, `doctor`, `backup`, `restore`, ... */
  mode: string
  /**
   * The owner generation: one more than the holder's before it, so every takeover bumps it.
   * Writers check it (with {@link token}) before each write that replaces or removes a file.
   */
  generation?: number
  /** Random per acquisition: tells this holder from any other with the same process id. */
  token?: string
  /** Linux: the boot the holder ran in, and its process's start time in that boot (clock ticks). */
  boot?: string
  started?: string
}

/** The lock itself (a directory, made atomically by proper-lockfile) and its holder record. */
export const LOCK_NAME = 'ivrs.lock'
export const HOLDER_NAME = 'ivrs.lock.json'
/** Taken only while a lock is being acquired, so that reading the holder and taking over agree. */
const GUARD_NAME = 'ivrs.lock.guard'

/**
 * A lock whose directory has not been refreshed for this long is stale even when its holder
 * cannot be checked (another host): the holder refreshes it every 10 s (every half of it when
 * shorter). `IVRS_LOCK_STALE_MS` changes it (tests of a takeover across hosts shorten it).
 */
export const STALE_MS = 30_000

/** Another process owns the data folder: the message names the folder and the holder. */
export class DataFolderInUseError extends Error {
  constructor(
    readonly dir: string,
    readonly holder: LockHolder | null,
  ) {
    const who = holder
      ? `${describeMode(holder.mode)} (process ${holder.pid} on ${holder.host}, since ${holder.since})`
      : 'another process (it left no record of itself)'
    super(
      `The data folder ${dir} is in use by ${who}. Only one program may use a data folder at a ` +
        'time: stop that one first, or point this one at another folder (IVRS_DATA_DIR). ' +
        'Nothing in the folder was read or changed.',
    )
    this.name = 'DataFolderInUseError'
  }
}

function describeMode(mode: string): string {
  if (mode === 'desktop') return 'the IVR Supervisor desktop app'
  if (mode === 'headless') return 'IVR Supervisor in headless mode'
  return `IVR Supervisor's ${mode}`
}

export interface DataFolderLock {
  readonly dir: string
  readonly holder: LockHolder
  /** The folder's fence: lost once another process takes the folder over (see fence.ts). */
  readonly fence: FolderFence
  /** Releases the folder (idempotent). Exiting the process releases it too, unless it was lost. */
  release(): Promise<void>
}

export interface AcquireOptions {
  mode: string
  /**
   * Called if the lock is taken away while held (its directory removed or refreshed by someone
   * else, e.g. after this process was frozen longer than the stale time). The caller must stop
   * writing.
   */
  onLost?: (err: Error) => void
  /** How old an unrefreshed lock must be to be taken over across hosts (default {@link STALE_MS}). */
  staleMs?: number
  /** Seams for tests. */
  pid?: number
  host?: string
  now?: () => Date
  isAlive?: (holder: LockHolder) => boolean
}

/**
 * Linux's view of a process: its state letter and start time (clock ticks after boot), or null
 * when there is no /proc (another system) or no such process.
 */
function procStat(pid: number): { state: string; started: string } | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'latin1')
    // The command name is in parentheses and may hold anything: the fields follow the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
    return { state: fields[0] ?? '', started: fields[19] ?? '' }
  } catch {
    return null
  }
}

/** This boot's id (Linux), or null. */
function bootId(): string | null {
  try {
    return fs.readFileSync('/proc/sys/kernel/random/boot_id', 'latin1').trim() || null
  } catch {
    return null
  }
}

/**
 * True when a process with this id runs on this host (EPERM: it exists, owned by another user).
 * A zombie (killed, its parent not having collected it yet) or a dying process is gone: it can
 * write nothing more.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  const st = procStat(pid)
  return st === null || (st.state !== 'Z' && st.state !== 'X' && st.state !== 'x')
}

/**
 * True when the holder recorded on this host still runs: its process is alive and is the same
 * process (after a reboot, or once the id is used again, another process may carry the id).
 */
export function holderAlive(holder: LockHolder): boolean {
  if (!processAlive(holder.pid)) return false
  if (holder.boot && holder.started) {
    const boot = bootId()
    if (boot !== null && boot !== holder.boot) return false
    const st = procStat(holder.pid)
    if (st !== null && st.started !== holder.started) return false
  }
  return true
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  )
}

/** The recorded holder of `dir`'s lock, or null when there is none or it cannot be read. */
export async function readHolder(dir: string): Promise<LockHolder | null> {
  try {
    const h = JSON.parse(await readFile(join(dir, HOLDER_NAME), 'utf8')) as LockHolder
    return typeof h.pid === 'number' && typeof h.host === 'string' ? h : null
  } catch {
    return null
  }
}

/**
 * The file system proper-lockfile works the lock with, except that once the folder is lost it
 * never removes the lock: the lock there is the new owner's. proper-lockfile removes every lock it
 * holds at exit (also on SIGINT/SIGTERM) and at release; a process that learnt of the loss from a
 * write's fence check (not from the lock's own timer, which drops the lock from its books) and then
 * exited removed the new owner's lock, and the new owner gave the folder up.
 */
function keepOnceLost(isLost: () => boolean): typeof fs {
  return {
    ...fs,
    rmdir: ((path: fs.PathLike, ...rest: unknown[]) => {
      const done = rest[rest.length - 1] as (err: NodeJS.ErrnoException | null) => void
      if (isLost()) return done(null)
      ;(fs.rmdir as (...a: unknown[]) => void)(path, ...rest)
    }) as typeof fs.rmdir,
    rmdirSync: ((path: fs.PathLike, ...rest: unknown[]) => {
      if (isLost()) return
      ;(fs.rmdirSync as (...a: unknown[]) => void)(path, ...rest)
    }) as typeof fs.rmdirSync,
  }
}

/**
 * Takes the data folder `dir` for this process, before anything in it is read or written.
 *
 * The lock is proper-lockfile's: a directory made with one atomic `mkdir`, kept fresh while held
 * and removed on exit (also on SIGINT/SIGTERM); a lock left by a crash is stale once it has not
 * been refreshed for 30 s. Beside it we record the holder (process id, host, since when), so a
 * second instance can say who holds the folder, and so a lock left by a crashed process on this
 * host is taken over at once (its process is gone) instead of after 30 s. Reading the holder and
 * taking over happen under a short second lock, so two instances starting together after a crash
 * cannot both take over.
 */
export async function acquireDataFolderLock(
  dir: string,
  opts: AcquireOptions,
): Promise<DataFolderLock> {
  const pid = opts.pid ?? process.pid
  const host = opts.host ?? hostname()
  const isAlive = opts.isAlive ?? holderAlive
  const staleMs = opts.staleMs ?? STALE_MS
  await mkdir(dir, { recursive: true })
  const lockPath = join(dir, LOCK_NAME)
  let lost = false
  let fence: FolderFence | null = null
  const lockOpts = {
    lockfilePath: lockPath,
    realpath: false,
    fs: keepOnceLost(() => lost || fence?.lost != null),
    stale: staleMs,
    update: Math.min(10_000, staleMs / 2),
    onCompromised: (err: Error) => {
      lost = true
      // Refreshing the lock found it replaced or gone: the folder is no longer ours. The holder
      // record says who took it, when it was written already.
      let gone: Error = err
      if (fence) {
        try {
          fence.check()
        } catch {
          // Lost now, naming the new holder (or a record that could not be read: lost below).
        }
        gone = fence.lose(`its lock was taken over or removed (${err.message})`)
      }
      opts.onLost?.(gone)
    },
  }
  // Keyed by its own path: proper-lockfile keeps one lock per key, and the folder is the main one's.
  const releaseGuard = await lockfile.lock(join(dir, GUARD_NAME), {
    lockfilePath: join(dir, GUARD_NAME),
    realpath: false,
    stale: 5_000,
    retries: { retries: 40, minTimeout: 50, maxTimeout: 250 },
  })
  let release: () => Promise<void>
  try {
    // A live holder on this host is never taken over, however old its lock's file times look:
    // they are the kernel's, and a frozen or suspended holder (or a shifted clock) makes them old.
    const recorded = await readHolder(dir)
    if (
      recorded !== null &&
      recorded.host === host &&
      isAlive(recorded) &&
      (await exists(lockPath))
    ) {
      throw new DataFolderInUseError(dir, recorded)
    }
    try {
      release = await lockfile.lock(dir, lockOpts)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err
      const holder = await readHolder(dir)
      const crashedHere = holder !== null && holder.host === host && !isAlive(holder)
      if (!crashedHere) throw new DataFolderInUseError(dir, holder)
      // Its process is gone: set its lock aside (one rename) and take the folder.
      const aside = `${lockPath}.stale-${pid}-${Date.now()}`
      await rename(lockPath, aside)
      await rm(aside, { recursive: true, force: true })
      release = await lockfile.lock(dir, lockOpts)
    }
    // The generation goes on from the record left behind (a damaged one counts as none).
    const before = await readHolder(dir)
    const me = pid === process.pid ? procStat(pid) : null
    const boot = me ? bootId() : null
    const holder: LockHolder = {
      pid,
      host,
      since: (opts.now ?? (() => new Date()))().toISOString(),
      mode: opts.mode,
      generation: (before?.generation ?? 0) + 1,
      token: randomBytes(12).toString('hex'),
      ...(me && boot ? { boot, started: me.started } : {}),
    }
    const holderPath = join(dir, HOLDER_NAME)
    try {
      // Not fenced: this record is what the fence of this acquisition will check.
      await writeDurable(holderPath, JSON.stringify(holder), null)
    } catch (err) {
      await release().catch(() => {})
      throw err
    }
    fence = new FolderFence(resolve(dir), holderPath, holder.token!, holder.generation!)
    // A compromise found before the fence existed still counts.
    if (lost) fence.lose('its lock was taken over while it was being taken')
    registerFence(fence)
    const owned = fence
    let released = false
    return {
      dir,
      holder,
      fence: owned,
      async release() {
        if (released) return
        released = true
        unregisterFence(owned)
        // Never in a folder this process lost (by the lock's timer or by a write's fence check):
        // the lock there is the new owner's, and removing it would take the folder from them.
        if (!lost && !owned.lost) await release().catch(() => {})
      },
    }
  } finally {
    await releaseGuard().catch(() => {})
  }
}

/**
 * Takes the data folder for this process (see {@link acquireDataFolderLock}). A folder in use
 * fails with {@link DataFolderInUseError}; any other failure (a read-only folder, say) names the
 * folder.
 */
export async function takeDataFolder(
  dataDir: string,
  mode: string,
  onLost?: (err: Error) => void,
  staleMs?: number,
): Promise<DataFolderLock> {
  try {
    return await acquireDataFolderLock(dataDir, { mode, onLost, staleMs })
  } catch (err) {
    if (err instanceof DataFolderInUseError) throw err
    const code = (err as NodeJS.ErrnoException).code
    throw new Error(
      `Cannot take the data folder ${dataDir}${code ? ` (${code})` : ''}: ${(err as Error).message}`,
      { cause: err },
    )
  }
}
