import { mkdir, open, readFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { writeFileDurable } from '../dataFolder/durableFile'
import type { Change, ChangeAttempt } from '../../shared/domain'
import { checkOwner } from '../dataFolder/fence'

/** One line of the audit log: what happened to which change, when, and who asked. */
export type AuditEntry =
  | { type: 'requested'; at: string; change: Change }
  | { type: 'attempt'; at: string; changeId: string; attempt: ChangeAttempt }
  | { type: 'settled'; at: string; changeId: string; state: Change['state']; answer: string | null }

/** Where an audit trail is kept: a file, or a database table (several instances). */
export interface AuditStore<E = AuditEntry> {
  append(entry: E): Promise<void>
  read(): Promise<E[]>
  /** Removes the entries whose `at` is before `before` (ms); answers how many went. */
  prune(before: number): Promise<number>
}

/**
 * The append-only audit trail of vendor changes (JSON Lines, fsync'd per entry). The outbox
 * document keeps recent history for the UI and is pruned early; this file keeps every request,
 * every attempt and every vendor answer until the log retention (`IVRS_LOG_RETENTION_DAYS`)
 * removes the oldest. (The core's log of every change a person made is kept the same way, with
 * its own entries.)
 */
export class AuditLog<E extends { at: string } = AuditEntry> implements AuditStore<E> {
  private chain: Promise<void> = Promise.resolve()

  constructor(private readonly path: string) {}

  /** Appends one entry durably; entries are written in call order. */
  append(entry: E): Promise<void> {
    return this.serial(async () => {
      // Nothing more is written into a data folder this process lost.
      checkOwner(this.path)
      await mkdir(dirname(this.path), { recursive: true })
      const fh = await open(this.path, 'a', 0o600)
      try {
        await fh.appendFile(JSON.stringify(entry) + '\n')
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
