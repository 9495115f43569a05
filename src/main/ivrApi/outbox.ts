import { randomUUID } from 'node:crypto'
import type { Change, ChangeAttempt, ChangeKind } from '../../shared/domain'
import type { Clock } from '../ground/clock'
import type { Logger } from '../ground/logger'
import { sleepUnlessAborted, type Sleep } from '../ground/sleep'
import type { EventBus } from '../events/bus'
import { type Document, type DocumentSource } from '../storage/documents'
import { soleHolder, type ExclusiveRole } from '../storage/types'
import type { AuditEntry } from './audit'
import type { AppendLog } from '../storage/logs'
import type { VendorParams } from './client'

export type { Sleep }

/** What the user asked for; the outbox adds id, times, state and attempts. */
export interface ChangeRequest {
  kind: ChangeKind
  /** Changes to the same target go out one at a time, in the order they were made. */
  target: string
  params: VendorParams
  summary: string
  /** Who asked: the person's account name on a team server, else the owner's OS user name. */
  requestedBy: string
}

/** The part of {@link VendorClient} the outbox needs (a fake in unit tests). */
export interface ChangeSender {
  /** One request to the vendor; never throws for vendor trouble. `signal` cuts it short. */
  attempt(params: VendorParams, signal?: AbortSignal): Promise<ChangeAttempt>
}

/** Exponential backoff with jitter: the n-th retry (1-based) waits 50-100 % of base·2^(n-1). */
export function backoffDelay(n: number, baseMs: number, maxMs: number, random: () => number) {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, n - 1))
  return Math.round(ceiling * (0.5 + 0.5 * random()))
}

export interface OutboxOptions {
  /** Where `outbox.json` is kept. */
  documents: DocumentSource
  /** Where the audit trail goes (the `vendor-audit` log). */
  audit: AppendLog<AuditEntry>
  /**
   * Held while sending: with several instances on one database only the holder sends, so each
   * change goes out once and in order (default: this process alone).
   */
  senderRole?: ExclusiveRole
  sender: ChangeSender
  bus: EventBus
  clock: Clock
  logger: Logger
  sleep?: Sleep
  random?: () => number
  /** Backoff after an attempt that reached nobody: base·2^n, capped (default 1 s to 30 s). */
  retryBaseMs?: number
  retryMaxMs?: number
  /** How long `submit` waits for the vendor's first answer before answering "queued". */
  submitWaitMs?: number
  /**
   * Attempts that reach nobody, made after a change was queued, before `submit` answers
   * "queued" rather than wait longer (default 3: a blip of the network is retried quickly).
   */
  attemptsBeforeQueued?: number
  /** Settled changes kept in the outbox document (the audit file keeps everything). */
  maxHistory?: number
  /** Attempts kept per change in the document (first one plus the newest). */
  maxAttemptsKept?: number
}

interface OutboxDoc {
  /** In the order the user made them: sending order within a target follows it. */
  changes: Change[]
}

type Waiter = { id: string; since: number; resolve: () => void }

/**
 * The durable change queue. Every change is on disk before it is sent; one worker sends pending
 * changes oldest first, the oldest of each target only, so a later change for a target never
 * overtakes an earlier one. Its loop is the one retry loop of the settings API: when the vendor
 * cannot be reached the worker backs off (from ~1 s, capped at ~30 s; the wait ends at once on
 * stop or when something new is queued) and tries again, after a restart too, until the vendor
 * answers; a refusal settles the change and is never retried. Every transition is persisted,
 * audited and emitted as `change:updated`.
 */
export class Outbox {
  private readonly sleep: Sleep
  private readonly random: () => number
  private readonly settledListeners = new Set<(c: Change) => void | Promise<void>>()
  private waiters: Waiter[] = []
  private roundNo = 0
  private loop: Promise<void> | null = null
  private stopped = true
  private stopCtl = new AbortController()
  private wakeCtl = new AbortController()
  private readonly role: ExclusiveRole
  /** What subscribers last heard of each change (state, attempts, next attempt). */
  private readonly heard = new Map<string, string>()

  private constructor(
    private readonly store: Document<OutboxDoc>,
    private readonly audit: AppendLog<AuditEntry>,
    private readonly opts: OutboxOptions,
  ) {
    this.sleep = opts.sleep ?? sleepUnlessAborted
    this.random = opts.random ?? Math.random
    this.role = opts.senderRole ?? soleHolder
    for (const c of store.data.changes) this.heard.set(c.id, stateKey(c))
    store.onExternalChange(() => this.changedElsewhere())
  }

  /** Opens the queue (`outbox.json` + the audit trail). Call `start()` to send. */
  static async open(opts: OutboxOptions): Promise<Outbox> {
    const docs = opts.documents
    const store = await docs.open<OutboxDoc>('outbox.json', { changes: [] })
    return new Outbox(store, opts.audit, opts)
  }

  /**
   * Another instance changed the outbox (queued a change, or, holding the sender's role, sent
   * one): the worker looks again, waiters of a settled change answer, and this instance's
   * subscribers hear of every change that moved.
   */
  private changedElsewhere(): void {
    this.wake()
    for (const c of this.store.data.changes) {
      const key = stateKey(c)
      if (this.heard.get(c.id) === key) continue
      this.heard.set(c.id, key)
      this.opts.bus.emit('change:updated', structuredClone(c))
      if (c.state !== 'pending') for (const w of [...this.waiters]) if (w.id === c.id) w.resolve()
    }
  }

  /** Starts (or resumes after a restart) sending whatever is pending. */
  start(): void {
    if (this.loop) return
    this.stopped = false
    this.stopCtl = new AbortController()
    this.loop = this.run().catch((err) => {
      this.opts.logger.error('outbox worker stopped', { error: String(err) })
    })
  }

  /** Stops the worker; an attempt in flight is cut short and its change stays pending. */
  async stop(): Promise<void> {
    this.stopped = true
    this.stopCtl.abort()
    this.wakeCtl.abort()
    await this.loop
    this.loop = null
    await this.role.release()
    for (const w of this.waiters) w.resolve()
    this.waiters = []
  }

  /** Writes the change to disk (pending) and wakes the worker. */
  async enqueue(req: ChangeRequest): Promise<Change> {
    const change: Change = {
      id: randomUUID(),
      kind: req.kind,
      target: req.target,
      params: { ...req.params },
      summary: req.summary,
      requestedAt: this.nowIso(),
      requestedBy: req.requestedBy,
      state: 'pending',
      attempts: [],
      vendorAnswer: null,
      settledAt: null,
      nextAttemptAt: this.nowIso(),
    }
    await this.store.update((d) => {
      d.changes.push(change)
      this.prune(d)
    })
    this.wake()
    await this.record({ type: 'requested', at: change.requestedAt, change })
    this.emit(structuredClone(change))
    return structuredClone(change)
  }

  /**
   * Enqueues and waits a short while for the vendor: returns the change confirmed, refused, or
   * still pending (queued) when the vendor could not be reached or took too long.
   */
  async submit(req: ChangeRequest, waitMs = this.opts.submitWaitMs ?? 4_000): Promise<Change> {
    const change = await this.enqueue(req)
    return this.waitFor(change.id, waitMs)
  }

  /**
   * Resolves with the change once it settles, once `attemptsBeforeQueued` attempts made after it
   * was queued reached nobody (the vendor is down: waiting longer is pointless), or after `waitMs`.
   */
  async waitFor(id: string, waitMs = this.opts.submitWaitMs ?? 4_000): Promise<Change> {
    const current = this.get(id)
    if (!current) throw new Error(`Unknown change ${id}`)
    if (current.state !== 'pending' || this.stopped) return current
    await new Promise<void>((resolve) => {
      const w: Waiter = { id, since: this.roundNo, resolve: () => done() }
      const t = setTimeout(() => done(), waitMs)
      const done = (): void => {
        clearTimeout(t)
        this.waiters = this.waiters.filter((x) => x !== w)
        resolve()
      }
      this.waiters.push(w)
    })
    return this.get(id) ?? current
  }

  /** The queue and its history, newest first. */
  list(): Change[] {
    return structuredClone(this.store.data.changes).reverse()
  }

  get(id: string): Change | undefined {
    const c = this.store.data.changes.find((x) => x.id === id)
    return c ? structuredClone(c) : undefined
  }

  /** The newest change for a target, if any is still in the document. */
  latestFor(target: string): Change | undefined {
    const list = this.store.data.changes
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i]!.target === target) return structuredClone(list[i]!)
    }
    return undefined
  }

  /** Called (and awaited) when a change is confirmed or refused, before `submit` answers. */
  onSettled(fn: (c: Change) => void | Promise<void>): () => void {
    this.settledListeners.add(fn)
    return () => this.settledListeners.delete(fn)
  }

  /** The complete audit trail (every request, attempt and answer), oldest first. */
  auditTrail(): Promise<AuditEntry[]> {
    return this.audit.read()
  }

  // ------------------------------------------------------------------ worker

  private async run(): Promise<void> {
    let failures = 0
    const delayAfter = (n: number): number =>
      backoffDelay(n, this.opts.retryBaseMs ?? 1_000, this.opts.retryMaxMs ?? 30_000, this.random)
    while (!this.stopped) {
      try {
        if (!(await this.role.holds())) {
          // Another instance sends while it holds the role; this one takes over when it ends.
          if (!(await this.role.acquire(this.stopCtl.signal))) break
          await this.store.reload()
        }
        // A fresh wake signal before looking: anything queued from here on wakes the next idle.
        this.wakeCtl = new AbortController()
        const next = this.nextEligible()
        if (!next) {
          await this.idle(null)
          continue
        }
        const result = await this.attemptSafely(next)
        if (this.stopped && result.outcome === 'failed') break
        if (result.outcome === 'failed') {
          const delay = delayAfter(++failures)
          const due = new Date(this.opts.clock.now() + delay).toISOString()
          await this.store.update((d) => {
            for (const c of d.changes) if (c.state === 'pending') c.nextAttemptAt = due
          })
          for (const c of this.store.data.changes) {
            if (c.state === 'pending') this.emit(structuredClone(c))
          }
          this.endRound()
          this.opts.logger.warn('vendor unreachable, changes stay queued', {
            pending: this.pendingCount(),
            retryInMs: delay,
          })
          await this.idle(delay)
          continue
        }
        failures = 0
        await this.settle(
          next.id,
          result.outcome === 'success' ? 'confirmed' : 'refused',
          result.detail,
        )
      } catch (err) {
        // A disk fault (outbox or audit write) must not end background delivery until the next
        // restart: log it, back off like an unreachable vendor, and try again. A change whose
        // settlement was not written stays pending and is sent again (same change: idempotent).
        const delay = delayAfter(++failures)
        this.opts.logger.error('outbox round failed; retrying', {
          error: String(err),
          retryInMs: delay,
        })
        this.endRound()
        await this.idle(delay)
      }
    }
  }

  /**
   * One attempt at the change, recorded. The sender never throws by contract; if it does anyway,
   * that is a failed round (not recorded as an attempt), not a dead worker.
   */
  private async attemptSafely(next: Change): Promise<ChangeAttempt> {
    let a: ChangeAttempt
    try {
      a = await this.opts.sender.attempt(next.params, this.stopCtl.signal)
    } catch (err) {
      this.opts.logger.error('vendor send failed unexpectedly', { error: String(err) })
      const detail = 'Internal error while sending (see the log)'
      return { at: this.nowIso(), outcome: 'failed', detail, httpStatus: null }
    }
    await this.recordAttempt(next.id, a)
    return a
  }

  /**
   * The oldest pending change. One worker sending strictly oldest first means a change never
   * overtakes an earlier one for its target (nor a range's dates each other); and when the vendor
   * is down, one probe per round tells us so instead of one timeout per queued change.
   */
  private nextEligible(): Change | undefined {
    return this.store.data.changes.find((c) => c.state === 'pending')
  }

  /** Sleeps until `ms` passes (null: forever) or something new is queued, or stop. */
  private async idle(ms: number | null): Promise<void> {
    if (this.stopped) return
    // One controller fed by both signals (not AbortSignal.any: Node 20 may collect it early).
    const ctl = new AbortController()
    const abort = (): void => ctl.abort()
    const sources = [this.wakeCtl.signal, this.stopCtl.signal]
    for (const s of sources) {
      if (s.aborted) ctl.abort()
      else s.addEventListener('abort', abort, { once: true })
    }
    try {
      if (ms === null) {
        await new Promise<void>((r) => {
          if (ctl.signal.aborted) return r()
          ctl.signal.addEventListener('abort', () => r(), { once: true })
        })
      } else {
        await this.sleep(ms, ctl.signal)
      }
    } finally {
      for (const s of sources) s.removeEventListener('abort', abort)
    }
  }

  private wake(): void {
    this.wakeCtl.abort()
  }

  /** A round reached nobody: waiters that saw enough of them since they were queued give up. */
  private endRound(): void {
    this.roundNo++
    const enough = Math.max(1, this.opts.attemptsBeforeQueued ?? 3)
    for (const w of [...this.waiters]) if (this.roundNo - w.since >= enough) w.resolve()
  }

  private async recordAttempt(id: string, a: ChangeAttempt): Promise<void> {
    const keep = this.opts.maxAttemptsKept ?? 50
    const updated = await this.store.update((d) => {
      const c = d.changes.find((x) => x.id === id)
      if (!c) return undefined
      c.attempts.push(a)
      // The first attempt and the newest ones; the audit file keeps every one.
      if (c.attempts.length > keep) c.attempts.splice(1, c.attempts.length - keep)
      return structuredClone(c)
    })
    await this.record({ type: 'attempt', at: a.at, changeId: id, attempt: a })
    if (updated) this.emit(updated)
  }

  private async settle(id: string, state: 'confirmed' | 'refused', answer: string): Promise<void> {
    const at = this.nowIso()
    const settled = await this.store.update((d) => {
      const c = d.changes.find((x) => x.id === id)
      if (!c) return undefined
      c.state = state
      c.vendorAnswer = answer
      c.settledAt = at
      c.nextAttemptAt = null
      this.prune(d)
      return structuredClone(c)
    })
    await this.record({ type: 'settled', at, changeId: id, state, answer })
    if (!settled) return
    this.opts.logger.info('vendor change settled', { kind: settled.kind, state })
    for (const fn of this.settledListeners) {
      try {
        await fn(settled)
      } catch (err) {
        this.opts.logger.error('change listener failed', { error: String(err) })
      }
    }
    for (const w of [...this.waiters]) if (w.id === id) w.resolve()
    this.emit(settled)
  }

  /** Keeps every pending change and the newest `maxHistory` settled ones. */
  private prune(d: OutboxDoc): void {
    const max = this.opts.maxHistory ?? 1_000
    let settled = d.changes.filter((c) => c.state !== 'pending').length
    if (settled <= max) return
    d.changes = d.changes.filter((c) => c.state === 'pending' || settled-- <= max)
  }

  /**
   * Appends to the audit log. A failed append is logged, not thrown: the change itself is already
   * durable in the outbox, and failing here would leave it settled but unannounced (or sent again
   * after a `Success`) instead of only missing one audit line.
   */
  private async record(entry: AuditEntry): Promise<void> {
    try {
      await this.audit.append(entry)
    } catch (err) {
      this.opts.logger.error('audit log entry could not be written', {
        type: entry.type,
        error: String(err),
      })
    }
  }

  /** Announces a change and remembers what was announced (see `changedElsewhere`). */
  private emit(c: Change): void {
    this.heard.set(c.id, stateKey(c))
    this.opts.bus.emit('change:updated', c)
  }

  private pendingCount(): number {
    return this.store.data.changes.filter((c) => c.state === 'pending').length
  }

  private nowIso(): string {
    return new Date(this.opts.clock.now()).toISOString()
  }
}

/** What a subscriber sees move in a change. */
function stateKey(c: Change): string {
  return `${c.state}|${c.attempts.length}|${c.nextAttemptAt}`
}
