import type { Settings } from '../../shared/domain'
import type { BackupResult, CheckReport, StorageHealth } from '../../shared/storage'
import { UserError } from '../ground/errors'
import type { Clock } from '../ground/clock'
import type { Logger } from '../ground/logger'
import type { FolderUpkeep } from '../storage/storage'
import { backupDataFolder, defaultBackupDir, listBackups, pruneBackups } from './backup'
import { checkDataFolder } from './check'
import type { StorageProblems } from './problems'

const DAY_MS = 86_400_000

export interface MaintenanceDeps {
  dataDir: string
  /** The data folder's call store; null when the calls are in PostgreSQL (IVRS_DATABASE_URL). */
  store: FolderUpkeep | null
  problems: StorageProblems
  settings: () => Pick<Settings, 'backupDaily' | 'backupKeepDays' | 'backupDir'>
  clock: Clock
  logger: Logger
  /** How often the daily backup is considered (default hourly; the first time 5 minutes after start). */
  tickMs?: number
}

/**
 * The running app's care of its data folder: the check behind Settings → "Check data folder",
 * backups on request, and the automatic daily backup (kept `backupKeepDays` days).
 */
export class MaintenanceService {
  private last: { at: string; path: string } | null = null
  private timer: NodeJS.Timeout | null = null
  private first: NodeJS.Timeout | null = null
  private running: Promise<BackupResult> | null = null
  private readonly backedUp = new Set<() => void>()

  constructor(private readonly d: MaintenanceDeps) {}

  /**
   * Calls `fn` when {@link MaintenanceService.health} changed by a backup made (its
   * `lastBackup`). Returns the unsubscribe function.
   */
  onBackup(fn: () => void): () => void {
    this.backedUp.add(fn)
    return () => void this.backedUp.delete(fn)
  }

  backupDir(): string {
    return this.d.settings().backupDir ?? defaultBackupDir(this.d.dataDir)
  }

  /** Problems not acknowledged and the last backup: the `storage` part of health. */
  health(): StorageHealth {
    const problems = this.d.problems.list()
    return { state: problems.length > 0 ? 'problem' : 'ok', problems, lastBackup: this.last }
  }

  /**
   * Checks the folder while the store holds its checkpoints (month files stay still meanwhile);
   * a damaged month found is then contained at once, as a read of it would.
   */
  async check(): Promise<CheckReport> {
    const store = this.needsFolder()
    const report = await store.holdCheckpoints(() =>
      checkDataFolder(this.d.dataDir, {
        live: true,
        now: () => new Date(this.d.clock.now()),
        backupDir: this.backupDir(),
      }),
    )
    const contained = await store.verifyMonths()
    for (const month of contained)
      report.repaired.push(`month ${month}: set aside and rebuilt (see the storage banner)`)
    return report
  }

  /** A consistent backup now: a checkpoint, then the copy while checkpoints wait. */
  backup(): Promise<BackupResult> {
    this.needsFolder()
    if (!this.running)
      this.running = this.runBackup().finally(() => {
        this.running = null
      })
    return this.running
  }

  /** The folder's store; with PostgreSQL the database's own tools check and back up the calls. */
  private needsFolder(): FolderUpkeep {
    if (this.d.store) return this.d.store
    throw new UserError(
      'The calls are kept in PostgreSQL: check and back up the database with its own tools (pg_dump, pg_amcheck), as the README describes.',
      409,
    )
  }

  private async runBackup(): Promise<BackupResult> {
    const now = new Date(this.d.clock.now())
    const store = this.needsFolder()
    await store.checkpoint().catch(() => {
      // A failed checkpoint is reported on its own; the copy is consistent without it.
    })
    const made = await store
      .holdCheckpoints(() =>
        backupDataFolder({
          dataDir: this.d.dataDir,
          backupDir: this.backupDir(),
          now: () => now,
          calls: store.size(),
        }),
      )
      .catch((err: unknown) => {
        const code = (err as NodeJS.ErrnoException).code
        if (!code) throw err
        throw new UserError(`The backup could not be written to ${this.backupDir()} (${code})`, 503)
      })
    this.last = { at: made.at, path: made.path }
    for (const fn of [...this.backedUp]) fn()
    const pruned = await pruneBackups(this.backupDir(), this.d.settings().backupKeepDays, now)
    this.d.logger.info('Backup made', { path: made.path, files: made.files, pruned: pruned.length })
    return { ...made, pruned }
  }

  /** Starts the daily backup (a first one soon after start when none is a day old). */
  async start(): Promise<void> {
    if (!this.d.store) return
    const newest = (await listBackups(this.backupDir()))[0]
    if (newest) this.last = { at: newest.createdAt, path: newest.path }
    const tick = (): void => {
      if (!this.d.settings().backupDaily) return
      const age = this.last ? this.d.clock.now() - Date.parse(this.last.at) : Infinity
      if (age < DAY_MS) return
      this.backup().catch((err: unknown) =>
        this.d.logger.error('Daily backup failed', { error: String(err) }),
      )
    }
    // Not at once: start-up has enough to read, and a quick restart should not copy everything.
    this.first = setTimeout(tick, Math.min(this.d.tickMs ?? 300_000, 300_000))
    this.first.unref()
    this.timer = setInterval(tick, this.d.tickMs ?? 3_600_000)
    this.timer.unref()
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    if (this.first) clearTimeout(this.first)
    this.timer = null
    await this.running?.catch(() => {})
  }
}
