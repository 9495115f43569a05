import { closeSync, openSync, readSync } from 'node:fs'
import { resolve, sep } from 'node:path'

/**
 * This process no longer owns the data folder: another one took it over (it was frozen, suspended
 * or its lock went stale on a network share). Every write into the folder is refused from then on.
 */
export class FolderLostError extends Error {
  readonly code = 'EFOLDERLOST'
  constructor(
    readonly dir: string,
    readonly why: string,
  ) {
    super(
      `This program no longer owns the data folder ${dir}: ${why}. It stopped writing to the ` +
        'folder at once, so that two programs never write one folder; the one that holds it now ' +
        'keeps every call.',
    )
    this.name = 'FolderLostError'
  }
}

/** The most of a holder record read to compare it (it is a few hundred bytes). */
const MAX_HOLDER_BYTES = 4096

/** The text of a small file, or null when it does not exist; other errors are thrown. */
function readSmall(path: string): string | null {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
  try {
    const buf = Buffer.allocUnsafe(MAX_HOLDER_BYTES)
    const n = readSync(fd, buf, 0, MAX_HOLDER_BYTES, 0)
    return buf.toString('utf8', 0, n)
  } finally {
    closeSync(fd)
  }
}

/**
 * The fence of a data folder this process owns: its owner generation and token, as recorded in
 * the holder record beside the lock. A takeover writes a new record (the next generation, a new
 * token), so {@link check} tells at once whether the folder is still ours.
 *
 * Every write that replaces or removes a file of the folder calls it right before it commits
 * (the rename of a durable write, an unlink, a rename aside), and the journal after each fsync
 * before it acknowledges anything: a process that was frozen while another took the folder over
 * finds out before its first write, not after. It reads the record with a plain open and read
 * (about 8 µs), which on a network share also asks the server again (close-to-open), where a
 * cached `stat` could still show the old file.
 */
export class FolderFence {
  private lostError: FolderLostError | null = null
  private readonly listeners = new Set<(err: FolderLostError) => void>()

  constructor(
    /** The data folder, resolved. */
    readonly dir: string,
    private readonly holderPath: string,
    /** Random per acquisition: what tells this holder's record from any other. */
    private readonly token: string,
    /** The owner generation this process holds (one more than the holder before it). */
    readonly generation: number,
  ) {}

  /** Why this process lost the folder, or null while it owns it. */
  get lost(): FolderLostError | null {
    return this.lostError
  }

  /**
   * Throws {@link FolderLostError} when this process no longer owns the folder (and marks it lost:
   * every later check throws at once). An error reading the record (EIO, EMFILE) is thrown as it
   * is: that write fails, the folder is not given up over it.
   */
  check(): void {
    if (this.lostError) throw this.lostError
    const text = readSmall(this.holderPath)
    if (text !== null && text.includes(`"token":"${this.token}"`)) return
    throw this.lose(text === null ? 'its holder record was removed' : describeTaker(text))
  }

  /** Marks the folder lost (once) and tells every listener; returns the error writes now get. */
  lose(why: string): FolderLostError {
    if (this.lostError) return this.lostError
    this.lostError = new FolderLostError(this.dir, why)
    for (const fn of this.listeners) {
      try {
        fn(this.lostError)
      } catch {
        // A listener's failure must not keep the others from stopping their writes.
      }
    }
    return this.lostError
  }

  /** Calls `fn` once when the folder is lost (at once if it already is); returns the unsubscribe. */
  onLost(fn: (err: FolderLostError) => void): () => void {
    if (this.lostError) fn(this.lostError)
    else this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }
}

/** Who holds the folder now, from its holder record's text, in words. */
function describeTaker(text: string): string {
  try {
    const h = JSON.parse(text) as { pid?: number; host?: string; generation?: number }
    if (typeof h.pid === 'number')
      return `process ${h.pid} on ${h.host ?? 'an unknown host'} took it over (owner generation ${h.generation ?? '?'})`
  } catch {
    // A record being replaced or damaged: not ours either way.
  }
  return 'its holder record names another owner'
}

/**
 * The folders this process owns, by resolved path. The lock registers a folder's fence when it
 * takes it and removes it when it releases it, and the durable-file primitives (durableFile.ts,
 * the journal) look the fence of the file they write up here: so every writer into an owned
 * folder is fenced, the ones written later included, without each service carrying the fence.
 * The ownership of a folder is a fact about the process, like the lock itself (proper-lockfile
 * keeps its locks per process too).
 */
const owned = new Map<string, FolderFence>()

export function registerFence(fence: FolderFence): void {
  owned.set(fence.dir, fence)
}

export function unregisterFence(fence: FolderFence): void {
  if (owned.get(fence.dir) === fence) owned.delete(fence.dir)
}

/** The fence of the owned folder `path` lies in, or null (a folder nobody took: tests, tools). */
export function fenceOf(path: string): FolderFence | null {
  if (owned.size === 0) return null
  const p = resolve(path)
  let best: FolderFence | null = null
  for (const [dir, fence] of owned)
    if ((p === dir || p.startsWith(dir + sep)) && (!best || dir.length > best.dir.length))
      best = fence
  return best
}

/** Throws when `path` lies in a folder this process owned and has lost (see {@link FolderFence.check}). */
export function checkOwner(path: string): void {
  fenceOf(path)?.check()
}
