import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'
import lockfile from 'proper-lockfile'
import { writeFileDurable } from './durableFile'

/** Who holds a data folder, as recorded beside its lock. */
export interface LockHolder {
  pid: number
  host: string
  /** ISO instant the holder took the folder. */
  since: string
  /** What holds it: `desktop`, `headless`, `doctor`, `backup`, `restore`, ... */
  mode: string
}

/** The lock itself (a directory, made atomically by proper-lockfile) and its holder record. */
export const LOCK_NAME = 'ivrs.lock'
export const HOLDER_NAME = 'ivrs.lock.json'
/** Taken only while a lock is being acquired, so that reading the holder and taking over agree. */
const GUARD_NAME = 'ivrs.lock.guard'

/**
 * A lock whose directory has not been refreshed for this long is stale even when its holder
 * cannot be checked (another host): the holder refreshes it every 10 s.
 */
const STALE_MS = 30_000

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
  /** Releases the folder (idempotent). Exiting the process releases it too. */
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
  /** Seams for tests. */
  pid?: number
  host?: string
  now?: () => Date
  isAlive?: (pid: number) => boolean
}

/** True when a process with this id exists on this host (EPERM: it exists, owned by another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
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
  const isAlive = opts.isAlive ?? processAlive
  await mkdir(dir, { recursive: true })
  const lockPath = join(dir, LOCK_NAME)
  let lost = false
  const lockOpts = {
    lockfilePath: lockPath,
    realpath: false,
    stale: STALE_MS,
    update: 10_000,
    onCompromised: (err: Error) => {
      lost = true
      opts.onLost?.(err)
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
      isAlive(recorded.pid) &&
      (await exists(lockPath))
    ) {
      throw new DataFolderInUseError(dir, recorded)
    }
    try {
      release = await lockfile.lock(dir, lockOpts)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err
      const holder = await readHolder(dir)
      const crashedHere = holder !== null && holder.host === host && !isAlive(holder.pid)
      if (!crashedHere) throw new DataFolderInUseError(dir, holder)
      // Its process is gone: set its lock aside (one rename) and take the folder.
      const aside = `${lockPath}.stale-${pid}-${Date.now()}`
      await rename(lockPath, aside)
      await rm(aside, { recursive: true, force: true })
      release = await lockfile.lock(dir, lockOpts)
    }
    const holder: LockHolder = {
      pid,
      host,
      since: (opts.now ?? (() => new Date()))().toISOString(),
      mode: opts.mode,
    }
    try {
      await writeFileDurable(join(dir, HOLDER_NAME), JSON.stringify(holder))
    } catch (err) {
      await release().catch(() => {})
      throw err
    }
    let released = false
    return {
      dir,
      holder,
      async release() {
        if (released) return
        released = true
        if (!lost) await release().catch(() => {})
      },
    }
  } finally {
    await releaseGuard().catch(() => {})
  }
}
