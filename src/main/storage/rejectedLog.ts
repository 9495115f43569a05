import { mkdir, readdir } from 'node:fs/promises'
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import type { RejectedPush } from '../../shared/domain'
import type { Clock } from '../core/types'
import type { RejectedLog } from './types'
import { Journal, replayJournal, type JournalIo } from './journal'

export interface FileRejectedLogOptions {
  /** Directory owned by the log (created if missing). */
  dir: string
  clock: Clock
  /** Entries per file; when a file is full the log moves to a new one. Default 5,000. */
  entriesPerFile?: number
  journalIo?: JournalIo
}

/**
 * The rejected-pushes log: one journal file (group commit, fsync'd before `append` resolves) per
 * `entriesPerFile` entries, named `NNNNNNNN.jsonl`. The current and the previous file are kept in
 * memory for `list`/`count`; older files stay on disk untouched as the archive, so growth in
 * memory is bounded and nothing the vendor sent is ever deleted.
 */
export class FileRejectedLog implements RejectedLog {
  private entries: RejectedPush[] = []
  private inCurrent = 0
  private rotating: Promise<void> | null = null

  private constructor(
    private readonly opts: FileRejectedLogOptions,
    private journal: Journal,
    private seq: number,
  ) {}

  static async open(opts: FileRejectedLogOptions): Promise<FileRejectedLog> {
    await mkdir(opts.dir, { recursive: true })
    const seqs = (await readdir(opts.dir))
      .map((n) => /^(\d{8})\.jsonl$/.exec(n)?.[1])
      .filter((s): s is string => s !== undefined)
      .map(Number)
      .sort((a, b) => a - b)
    const seq = seqs.at(-1) ?? 1
    const entries: RejectedPush[] = []
    let inCurrent = 0
    for (const s of seqs.slice(-2)) {
      const { records } = await replayJournal<RejectedPush>(fileOf(opts.dir, s), opts.clock.now())
      entries.push(...records)
      if (s === seq) inCurrent = records.length
    }
    const log = new FileRejectedLog(
      opts,
      await Journal.open(fileOf(opts.dir, seq), opts.journalIo),
      seq,
    )
    log.entries = entries
    log.inCurrent = inCurrent
    return log
  }

  /** Stores the rejected push durably (fsync'd) and returns it with its new id. */
  async append(entry: Omit<RejectedPush, 'id'>): Promise<RejectedPush> {
    if (this.rotating) await this.rotating
    const stored: RejectedPush = { id: randomUUID(), ...entry }
    await this.journal.append(stored)
    this.entries.push(stored)
    this.inCurrent++
    if (this.inCurrent >= (this.opts.entriesPerFile ?? 5000) && !this.rotating) {
      this.rotating = this.rotate().finally(() => (this.rotating = null))
    }
    return stored
  }

  /** Newest first, at most `limit` (default 100). */
  async list(limit = 100): Promise<RejectedPush[]> {
    const n = Math.max(0, Math.floor(limit))
    return this.entries.slice(Math.max(0, this.entries.length - n)).reverse()
  }

  /** Entries in the current and previous file (older ones are archived on disk). */
  count(): number {
    return this.entries.length
  }

  async close(): Promise<void> {
    if (this.rotating) await this.rotating
    await this.journal.close()
  }

  private async rotate(): Promise<void> {
    this.seq++
    await this.journal.switchTo(fileOf(this.opts.dir, this.seq))
    // Keep the file just finished in memory; drop the one before it (it stays on disk).
    this.entries = this.entries.slice(-this.inCurrent)
    this.inCurrent = 0
  }
}

function fileOf(dir: string, seq: number): string {
  return join(dir, `${String(seq).padStart(8, '0')}.jsonl`)
}
