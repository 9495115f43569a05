import type { StatusBreakdown } from '../../shared/dashboard'
import type { StorageProblemKind } from '../../shared/storage'
import type {
  Call,
  CallCounts,
  CallFields,
  CallPage,
  CallQuery,
  RawParams,
  RejectedPush,
} from '../../shared/domain'

/**
 * The filters a store query takes: the history's, plus `textAgents`, the numbers of agents whose
 * name contains the free text (the directory is main's, the store only knows numbers), so a word
 * search finds the calls an agent answered by the agent's name.
 */
export type StoreQuery = Omit<CallQuery, 'limit' | 'cursor'> & { textAgents?: readonly string[] }

export type UpsertOutcome = 'created' | 'updated' | 'unchanged'

export interface UpsertResult {
  outcome: UpsertOutcome
  call: Call
  /** `JSON.stringify(call)`, when the store made it anyway (a new call, for its journal line). */
  json?: string
}

/**
 * The durable call store. `upsert` resolves only once the call is fsync'd (group commit: many
 * concurrent upserts share one fsync) and its cost does not grow with the number of calls stored.
 * What a backend keeps beyond these is declared below as an optional ability, so a service asks
 * for it by name (`store.tally?.(...)`) instead of casting.
 */
export interface CallStore {
  /**
   * Stores the call with this id: `created` for a new id, `updated` when the content differs from
   * the stored version (the earlier version goes to `history`), `unchanged` for an exact repeat.
   * Rejects if the call could not be made durable (the listener then answers 503 `Failure`).
   */
  upsert(fields: CallFields, raw: RawParams, receivedAt: string): Promise<UpsertResult>
  get(id: string): Promise<Call | null>
  /** A page of calls matching the filters, newest first by `startedAt` then id. */
  query(q: StoreQuery & Pick<CallQuery, 'limit' | 'cursor'>): Promise<CallPage>
  /** Every call matching the filters (no paging), newest first, streamed shard by shard. */
  iterate(q: StoreQuery): AsyncIterable<Call>
  /** Every call from one normalised number, newest first. */
  byCaller(number: string): Promise<Call[]>
  /** Counts for one local date (configured zone). */
  countsForDate(localDate: string): Promise<CallCounts>
  /** ISO instant of the last accepted push (persisted across restarts), or null. */
  lastPushAt(): string | null
  /** Number of calls stored. */
  size(): number
  /** Flushes pending writes and releases files. */
  close(): Promise<void>
  /**
   * Subscribes to every call stored, new or changed (never an exact repeat): this instance's,
   * told once it is durable and before its `upsert` resolves, and those another instance sharing
   * the storage stored, as this one re-reads them. The one path by which stored calls are
   * announced. A throwing subscriber is logged and never fails the upsert. Returns the
   * unsubscribe function.
   */
  onStored(fn: (stored: StoredCall) => void): () => void

  // Optional abilities: a backend that has one declares it.

  /** Counts the dashboard's figures over a range in place (PostgreSQL, next to the calls). */
  tally?(from: string, to: string, options?: TallyOptions): Promise<CallTally>
  /**
   * Compact summaries of the calls between two local dates (inclusive), newest first, from an
   * index the store keeps (the data folder's rows in memory: at once; PostgreSQL: a query).
   */
  summaries?(from: string, to: string): CallSummary[] | Promise<CallSummary[]>
  /** Calls lost to months that cannot be read, among the months of a query. */
  unreadableIn?(q: Omit<CallQuery, 'limit' | 'cursor'>): { month: string; calls: number }[]
  /** Resolves once the work start-up leaves to the background is done. */
  settled?(): Promise<void>
}

/**
 * A call the storage holds now (see `CallStore.onStored`). `json` is `JSON.stringify(call)` when
 * the store had that text anyway (a new call's journal line, a row read with an empty history),
 * so that whoever passes the call on as JSON does not make it a second time.
 */
export interface StoredCall {
  call: Call
  outcome: Exclude<UpsertOutcome, 'unchanged'>
  json?: string
}

/** The rejected-pushes log: every push answered `Invalid Data`, kept durably. */
export interface RejectedLog {
  append(entry: Omit<RejectedPush, 'id'>): Promise<RejectedPush>
  /** Newest first. */
  list(limit?: number): Promise<RejectedPush[]>
  /** Entries kept (the log retention removes the oldest). */
  count(): number
  /**
   * Removes entries received before `before` (ms), as the backend can: rows one by one, or
   * whole files of the data folder's archive; answers how many went.
   */
  prune(before: number): Promise<number>
  close(): Promise<void>
  /** Subscribes to pushes another instance sharing the storage rejected (optional ability). */
  onRemoteRejected?(fn: (p: RejectedPush) => void): () => void
}

/** A storage problem as the storage layer reports it (paths absolute; see shared/storage.ts). */
export interface StorageProblemReport {
  /** Stable key: the same problem found again updates one entry. */
  id: string
  kind: StorageProblemKind
  file: string
  summary: string
  advice: string
  ongoing?: boolean
  lost?: { count: number; ids: string[] } | null
  keptAt?: string | null
}

/** Where the storage layer tells of problems, instead of a log line only. */
export interface StorageReporter {
  problem(p: StorageProblemReport): void
  /** A problem that was `ongoing` stopped (writes work again, a checkpoint succeeded). */
  recovered(id: string): void
}

export const silentReporter: StorageReporter = { problem: () => {}, recovered: () => {} }

/** A compact view of one call for aggregates (see `summaries`). */
export interface CallSummary {
  startedAtMs: number
  /** Local hour 0..23 in the store's zone. */
  hour: number
  status: Call['status']
  agentNumber: string | null
  department: string | null
  circle: string | null
  ivrSeconds: number | null
  talkSeconds: number | null
}

/**
 * What the dashboard counts over the calls of a range: by status, by local hour, by agent,
 * department and circle (each map in the order of its key's newest call, null for none), DROPPED
 * calls by IVR seconds (null: not reported), the sums behind the averages, the calls started
 * while `closedAt` said closed, and the answered calls within the service level's seconds. A
 * store that can count in place offers `tally(from, to, options)` (PostgreSQL); the others'
 * summaries are counted by the dashboard itself, the same way.
 */
export interface CallTally {
  byStatus: StatusBreakdown
  closed: StatusBreakdown
  /** 24 local hours (all zero when counted for the totals only). */
  perHour: StatusBreakdown[]
  /** By agent: the counts, talk time and the newest call's start (ms). */
  agents: Map<string, StatusBreakdown & { talkSeconds: number; lastCallMs: number }>
  departments: Map<string | null, StatusBreakdown>
  circles: Map<string | null, StatusBreakdown>
  droppedByIvr: Map<number | null, number>
  /** Over the calls that report it. */
  ivrSeconds: { sum: number; n: number }
  /** Over ANSWER calls that report it. */
  talkSeconds: { sum: number; n: number }
  /** ANSWER calls whose IVR wait is reported and at most `serviceSeconds`. */
  answeredWithin: number
  /** Of those, the ones started while `closedAt` said closed. */
  closedAnsweredWithin: number
  /**
   * The starts (ms) of MISSED calls that named no agent, by department, when asked for
   * (`missedStarts`): who was available then is judged by the dashboard.
   */
  unassignedMissed: Map<string | null, number[]>
}

/** How a range is counted (see {@link CallTally}). */
export interface TallyOptions {
  /** Whether the office was closed at an instant by the schedule then (null: nothing set). */
  closedAt?: (ms: number) => boolean | null
  /** The service level's seconds; without it no call counts as answered within. */
  serviceSeconds?: number
  /** Only calls started before this instant (ms): a period cut at a time of day. */
  until?: number
  /** `totals`: only what a period's headline figures need (no hours, keys or drop-off). */
  scope?: 'full' | 'totals'
  /** Collect `unassignedMissed`. */
  missedStarts?: boolean
}

/** A tally of no calls, to count into. */
export function emptyTally(): CallTally {
  const none = (): StatusBreakdown => ({ answered: 0, missed: 0, dropped: 0 })
  return {
    byStatus: none(),
    closed: none(),
    perHour: Array.from({ length: 24 }, none),
    agents: new Map(),
    departments: new Map(),
    circles: new Map(),
    droppedByIvr: new Map(),
    ivrSeconds: { sum: 0, n: 0 },
    talkSeconds: { sum: 0, n: 0 },
    answeredWithin: 0,
    closedAnsweredWithin: 0,
    unassignedMissed: new Map(),
  }
}

/**
 * A role one process at a time holds among the instances sharing storage: the outbox's sender,
 * the simulator's call generator. With a data folder the one process that owns it always holds
 * every role ({@link soleHolder}); on a shared database, an advisory lock decides.
 */
export interface ExclusiveRole {
  /** Resolves true once this process holds the role, false when `signal` aborted first. */
  acquire(signal: AbortSignal): Promise<boolean>
  /** Whether this process still holds the role (asked right before acting on it). */
  holds(): Promise<boolean>
  release(): Promise<void>
}

/** The role of the only process there is. */
export const soleHolder: ExclusiveRole = {
  acquire: async () => true,
  holds: async () => true,
  release: async () => {},
}
