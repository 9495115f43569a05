import { mkdir, open, readFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { Change, ChangeAttempt } from '../../shared/domain'
import { checkOwner } from '../storage/fence'

/** One line of the audit log: what happened to which change, when, and who asked. */
export type AuditEntry =
  | { type: 'requested'; at: string; change: Change }
  | { type: 'attempt'; at: string; changeId: string; attempt: ChangeAttempt }
  | { type: 'settled'; at: string; changeId: string; state: Change['state']; answer: string | null }

/** Where an audit trail is kept: a file, or a database table (several instances). */
export interface AuditStore<E = AuditEntry> {
  append(entry: E): Promise<void>
  read(): Promise<E[]>
}

/**
 * The complete, append-only audit trail of vendor changes (JSON Lines, fsync'd per entry).
 * The outbox document keeps recent history for the UI and is pruned; this file never is, so
 * every request, every attempt and every vendor answer stays on record. (The core's log of
 * every change a person made is kept the same way, with its own entries.)
 */
export class AuditLog<E = AuditEntry> implements AuditStore<E> {
  private chain: Promise<void> = Promise.resolve()

  constructor(private readonly path: string) {}

  /** Appends one entry durably; entries are written in call order. */
  append(entry: E): Promise<void> {
    const run = async (): Promise<void> => {
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
    }
    const next = this.chain.then(run, run)
    this.chain = next.catch(() => {})
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
