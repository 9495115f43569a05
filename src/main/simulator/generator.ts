import { DateTime } from 'luxon'
import { Agent, request, type Dispatcher } from 'undici'
import type { CallStatus } from '../../shared/domain'
import { systemClock, type Clock } from '../ground/clock'
import { silentLogger, type Logger } from '../ground/logger'
import {
  AWKWARD_KINDS,
  applyAwkward,
  awkwardApplies,
  standardParams,
  type AwkwardKind,
  type Params,
  type SimulatedCall,
} from './awkward'
import { SIMULATED_CIRCLES, SIMULATED_DEPARTMENTS, SIMULATED_VIRTUAL_NUMBER } from './roster'
import type { SimulatorState } from './state'

/** Timer functions, injectable so tests drive the schedule by hand. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
}

/** What the generator needs from the simulator: its state and its recording links. */
export interface SimulatorView {
  readonly model: Pick<SimulatorState, 'closedReason' | 'availableAgents'>
  recordingUrl(callId: string): string
}

export interface CallGeneratorOptions {
  /**
   * The listener URL the vendor was given (the query string is appended); null when the app has
   * no listener of its own, and then the generator sends nothing.
   */
  target: string | null
  simulator: SimulatorView
  /** IANA zone the IVR runs in (date, time, holidays, office hours). */
  timezone: string
  /** Mean calls per minute; arrivals are random (Poisson-like). 0 sends nothing on its own. */
  callsPerMinute: number
  /** Share (0..1) of pushes that use one of the awkward inputs. Default 0. */
  awkwardShare?: number
  /** Share (0..1) of routable callers that hang up in the IVR (DROPPED). Default 0.15. */
  droppedShare?: number
  /** Share (0..1) of calls from someone who called recently. Default 0.35. */
  repeatShare?: number
  random?: () => number
  clock?: Clock
  timers?: Timers
  logger?: Logger
  /** undici dispatcher to push with; the generator makes (and closes) its own when absent. */
  dispatcher?: Dispatcher
  /** Connect/headers/body timeout of each push (ms). Default 10 000. */
  timeoutMs?: number
}

/** Forces parts of the next call, for deterministic tests and demos. */
export interface PushOverrides {
  callerNumber?: string
  department?: string
  /** Start instant (ms); default now. */
  at?: number
  /** Force an awkward shape, or `null` for a clean push. Default: random by `awkwardShare`. */
  awkward?: AwkwardKind | null
  /** Force the caller to hang up in the IVR (true) or stay (false), when the call is routable. */
  hangUp?: boolean
}

/** One push as sent. */
export interface SentPush {
  call: SimulatedCall
  params: Params
  awkward: AwkwardKind | null
  /** The URL the request went to. */
  url: string
}

export interface PushResult {
  push: SentPush
  outcome: 'accepted' | 'refused' | 'failed'
  httpStatus: number | null
  /** The listener's answer (first 500 characters), or the network error. */
  detail: string
}

export interface GeneratorStats {
  sent: number
  accepted: number
  /** Answered by the listener, but not with an acceptance (e.g. `Invalid Data`). */
  refused: number
  /** No answer: network error or timeout. */
  failed: number
  duplicates: number
  awkward: number
  byStatus: Record<CallStatus, number>
}

const RECENT_CALLERS = 60
const BODY_CAP = 500

/**
 * Makes simulated calls and pushes them to the listener as real HTTP GETs in the document's
 * sample format. Each call obeys the simulator's state at its start instant: holiday or outside
 * office hours → MISSED; no AVAIL agent in the department → MISSED; otherwise DROPPED (the caller
 * hung up in the IVR) or ANSWER by a random AVAIL agent. Time is compressed: a call starts at the
 * instant it is pushed, so the feed shows current times. A failed push is logged and counted,
 * never thrown, and the schedule keeps going.
 */
export class CallGenerator {
  private readonly opts: CallGeneratorOptions
  private readonly random: () => number
  private readonly clock: Clock
  private readonly timers: Timers
  private readonly logger: Logger
  private readonly dispatcher: Dispatcher
  private readonly ownDispatcher: boolean
  private readonly recent: string[] = []
  private readonly recentMissed: string[] = []
  private last: SentPush | null = null
  private rate: number
  private timer: unknown = null
  private running = false
  private dispatcherClosed = false
  private readonly inFlight = new Set<Promise<PushResult>>()
  private readonly counts: GeneratorStats = {
    sent: 0,
    accepted: 0,
    refused: 0,
    failed: 0,
    duplicates: 0,
    awkward: 0,
    byStatus: { ANSWER: 0, MISSED: 0, DROPPED: 0 },
  }

  constructor(opts: CallGeneratorOptions) {
    this.opts = opts
    this.random = opts.random ?? Math.random
    this.clock = opts.clock ?? systemClock
    this.timers = opts.timers ?? realTimers
    this.logger = opts.logger ?? silentLogger
    this.rate = opts.callsPerMinute
    const timeout = opts.timeoutMs ?? 10_000
    this.ownDispatcher = !opts.dispatcher
    this.dispatcher =
      opts.dispatcher ??
      new Agent({ connect: { timeout }, headersTimeout: timeout, bodyTimeout: timeout })
  }

  /** Starts the schedule: a first call soon, then one every 60/rate s on average. */
  start(): void {
    if (this.running) return
    if (this.opts.target === null) {
      this.logger.warn('simulator: this app has no listener to push to; no calls are generated')
      return
    }
    this.running = true
    this.schedule(Math.min(1000, this.meanGapMs()))
  }

  /** True between `start()` and `stop()`. */
  get generating(): boolean {
    return this.running
  }

  /**
   * Stops the schedule, waits for pushes in flight and closes its own connections. Safe to call
   * more than once (settings can stop the generator before the app stops the simulation).
   */
  async stop(): Promise<void> {
    this.running = false
    if (this.timer !== null) this.timers.clearTimeout(this.timer)
    this.timer = null
    await Promise.allSettled([...this.inFlight])
    if (this.ownDispatcher && !this.dispatcherClosed) {
      this.dispatcherClosed = true
      await this.dispatcher.close()
    }
  }

  /** Changes the mean rate (calls per minute); takes effect from the next call. */
  setRate(callsPerMinute: number): void {
    this.rate = callsPerMinute
    if (this.running && this.timer === null) this.schedule(this.meanGapMs())
  }

  stats(): GeneratorStats {
    return { ...this.counts, byStatus: { ...this.counts.byStatus } }
  }

  /** Decides one call (no push), obeying the simulator's state at its start instant. */
  makeCall(overrides: PushOverrides = {}): SimulatedCall {
    const call = this.decide(overrides)
    this.remember(call)
    return call
  }

  private decide(overrides: PushOverrides): SimulatedCall {
    const at = overrides.at ?? this.clock.now()
    const local = DateTime.fromMillis(at, { zone: this.opts.timezone })
    const department = overrides.department ?? this.pick(SIMULATED_DEPARTMENTS)
    const base = {
      id: this.uuid(),
      callerNumber: overrides.callerNumber ?? this.callerNumber(),
      department,
      circle: this.pick(SIMULATED_CIRCLES),
      startedAt: at,
      date: local.toFormat('yyyy-MM-dd'),
      time: local.toFormat('HH:mm:ss'),
      virtualNumber: SIMULATED_VIRTUAL_NUMBER,
    }
    const missed = (reason: SimulatedCall['reason'], ivrSeconds: number): SimulatedCall => ({
      ...base,
      status: 'MISSED',
      agentNumber: null,
      ivrSeconds,
      talkSeconds: 0,
      recordingUrl: null,
      reason,
    })
    // Closed: the caller hears the holiday / after-hours message, then the line ends.
    const closed = this.opts.simulator.model.closedReason(at, this.opts.timezone)
    if (closed) return missed(closed, this.int(8, 30))
    const agents = this.opts.simulator.model.availableAgents(department)
    if (agents.length === 0) return missed('no-agent', this.int(20, 90))
    const hangUp = overrides.hangUp ?? this.random() < (this.opts.droppedShare ?? 0.15)
    if (hangUp) return { ...missed('hung-up', this.int(5, 90)), status: 'DROPPED' }
    const agent = this.pick(agents)
    return {
      ...base,
      status: 'ANSWER',
      agentNumber: agent.number,
      ivrSeconds: this.int(5, 90),
      talkSeconds: this.int(20, 900),
      recordingUrl: this.opts.simulator.recordingUrl(base.id),
      reason: 'answered',
    }
  }

  /** Makes one call (or, when the awkward shape is `duplicate`, repeats the last push) and sends it. */
  async pushOne(overrides: PushOverrides = {}): Promise<PushResult> {
    const push = this.prepare(overrides)
    const p = this.send(push)
    this.inFlight.add(p)
    try {
      return await p
    } finally {
      this.inFlight.delete(p)
    }
  }

  private prepare(overrides: PushOverrides): SentPush {
    const forced = overrides.awkward
    if (forced === 'duplicate') {
      if (!this.last) throw new Error('duplicate: nothing was pushed yet')
      return { ...this.last, awkward: 'duplicate' }
    }
    const wantAwkward =
      forced !== undefined ? forced !== null : this.random() < (this.opts.awkwardShare ?? 0)
    if (
      wantAwkward &&
      forced === undefined &&
      this.last &&
      this.random() < 1 / AWKWARD_KINDS.length
    ) {
      return { ...this.last, awkward: 'duplicate' }
    }
    const call = this.makeCall(overrides)
    let params = standardParams(call)
    let awkward: AwkwardKind | null = null
    if (wantAwkward) {
      const kinds = AWKWARD_KINDS.filter((k) => k !== 'duplicate' && awkwardApplies(k, call, false))
      const kind = forced ?? this.pick(kinds)
      if (kind === 'duplicate' || !awkwardApplies(kind, call, false)) {
        throw new Error(`awkward shape ${kind} does not apply to a ${call.status} call`)
      }
      params = applyAwkward(kind, call, params, this.random())
      awkward = kind
    }
    const target = this.opts.target
    if (target === null) throw new Error('the simulator has no listener to push to')
    const url = target + (target.includes('?') ? '&' : '?') + new URLSearchParams(params).toString()
    const push: SentPush = { call, params, awkward, url }
    this.last = push
    return push
  }

  private async send(push: SentPush): Promise<PushResult> {
    this.counts.sent++
    if (push.awkward) this.counts.awkward++
    if (push.awkward === 'duplicate') this.counts.duplicates++
    else this.counts.byStatus[push.call.status]++
    try {
      const res = await request(push.url, { method: 'GET', dispatcher: this.dispatcher })
      const body = (await res.body.text()).slice(0, BODY_CAP)
      const accepted =
        res.statusCode >= 200 && res.statusCode < 300 && /accepted|success/i.test(body)
      if (accepted) this.counts.accepted++
      else {
        this.counts.refused++
        this.logger.warn('simulator: listener refused a push', {
          callId: push.call.id,
          httpStatus: res.statusCode,
          answer: body.slice(0, 200),
        })
      }
      return {
        push,
        outcome: accepted ? 'accepted' : 'refused',
        httpStatus: res.statusCode,
        detail: body,
      }
    } catch (err) {
      this.counts.failed++
      const detail = err instanceof Error ? `${err.name}: ${err.message}` : String(err)
      // The target URL carries the webhook token: log the call id and error, never the URL.
      this.logger.warn('simulator: push failed', { callId: push.call.id, error: detail })
      return { push, outcome: 'failed', httpStatus: null, detail }
    }
  }

  private schedule(ms: number): void {
    if (!this.running || this.rate <= 0) {
      this.timer = null
      return
    }
    this.timer = this.timers.setTimeout(() => {
      this.timer = null
      if (!this.running) return
      void this.pushOne()
      this.schedule(this.nextGapMs())
    }, ms)
  }

  private meanGapMs(): number {
    return this.rate > 0 ? 60_000 / this.rate : Infinity
  }

  /** Exponential gaps (random arrivals), clamped so the feed is neither bursty nor silent. */
  private nextGapMs(): number {
    const mean = this.meanGapMs()
    const gap = -Math.log(1 - this.random()) * mean
    return Math.min(4 * mean, Math.max(0.1 * mean, gap))
  }

  /** Repeat callers (some of them missed earlier) so the missed queue groups and resolves. */
  private callerNumber(): string {
    if (this.recent.length > 0 && this.random() < (this.opts.repeatShare ?? 0.35)) {
      const fromMissed = this.recentMissed.length > 0 && this.random() < 0.5
      return this.pick(fromMissed ? this.recentMissed : this.recent)
    }
    return String(this.int(6, 9)) + Array.from({ length: 9 }, () => this.int(0, 9)).join('')
  }

  private remember(call: SimulatedCall): void {
    const add = (list: string[], n: string): void => {
      const i = list.indexOf(n)
      if (i >= 0) list.splice(i, 1)
      list.push(n)
      if (list.length > RECENT_CALLERS) list.shift()
    }
    add(this.recent, call.callerNumber)
    if (call.status === 'ANSWER') {
      const i = this.recentMissed.indexOf(call.callerNumber)
      if (i >= 0) this.recentMissed.splice(i, 1)
    } else add(this.recentMissed, call.callerNumber)
  }

  /** Vendor-style call id (a v4-shaped UUID) from the injectable random source. */
  private uuid(): string {
    const hex = Array.from({ length: 32 }, () => this.int(0, 15).toString(16))
    hex[12] = '4'
    hex[16] = (8 + this.int(0, 3)).toString(16)
    const h = hex.join('')
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
  }

  private int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1))
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.min(items.length - 1, Math.floor(this.random() * items.length))]!
  }
}
