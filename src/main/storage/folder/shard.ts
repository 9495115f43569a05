import type { Call } from '../../../shared/domain'
import { compareRows } from '../query'
import type { CallRow } from './callIndex'
import type { MonthEntry } from './manifest'
import { rowsUnread, type MonthColumns } from './monthColumns'

/**
 * One local month of the query model: the record the row index, the month cache, the
 * checkpoint writer, the start-up and the damage checks share (each is handed the months
 * it works on; none reaches the others through it).
 */
export interface Shard {
  month: string
  /**
   * The month's calls as compact rows, ascending by (startedAt, id), except those in `tail`.
   * A push in time order is appended here; one out of order (a late push, two in the same
   * second arriving crossed, a backlog replay) goes to `tail`, which is sorted and merged in
   * once, when the month is next read: no push pays for sorting the month. A month loaded as
   * columns (see `cols`) makes this array on its first read: until then no row object exists.
   */
  rows: CallRow[]
  /** Rows appended out of order, in arrival order (see `rows`). */
  tail: CallRow[]
  /** The month's full calls by id, when loaded (always for hot months; LRU for older ones). */
  full: Map<string, Call> | null
  loading: Promise<Map<string, Call>> | null
  /** Versions not yet written to the month's file (null: the call moved to another month). */
  overlay: Map<string, Call | null>
  hot: boolean
  /** A document exists on disk. */
  onDisk: boolean
  /**
   * Its document's checksum was checked (or it was written) in this process, or by an earlier
   * one and the file has not changed since (its identity matches the manifest's).
   */
  verified: boolean
  /** The file on disk as last verified or written (for the manifest); null when not known. */
  entry: MonthEntry | null
  /** Calls the file on disk holds. */
  fileCalls: number
  /** At load, its file was the one the manifest lists. */
  listed: boolean
  /** Its index file is in an older format (written again once the store has settled). */
  oldIndex: boolean
  /**
   * When loaded as columns: them, and their slot among the row index's months of columns (the
   * id map refers to rows not made yet by slot and position). Null, -1 otherwise.
   */
  cols: MonthColumns | null
  slot: number
}

/** A month with no calls yet (not on disk). */
export function newShard(month: string, hot: boolean): Shard {
  return {
    month,
    rows: [],
    tail: [],
    full: hot ? new Map() : null,
    loading: null,
    overlay: new Map(),
    hot,
    onDisk: false,
    verified: true,
    entry: null,
    fileCalls: 0,
    listed: false,
    oldIndex: false,
    cols: null,
    slot: -1,
  }
}

/** The month's rows, counted without making those not made yet (see {@link Shard.cols}). */
export function rowsIn(shard: Shard): number {
  const rows = shard.cols && rowsUnread(shard) ? shard.cols.n : shard.rows.length
  return rows + shard.tail.length
}

/** The month's rows in order: the tail, if any, is sorted and merged into the run once. */
export function sortedRows(shard: Shard): CallRow[] {
  if (shard.tail.length > 0) {
    shard.rows = mergeRuns(shard.rows, shard.tail.sort(compareRows))
    shard.tail = []
  }
  return shard.rows
}

/** Two ascending runs merged into one new ascending array. */
function mergeRuns(a: readonly CallRow[], b: readonly CallRow[]): CallRow[] {
  const out = new Array<CallRow>(a.length + b.length)
  let i = 0
  let j = 0
  let k = 0
  while (i < a.length && j < b.length) out[k++] = compareRows(a[i]!, b[j]!) <= 0 ? a[i++]! : b[j++]!
  while (i < a.length) out[k++] = a[i++]!
  while (j < b.length) out[k++] = b[j++]!
  return out
}

/** The clock `now` as an ISO instant (for `verifiedAt`). */
export const isoAt = (now: () => number): string => new Date(now()).toISOString()
