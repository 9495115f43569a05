import type { Call, CallFields, RawParams, RejectedPush } from '../../../src/shared/domain'
import type {
  CallStore,
  RejectedLog,
  StoredCall,
  UpsertOutcome,
} from '../../../src/main/storage/types'
import { StoredCallSubscribers } from '../../../src/main/storage/storedCalls'
import type { Logger } from '../../../src/main/ground/logger'
import { storedCall } from '../../support/fixtures'

/** In-memory CallStore for listener tests: same upsert semantics, no disk. */
export class MemoryCallStore implements CallStore {
  readonly calls = new Map<string, Call>()
  /** Set to make the next upserts fail like a full disk. */
  failWith: Error | null = null
  private readonly stored = new StoredCallSubscribers(capturingLogger())

  onStored(fn: (stored: StoredCall) => void): () => void {
    return this.stored.add(fn)
  }

  /** Stores as the real stores do, and announces what changed before it answers, as they do. */
  async upsert(
    fields: CallFields,
    raw: RawParams,
    receivedAt: string,
  ): Promise<{ outcome: UpsertOutcome; call: Call }> {
    const r = await this.decide(fields, raw, receivedAt)
    if (r.outcome !== 'unchanged') this.stored.tell({ call: r.call, outcome: r.outcome })
    return r
  }

  private async decide(
    fields: CallFields,
    raw: RawParams,
    receivedAt: string,
  ): Promise<{ outcome: UpsertOutcome; call: Call }> {
    await Promise.resolve()
    if (this.failWith) throw this.failWith
    const prev = this.calls.get(fields.id)
    if (!prev) {
      const call = storedCall(fields, raw, receivedAt)
      this.calls.set(fields.id, call)
      return { outcome: 'created', call }
    }
    const { history, ...rest } = prev
    const same = (Object.keys(fields) as (keyof CallFields)[]).every((k) => prev[k] === fields[k])
    if (same) return { outcome: 'unchanged', call: prev }
    const call: Call = {
      ...fields,
      receivedAt,
      firstReceivedAt: prev.firstReceivedAt,
      revision: prev.revision + 1,
      raw,
      history: [...history, rest],
    }
    this.calls.set(fields.id, call)
    return { outcome: 'updated', call }
  }
  async get(id: string): Promise<Call | null> {
    return this.calls.get(id) ?? null
  }
  async query(): Promise<never> {
    throw new Error('not used by listener tests')
  }
  // eslint-disable-next-line require-yield
  async *iterate(): AsyncIterable<Call> {
    throw new Error('not used by listener tests')
  }
  async byCaller(): Promise<Call[]> {
    return []
  }
  async countsForDate(): Promise<never> {
    throw new Error('not used by listener tests')
  }
  lastPushAt(): string | null {
    return null
  }
  size(): number {
    return this.calls.size
  }
  async close(): Promise<void> {}
}

export class MemoryRejectedLog implements RejectedLog {
  readonly entries: RejectedPush[] = []
  failWith: Error | null = null
  async append(entry: Omit<RejectedPush, 'id'>): Promise<RejectedPush> {
    await Promise.resolve()
    if (this.failWith) throw this.failWith
    const full = { ...entry, id: `r${this.entries.length + 1}` }
    this.entries.push(full)
    return full
  }
  async list(limit = 100): Promise<RejectedPush[]> {
    return this.entries.slice(-limit).reverse()
  }
  count(): number {
    return this.entries.length
  }
  async prune(before: number): Promise<number> {
    const keep = this.entries.filter((e) => !(Date.parse(e.receivedAt) < before))
    const removed = this.entries.length - keep.length
    this.entries.splice(0, this.entries.length, ...keep)
    return removed
  }
  async close(): Promise<void> {}
}

/** A logger that keeps every line (message and context as JSON) for assertions. */
export function capturingLogger(): Logger & { lines: string[] } {
  const lines: string[] = []
  const log = (lvl: string) => (msg: string, ctx?: Record<string, unknown>) => {
    lines.push(`${lvl} ${msg} ${ctx ? JSON.stringify(ctx) : ''}`)
  }
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') }
}
