import { open, rename, mkdir, readFile, unlink } from 'node:fs/promises'
import { dirname, basename, join } from 'node:path'
import type { Adapter } from 'lowdb'

/**
 * Writes `data` to `path` so that after a crash the file holds either the old or the new content,
 * never a torn mix, and the new content survives power loss once this resolves:
 * write a temp file, fsync it, rename it over the target, fsync the directory.
 * (lowdb's own writer renames but never fsyncs.)
 */
export async function writeFileDurable(path: string, data: string | Uint8Array): Promise<void> {
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
  await rename(tmp, path)
  await fsyncDir(dir)
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
