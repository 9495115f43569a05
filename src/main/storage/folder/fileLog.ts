import { mkdir, open, readFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { writeFileDurable } from '../../dataFolder/durableFile'
import { checkOwner } from '../../dataFolder/fence'
import type { AppendLog } from '../logs'

/**
 * An append-only log as a file of JSON Lines, fsync'd per entry: the vendor audit trail, say. The outbox
 * document keeps recent history for the UI and is pruned early; this file keeps every request,
 * every attempt and every vendor answer until the log retention (`IVRS_LOG_RETENTION_DAYS`)
 * removes the oldest. (The core's log of every change a person made is kept the same way, with
 * its own entries.)
 */
export class FileLog<E> implements AppendLog<E> {
  private chain: Promise<void> = Promise.resolve()
  /** Whether the file's end was checked for a line torn by a crash (once per process). */
  private tailChecked = false

  constructor(private readonly path: string) {}

  /** Appends one entry durably; entries are written in call order. */
  append(entry: E): Promise<void> {
    return this.appendAll([entry])
  }

  /** Appends the entries with one write and one fsync, in turn with the other appends. */
  appendAll(entries: readonly E[]): Promise<void> {
    return this.serial(async () => {
      if (entries.length === 0) return
      // Nothing more is written into a data folder this process lost.
      checkOwner(this.path)
      await mkdir(dirname(this.path), { recursive: true })
      const fh = await open(this.path, 'a+', 0o600)
      try {
        let text = entries.map((e) => JSON.stringify(e) + '\n').join('')
        if (!this.tailChecked) {
          // A line torn by a crash mid-append is ended first: written straight after it, the
          // first entry of this process would join it and be skipped by `read` with it.
          const { size } = await fh.stat()
          const last = Buffer.alloc(1)
          if (size > 0) await fh.read(last, 0, 1, size - 1)
          if (size > 0 && last[0] !== 0x0a) text = '\n' + text
          this.tailChecked = true
        }
        await fh.appendFile(text)
        await fh.sync()
      } finally {
        await fh.close()
      }
    })
  }

  /**
   * Rewrites the file without the entries from before `before` (whole, by a durable rename, in
   * turn with the appends, so none is lost); a line that does not parse is kept.
   */
  prune(before: number): Promise<number> {
    return this.serial(async () => {
      let text: string
      try {
        text = await readFile(this.path, 'utf8')
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0
        throw err
      }
      const lines = text.split('\n')
      // A last line without its newline was cut by a crash: it goes with the rewrite.
      lines.pop()
      const kept = lines.filter((line) => {
        try {
          return !(Date.parse((JSON.parse(line) as { at: string }).at) < before)
        } catch {
          return line !== ''
        }
      })
      const removed = lines.length - kept.length
      if (removed > 0) await writeFileDurable(this.path, kept.map((line) => line + '\n').join(''))
      return removed
    })
  }

  private serial<R>(run: () => Promise<R>): Promise<R> {
    const next = this.chain.then(run, run)
    this.chain = next.then(
      () => {},
      () => {},
    )
    return next
  }

  /** Every entry, oldest first (a torn last line from a crash is skipped). */
  async read(): Promise<E[]> {
    let text: string
    try {
      text = await readFile(this.path, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw err
    }
    const out: E[] = []
    for (const line of text.split('\n')) {
      if (!line) continue
      try {
        out.push(JSON.parse(line) as E)
      } catch {
        // A line cut by a crash mid-append; everything before it is intact.
      }
    }
    return out
  }
}
