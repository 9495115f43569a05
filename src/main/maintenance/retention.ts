import type { Clock } from '../ground/clock'
import type { Logger } from '../ground/logger'

const DAY_MS = 86_400_000

/** A log whose oldest entries can be removed. */
export interface PrunableLog {
  /** How the log line names it: `activity log`, `vendor audit trail`, `rejected pushes`. */
  name: string
  prune(before: number): Promise<number>
}

/**
 * The retention of the append-only logs (the activity log, the vendor audit trail, the rejected
 * pushes): entries older than `days` are removed once soon after start and then once a day, each
 * log on its own (one failing stops none of the others), with one info line saying what went.
 * `days` 0 keeps everything. Calls are never touched here; backups keep what they copied.
 */
export class LogRetention {
  private timer: NodeJS.Timeout | null = null
  private running: Promise<unknown> | null = null

  constructor(
    private readonly o: {
      days: number
      logs: PrunableLog[]
      clock: Clock
      logger: Logger
      /** How often it runs (default daily). */
      everyMs?: number
    },
  ) {}

  /** Removes what is older than the retention now; answers the entries removed per log. */
  async run(): Promise<Record<string, number>> {
    const removed: Record<string, number> = {}
    if (this.o.days <= 0) return removed
    const before = this.o.clock.now() - this.o.days * DAY_MS
    for (const log of this.o.logs) {
      try {
        removed[log.name] = await log.prune(before)
      } catch (err) {
        this.o.logger.warn('log retention: could not prune', { log: log.name, error: String(err) })
      }
    }
    if (Object.values(removed).some((n) => n > 0))
      this.o.logger.info('log retention: removed entries older than the retention', {
        days: this.o.days,
        before: new Date(before).toISOString(),
        ...removed,
      })
    return removed
  }

  /** The first run in the background right away, then one every day. */
  start(): void {
    if (this.o.days <= 0) return
    const tick = (): void => {
      this.running ??= this.run().finally(() => (this.running = null))
    }
    tick()
    this.timer = setInterval(tick, this.o.everyMs ?? DAY_MS)
    this.timer.unref()
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.running
  }
}
