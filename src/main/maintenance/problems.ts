import { readFile } from 'node:fs/promises'
import { isAbsolute, join, relative } from 'node:path'
import type { StorageProblem } from '../../shared/storage'
import type { Clock } from '../ground/clock'
import type { Logger } from '../ground/logger'
import { crc32 } from 'node:zlib'
import { renameOwned, writeFileDurable } from '../dataFolder/durableFile'
import { fenceOf } from '../dataFolder/fence'
import { LOCK_NAME } from '../dataFolder/lock'
import type { StorageProblemReport, StorageReporter } from '../storage/types'

/** Where unacknowledged problems are kept across restarts (inside the data folder). */
export const PROBLEMS_FILE = 'storage-problems.json'

/** The problem a process that lost its data folder tells (it writes nothing more there). */
export function lockLostProblem(dataDir: string, err: Error): StorageProblemReport {
  return {
    id: 'lock-lost',
    kind: 'lock-lost',
    file: join(dataDir, LOCK_NAME),
    summary: err.message,
    advice: 'Keep the program that holds the folder now, or quit both and start one.',
    ongoing: true,
  }
}

/**
 * The storage problems the user has not acknowledged yet: told through health, an event, the
 * Connection screen's banner and the tray, and kept (in `storage-problems.json`, best effort: a
 * disk refusing writes is one of the problems) until the user acknowledges them. The same problem
 * found again updates its entry (count, last seen) instead of adding one.
 */
export class StorageProblems implements StorageReporter {
  private readonly problems = new Map<string, StorageProblem>()
  private readonly changed = new Set<(problem: StorageProblem | null) => void>()
  private saving: Promise<void> = Promise.resolve()

  private constructor(
    private readonly dataDir: string,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  static async open(opts: {
    dataDir: string
    clock: Clock
    logger: Logger
  }): Promise<StorageProblems> {
    const set = new StorageProblems(opts.dataDir, opts.clock, opts.logger)
    let text: string | null = null
    try {
      text = await readFile(join(opts.dataDir, PROBLEMS_FILE), 'utf8')
    } catch {
      // None kept yet.
    }
    if (text !== null) {
      const saved = readSealed(text)
      if (saved) for (const p of saved) set.problems.set(p.id, p)
      else await set.setAsideDamaged()
    }
    return set
  }

  problem(p: StorageProblemReport): void {
    const now = new Date(this.clock.now()).toISOString()
    const known = this.problems.get(p.id)
    const entry: StorageProblem = {
      id: p.id,
      kind: p.kind,
      firstAt: known?.firstAt ?? now,
      lastAt: now,
      count: (known?.count ?? 0) + 1,
      file: this.rel(p.file),
      summary: p.summary,
      advice: p.advice,
      ongoing: p.ongoing ?? false,
      lost: p.lost ?? null,
      keptAt: p.keptAt ? this.rel(p.keptAt) : null,
    }
    // A problem still going on is told once, not once per refused push.
    const news = !known || !known.ongoing || known.summary !== entry.summary
    this.problems.set(p.id, entry)
    if (!news) return
    this.logger.error(`Storage problem: ${entry.summary}`, { file: entry.file, kind: entry.kind })
    this.save()
    this.tell(entry)
  }

  /**
   * Calls `fn` with a problem reported or updated, or null after an acknowledgement or a
   * recovery. Returns the unsubscribe function.
   */
  onChange(fn: (problem: StorageProblem | null) => void): () => void {
    this.changed.add(fn)
    return () => void this.changed.delete(fn)
  }

  private tell(problem: StorageProblem | null): void {
    for (const fn of [...this.changed]) fn(problem)
  }

  recovered(id: string): void {
    const known = this.problems.get(id)
    if (!known?.ongoing) return
    known.ongoing = false
    known.summary += ` It recovered at ${new Date(this.clock.now()).toISOString()}.`
    this.save()
    this.tell(null)
  }

  /** Problems not acknowledged yet, newest first. */
  list(): StorageProblem[] {
    return [...this.problems.values()].sort((a, b) => (a.lastAt < b.lastAt ? 1 : -1))
  }

  /**
   * Acknowledges the problems with these ids (all when none are given). A problem still going on
   * stays: acknowledging cannot make a full disk write.
   */
  acknowledge(ids?: readonly string[]): StorageProblem[] {
    for (const p of [...this.problems.values()])
      if ((!ids || ids.includes(p.id)) && !p.ongoing) this.problems.delete(p.id)
    this.save()
    this.tell(null)
    return this.list()
  }

  /** Resolves once the last change is on disk (or failed to be). */
  flushed(): Promise<void> {
    return this.saving
  }

  private rel(file: string): string {
    return isAbsolute(file) ? relative(this.dataDir, file) || '.' : file
  }

  /**
   * The record of problems was damaged (a changed bit fails its checksum): set aside, and told,
   * since the problems it held (calls lost earlier) are not found again by themselves.
   */
  private async setAsideDamaged(): Promise<void> {
    const path = join(this.dataDir, PROBLEMS_FILE)
    const kept = `${path}.damaged-${this.clock.now()}`
    try {
      await renameOwned(path, kept)
    } catch (err) {
      this.logger.warn('Could not set a damaged problem record aside', { error: String(err) })
      return
    }
    this.problem({
      id: 'document-set-aside:storage-problems',
      kind: 'document-set-aside',
      file: path,
      summary:
        'The record of storage problems not acknowledged yet was damaged and was set aside: the problems it held are no longer listed here.',
      advice:
        'Read them in the file kept aside (each says what was affected and how many calls); a disk that damages files may be failing: make a backup.',
      keptAt: kept,
    })
  }

  private save(): void {
    // A folder this process no longer owns gets no problem record: the new owner's would be
    // overwritten, and a problem of this process is not the folder's.
    if (fenceOf(this.dataDir)?.lost) return
    const text = sealProblems(this.list())
    this.saving = this.saving.then(() =>
      writeFileDurable(join(this.dataDir, PROBLEMS_FILE), text).catch((err: unknown) =>
        this.logger.warn('Could not record a storage problem on disk', { error: String(err) }),
      ),
    )
  }
}

/** The record's text: the problems, and the checksum of their JSON (a changed bit shows). */
function sealProblems(problems: StorageProblem[]): string {
  const json = JSON.stringify(problems)
  return `{"problems":${json},"crc":${crc32(json)}}`
}

/**
 * The problems of a record, or null when it is damaged. A record written before the checksum
 * (no `crc`) is read as it is.
 */
function readSealed(text: string): StorageProblem[] | null {
  let saved: { problems?: unknown; crc?: unknown }
  try {
    saved = JSON.parse(text) as typeof saved
  } catch {
    return null
  }
  if (!Array.isArray(saved.problems)) return null
  if (saved.crc !== undefined && saved.crc !== crc32(JSON.stringify(saved.problems))) return null
  return (saved.problems as StorageProblem[]).filter((p) => p && typeof p.id === 'string')
}
