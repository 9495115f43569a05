import { open, rename, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/**
 * Counts CSV records across chunks: newlines outside quoted fields end a record (a quoted field
 * may hold newlines, and a `""` escape toggles the quote state twice, which nets out).
 */
export class CsvRecordCounter {
  private inQuotes = false
  private pending = false
  records = 0

  push(chunk: string): void {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i)
      if (c === 34 /* " */) this.inQuotes = !this.inQuotes
      if (c === 10 /* \n */ && !this.inQuotes) {
        this.records++
        this.pending = false
      } else if (c !== 13 /* \r */) this.pending = true
    }
  }

  /** Records seen, counting a last one without its trailing newline. */
  total(): number {
    return this.records + (this.pending ? 1 : 0)
  }
}

/**
 * Streams CSV chunks into `path` through a temporary file renamed over it at the end, so a failed
 * export never leaves a half-written file in place of one the user already had.
 * Returns the number of data rows (records minus the header).
 */
export async function writeCsvFile(path: string, chunks: AsyncIterable<string>): Promise<number> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.partial`)
  const counter = new CsvRecordCounter()
  const fh = await open(tmp, 'w')
  try {
    for await (const chunk of chunks) {
      counter.push(chunk)
      await fh.write(chunk)
    }
    await fh.sync()
    await fh.close()
  } catch (err) {
    await fh.close().catch(() => {})
    await unlink(tmp).catch(() => {})
    throw err
  }
  await rename(tmp, path)
  return Math.max(0, counter.total() - 1)
}
