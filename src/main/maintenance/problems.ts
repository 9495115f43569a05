import { readFile } from 'node:fs/promises'
import { isAbsolute, join, relative } from 'node:path'
import type { StorageProblem } from '../../shared/storage'
import type { Clock } from '../ground/clock'
import type { Logger } from '../ground/logger'
import { writeFileDurable } from '../storage/durableFile'
import { fenceOf } from '../storage/fence'
import type { StorageProblemReport, StorageReporter } from '../storage/types'

/** Where unacknowledged problems are kept across restarts (inside the data folder). */
export const PROBLEMS_FILE = 'storage-problems.json'

/**
 * The storage problems the user has not acknowledged yet: told through health, an event, the
 * Connection screen's banner and the tray, and kept (in `storage-problems.json`, best effort: a
 * disk refusing writes is one of the problems) until the user acknowledges them. The same problem
 * found again updates its entry (count, last seen) instead of adding one.
 */
export class StorageProblems implements StorageReporter {
  private readonly problems = new Map<string, StorageProblem>()
  private saving: Promise<void> = Promise.resolve()

  private constructor(
    private readonly dataDir: string,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly onChange: (problem: StorageProblem | null) => void,
  ) {}

  static async open(opts: {
    dataDir: string
    clock: Clock
    logger: Logger
    /** Called with a problem reported or updated, or null after an acknowledgement/recovery. */
    onChange?: (problem: StorageProblem | null) => void
  }): Promise<StorageProblems> {
    const set = new StorageProblems(
      opts.dataDir,
      opts.clock,
      opts.logger,
      opts.onChange ?? (() => {}),
    )
    try {
      const saved = JSON.parse(await readFile(join(opts.dataDir, PROBLEMS_FILE), 'utf8')) as {
        problems?: StorageProblem[]
      }
      for (const p of saved.problems ?? [])
        if (p && typeof p.id === 'string') set.problems.set(p.id, p)
    } catch {
      // None kept, or the record itself unreadable: start empty (the damage is found again).
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
    this.onChange(entry)
  }

  recovered(id: string): void {
    const known = this.problems.get(id)
    if (!known?.ongoing) return
    known.ongoing = false
    known.summary += ` It recovered at ${new Date(this.clock.now()).toISOString()}.`
    this.save()
    this.onChange(null)
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
    this.onChange(null)
    return this.list()
  }

  /** Resolves once the last change is on disk (or failed to be). */
  flushed(): Promise<void> {
    return this.saving
  }

  private rel(file: string): string {
    return isAbsolute(file) ? relative(this.dataDir, file) || '.' : file
  }

  private save(): void {
    // A folder this process no longer owns gets no problem record: the new owner's would be
    // overwritten, and a problem of this process is not the folder's.
    if (fenceOf(this.dataDir)?.lost) return
    const text = JSON.stringify({ problems: this.list() })
    this.saving = this.saving.then(() =>
      writeFileDurable(join(this.dataDir, PROBLEMS_FILE), text).catch((err: unknown) =>
        this.logger.warn('Could not record a storage problem on disk', { error: String(err) }),
      ),
    )
  }
}
