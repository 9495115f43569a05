import { performance } from 'node:perf_hooks'

/**
 * Runs `fn` at most once every `everyMs`, for work that only needs the newest state (publishing a
 * summary, saving a document): a request runs it at once when the last run is at least that long
 * ago, otherwise once when the interval is over, and requests meanwhile add nothing. A burst of
 * pushes then costs a few runs a second, not one per push. Time is measured on the monotonic
 * clock: an injected clock may be a test's fixed instant.
 */
export class Throttle {
  private lastAt = -Infinity
  private timer: NodeJS.Timeout | null = null

  constructor(
    private readonly fn: () => void,
    private readonly everyMs: number,
  ) {}

  /** Asks for a run: now, or at the end of the current interval. */
  request(): void {
    if (this.timer) return
    const wait = this.lastAt + this.everyMs - performance.now()
    if (wait <= 0) return this.run()
    this.timer = setTimeout(() => this.run(), wait)
    this.timer.unref()
  }

  /** Runs now (a pending run is folded into this one). */
  now(): void {
    this.run()
  }

  /** Whether a run is waiting for the end of the interval. */
  get pending(): boolean {
    return this.timer !== null
  }

  /** Drops a pending run. */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }

  private run(): void {
    this.cancel()
    this.lastAt = performance.now()
    this.fn()
  }
}
