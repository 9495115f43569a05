/**
 * What an operator watches (`GET /metrics`, Prometheus text format): the pushes by their answer,
 * how long each took to commit, the last push, the outbox's backlog, the event-stream clients,
 * the storage problems, whether the server can take pushes, its version, and the process's own
 * figures (prom-client's defaults). Its own registry, never prom-client's global one, so every
 * core (and every test) counts alone.
 */
import { performance } from 'node:perf_hooks'
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { StorageProblem } from '../../shared/storage'
import type { Logger } from '../ground/logger'

/** How a push was answered: stored, refused as invalid (kept in the rejected log), or 503. */
export type PushResult = 'accepted' | 'rejected' | 'refused'

/** The listener's side: each push answered, and how long an accepted one took to commit. */
export interface PushMeter {
  pushed(result: PushResult, commitSeconds?: number): void
}

/** What the figures are read from when they are asked for. */
export interface MetricSources {
  lastPushAt(): string | null
  outboxPending(): number
  storageProblems(): StorageProblem[]
  ready(): Promise<boolean>
  version: string
}

/** Push counts are logged this often (one info line, only when there were pushes). */
export const PUSH_SUMMARY_EVERY_MS = 60_000

export class CoreMetrics implements PushMeter {
  readonly registry = new Registry()
  private readonly pushes: Counter<'result'>
  private readonly commit: Histogram
  private eventClients: () => number = () => 0
  private defaults = false
  private readonly lastSummary: Record<PushResult, number> = {
    accepted: 0,
    rejected: 0,
    refused: 0,
  }
  private readonly counted: Record<PushResult, number> = { accepted: 0, rejected: 0, refused: 0 }
  private summaryTimer: NodeJS.Timeout | null = null
  private summaryAt = performance.now()

  constructor(
    private readonly sources: MetricSources,
    private readonly logger: Logger,
  ) {
    const registers = [this.registry]
    this.pushes = new Counter({
      name: 'ivrs_pushes_total',
      help: 'Call-log pushes answered: accepted (stored), rejected (Invalid Data, kept in the rejected log), refused (503 Failure: storage could not take it; the vendor retries).',
      labelNames: ['result'],
      registers,
    })
    for (const result of ['accepted', 'rejected', 'refused'] as const)
      this.pushes.labels(result).inc(0)
    this.commit = new Histogram({
      name: 'ivrs_push_commit_seconds',
      help: 'Time from a valid push read to its call durably stored (fsync or COMMIT), answered Accepted.',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    })
    // collect() is called with the metric as `this`.
    const eventClients = (): number => this.eventClients()
    new Gauge({
      name: 'ivrs_last_push_timestamp_seconds',
      help: 'When the last call was accepted (Unix time); 0 before the first.',
      registers,
      collect() {
        const at = sources.lastPushAt()
        this.set(at ? Date.parse(at) / 1000 : 0)
      },
    })
    new Gauge({
      name: 'ivrs_outbox_pending_changes',
      help: 'Changes for the vendor (agents, holidays, office hours) queued and not yet confirmed.',
      registers,
      collect() {
        this.set(sources.outboxPending())
      },
    })
    new Gauge({
      name: 'ivrs_event_stream_clients',
      help: 'Open event streams (browsers and desktop apps watching live).',
      registers,
      collect() {
        this.set(eventClients())
      },
    })
    new Gauge({
      name: 'ivrs_storage_problems',
      help: 'Storage problems not acknowledged yet, by kind; ongoing=true while it still happens (disk refusing writes, database unreachable).',
      labelNames: ['kind', 'ongoing'],
      registers,
      collect() {
        this.reset()
        for (const p of sources.storageProblems()) this.labels(p.kind, String(p.ongoing)).inc(1)
      },
    })
    new Gauge({
      name: 'ivrs_ready',
      help: '1 when the server can take pushes (its listener listens, its storage or database takes writes), as GET /readyz answers.',
      registers,
      async collect() {
        this.set((await sources.ready()) ? 1 : 0)
      },
    })
    new Gauge({
      name: 'ivrs_build_info',
      help: 'The running version, as a label; always 1.',
      labelNames: ['version'],
      registers,
    })
      .labels(sources.version)
      .set(1)
  }

  pushed(result: PushResult, commitSeconds?: number): void {
    this.pushes.labels(result).inc()
    this.counted[result]++
    if (commitSeconds !== undefined) this.commit.observe(commitSeconds)
  }

  /** Where the event-stream clients are counted (the API's hub, once it exists). */
  countEventClients(count: () => number): void {
    this.eventClients = count
  }

  /** Adds the process's own figures (CPU, memory, event-loop lag, …) once. */
  withProcessMetrics(): this {
    if (!this.defaults) collectDefaultMetrics({ register: this.registry })
    this.defaults = true
    return this
  }

  get contentType(): string {
    return this.registry.contentType
  }

  text(): Promise<string> {
    return this.registry.metrics()
  }

  /**
   * Logs the pushes of each minute that had any (`pushes`, info), so a log shows the server at
   * work without a line per push (that is `IVRS_LOG_LEVEL=debug`).
   */
  startSummary(everyMs = PUSH_SUMMARY_EVERY_MS): void {
    this.summaryTimer = setInterval(() => this.summarise(), everyMs)
    this.summaryTimer.unref()
  }

  stop(): void {
    if (this.summaryTimer) clearInterval(this.summaryTimer)
    this.summaryTimer = null
    this.summarise()
  }

  private summarise(): void {
    const delta = {} as Record<PushResult, number>
    let any = false
    for (const k of ['accepted', 'rejected', 'refused'] as const) {
      delta[k] = this.counted[k] - this.lastSummary[k]
      this.lastSummary[k] = this.counted[k]
      if (delta[k] > 0) any = true
    }
    const seconds = Math.round((performance.now() - this.summaryAt) / 1000)
    this.summaryAt = performance.now()
    if (any) this.logger.info('pushes', { ...delta, seconds })
  }
}
