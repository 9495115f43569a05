import { open, rename, mkdir, readFile, unlink } from 'node:fs/promises'
import { dirname, basename, join } from 'node:path'
import type { Adapter } from 'lowdb'
import { checkOwner, fenceOf, type FolderFence } from './fence'

/**
 * Writes `data` to `path` so that after a crash the file holds either the old or the new content,
 * never a torn mix, and the new content survives power loss once this resolves:
 * write a temp file, fsync it, rename it over the target, fsync the directory.
 * (lowdb's own writer renames but never fsyncs.)
 *
 * In a data folder this process owns, ownership is checked first and again right before the
 * rename that replaces the file (see fence.ts): a process that lost the folder replaces nothing.
 */
export function writeFileDurable(path: string, data: string | Uint8Array): Promise<void> {
  return writeDurable(path, data, fenceOf(path))
}

/**
 * {@link writeFileDurable} checked against `fence` (null: not fenced, for the lock's own holder
 * record, written while the folder is being taken).
 */
export async function writeDurable(
  path: string,
  data: string | Uint8Array,
  fence: FolderFence | null,
): Promise<void> {
  fence?.check()
  const dir = dirname(path)
  await mkdir(dir, { recursive: true })
  const tmp = join(
    dir,
    `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`,
  )
  const fh = await open(tmp, 'w', 0o600)
  try {
    await fh.writeFile(data)
    await fh.sync()
  } catch (err) {
    await fh.close().catch(() => {})
    await unlink(tmp).catch(() => {})
    throw err
  }
  await fh.close()
  try {
    fence?.check()
  } catch (err) {
    await unlink(tmp).catch(() => {})
    throw err
  }
  await rename(tmp, path)
  await fsyncDir(dir)
}

/** Renames a file of the data folder (a damaged file set aside), once ownership is checked. */
export async function renameOwned(from: string, to: string): Promise<void> {
  checkOwner(from)
  await rename(from, to)
}

/** Removes a file of the data folder (a retired journal), once ownership is checked. */
export async function unlinkOwned(path: string): Promise<void> {
  checkOwner(path)
  await unlink(path)
}

/** fsync a directory so a rename or a new file in it is durable. Not supported on Windows. */
export async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return
  const dh = await open(dir, 'r')
  try {
    await dh.sync()
  } finally {
    await dh.close()
  }
}

/** A lowdb adapter that reads JSON and writes it with {@link writeFileDurable}. */
export class DurableJSONFile<T> implements Adapter<T> {
  constructor(private readonly path: string) {}

  async read(): Promise<T | null> {
    let text: string
    try {
      text = await readFile(this.path, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw err
    }
    try {
      return JSON.parse(text) as T
    } catch (err) {
      // Start-up errors name the file they are about (the parser's message alone does not).
      throw new Error(`${this.path} is not valid JSON: ${(err as Error).message}`, { cause: err })
    }
  }

  async write(data: T): Promise<void> {
    await writeFileDurable(this.path, JSON.stringify(data))
  }
}
