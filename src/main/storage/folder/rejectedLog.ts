import { mkdir, readdir, readFile, stat } from 'node:fs/promises'
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import type { RejectedPush } from '../../../shared/domain'
import type { Clock } from '../../ground/clock'
import type { RejectedLog } from '../types'
import { Journal, replayJournal, scanJournal, type JournalIo } from './journal'
import { unlinkOwned, writeFileDurable } from '../../dataFolder/durableFile'
import { crc32 } from 'node:zlib'

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
 * memory for `list`; older files stay on disk untouched as the archive, so growth in memory is
 * bounded, until the log retention removes an archived file whose newest entry is older than it
 * keeps (whole files: a file of a quiet year goes when its last entry is old enough). `count`
 * covers every file kept: the entries of archived files are counted once (a line is an entry)
 * and the total is kept in `archived.json`.
 */
export class FileRejectedLog implements RejectedLog {
  private entries: RejectedPush[] = []
  private inCurrent = 0
  /** Entries in files no longer held in memory. */
  private archived = 0
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
    log.archived = await countArchived(opts.dir, seqs.slice(0, -2))
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

  /** Every entry ever logged (archived files included). */
  count(): number {
    return this.archived + this.entries.length
  }

  /**
   * Removes the archived files (never the two in memory) whose newest entry was received before
   * `before` (ms), oldest first, stopping at the first that is not; answers the entries removed.
   */
  async prune(before: number): Promise<number> {
    if (this.rotating) await this.rotating
    const archive = (await readdir(this.opts.dir))
      .map((n) => /^(\d{8})\.jsonl$/.exec(n)?.[1])
      .filter((s): s is string => s !== undefined)
      .map(Number)
      .filter((s) => s < this.seq - 1)
      .sort((a, b) => a - b)
    const known = await readArchiveCount(this.opts.dir)
    let removed = 0
    let removedCounted = 0
    for (const s of archive) {
      const file = fileOf(this.opts.dir, s)
      const data = await readFile(file)
      // Read, never mended: a closed file of the archive is left as it is or removed whole.
      const newest = scanJournal<RejectedPush>(data).records.at(-1)
      // A file none of whose records can be read is as old as its last write: a damaged file
      // received today is kept like any other of today's.
      const at = newest ? Date.parse(newest.receivedAt) : (await stat(file)).mtimeMs
      if (!(at < before)) break
      await unlinkOwned(file)
      removed += newlines(data)
      if (s <= known.upTo) removedCounted += newlines(data)
    }
    if (removed === 0) return 0
    this.archived -= removed
    if (removedCounted > 0)
      await writeArchiveCount(this.opts.dir, known.upTo, known.entries - removedCounted)
    return removed
  }

  async close(): Promise<void> {
    if (this.rotating) await this.rotating
    await this.journal.close()
  }

  private async rotate(): Promise<void> {
    this.seq++
    await this.journal.switchTo(fileOf(this.opts.dir, this.seq))
    // Keep the file just finished in memory; drop the one before it (it stays on disk).
    this.archived += this.entries.length - this.inCurrent
    this.entries = this.entries.slice(-this.inCurrent)
    this.inCurrent = 0
  }
}

function fileOf(dir: string, seq: number): string {
  return join(dir, `${String(seq).padStart(8, '0')}.jsonl`)
}

interface ArchiveCount {
  /** Files with a sequence number up to this one are counted. */
  upTo: number
  entries: number
  /** crc32 of `<upTo>:<entries>`: a changed bit in either means counting again. */
  crc?: number
}

const archiveCrc = (upTo: number, entries: number): number => crc32(`${upTo}:${entries}`)

/**
 * Entries in the archived files `seqs` (closed, never written again, so their count is
 * final). Counts only files newer than the ones `archived.json` already covers, then records the
 * new total there; a missing or unreadable record means counting them all again.
 */
async function countArchived(dir: string, seqs: number[]): Promise<number> {
  const known = await readArchiveCount(dir)
  const fresh = seqs.filter((s) => s > known.upTo)
  if (fresh.length === 0) return known.entries
  let entries = known.entries
  for (const s of fresh) entries += newlines(await readFile(fileOf(dir, s)))
  await writeArchiveCount(dir, fresh.at(-1)!, entries)
  return entries
}

const ARCHIVE_COUNT = 'archived.json'

/**
 * What `archived.json` says; a missing, unreadable or changed one (its checksum does not match)
 * means counting them all again.
 */
async function readArchiveCount(dir: string): Promise<ArchiveCount> {
  try {
    const v = JSON.parse(await readFile(join(dir, ARCHIVE_COUNT), 'utf8')) as ArchiveCount
    if (
      Number.isInteger(v.upTo) &&
      Number.isInteger(v.entries) &&
      v.crc === archiveCrc(v.upTo, v.entries)
    )
      return v
  } catch {
    // Count from scratch.
  }
  return { upTo: 0, entries: 0 }
}

function writeArchiveCount(dir: string, upTo: number, entries: number): Promise<void> {
  return writeFileDurable(
    join(dir, ARCHIVE_COUNT),
    JSON.stringify({ upTo, entries, crc: archiveCrc(upTo, entries) }),
  )
}

/** Lines of a journal file: its entries, as the archive counts them. */
function newlines(data: Buffer): number {
  let n = 0
  for (let at = data.indexOf(10); at >= 0; at = data.indexOf(10, at + 1)) n++
  return n
}
