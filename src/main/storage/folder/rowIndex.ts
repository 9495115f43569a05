import type { Call } from '../../../shared/domain'
import { compareRows, monthOf } from '../query'
import { rowOf, type CallRow } from './callIndex'
import { IdTable, type RowRefs } from './idTable'
import {
  keepRow,
  rowsFromColumns,
  rowsUnread,
  type MonthColumns,
  type RowFields,
} from './monthColumns'
import { NumberIndex } from './numberIndex'
import { newShard, rowsIn, sortedRows, type Shard } from './shard'

/**
 * The rows of every month in memory, and what is found through them: the current row of every
 * id, the number index, the months overlapping a time range, today's counts. Rows answer
 * filters, counts and paging; full calls are fetched by the month cache.
 *
 * Start-up hands it each loaded month ({@link addColumns}: kept as its index file's columns, no
 * row made until one is used; {@link addLoaded}: as rows); the id map and the number index then
 * fill in one step at a time ({@link adoptStep}, {@link listNumbersStep},
 * {@link indexUnindexedStep}), and anything that needs them before they are complete finishes
 * them first.
 */
export class RowIndex {
  private readonly shards = new Map<string, Shard>()
  /** Every month, by its `YYYY-MM` key (shared with the cache, the writer and the checks). */
  readonly months: ReadonlyMap<string, Shard> = this.shards
  /** The current row of every id: use {@link ids} (it may still be filling in). */
  private byId = new IdTable<CallRow>(rowId)
  /** Months loaded as columns, by slot (see {@link Shard.slot}). */
  private readonly columns: MonthColumns[] = []
  /** How the id map finds rows it holds by reference (rows not made yet). */
  private readonly refs: RowRefs<CallRow> = {
    idIs: (slot, pos, id) => this.columns[slot]!.idIs(pos, id),
    idAt: (slot, pos) => this.columns[slot]!.idAlone(pos),
    rowAt: (slot, pos) => this.columns[slot]!.row(pos),
  }
  /** Loaded months whose rows are not in `byId` yet (filled in after start-up). */
  private unadopted: Shard[] = []
  /** Loaded months whose rows are in `byId` (while some are not yet). */
  private adopted: Shard[] = []
  private monthList: string[] | null = null
  /** Filled in the background after start-up (or whole by a search that comes first), then kept up to date. */
  private readonly numbers = new NumberIndex()
  /**
   * Months loaded as columns, not yet listed in {@link numbers}: listed one month per step, or
   * all that is left by a search that comes first.
   */
  private unlistedColumns: MonthColumns[] = []
  /** The months loaded as columns are all listed (see NumberIndex.endColumns). */
  private columnsListed = false
  /** Months loaded without (an older index, or rebuilt from the document): listed row by row. */
  private unindexed: Shard[] = []
  /** Counts of one local day (today), kept up to date by every put and removal. */
  private tally: DayTally | null = null

  /**
   * @param dirty months changed since the last checkpoint (shared with the checkpoint writer):
   *   every change of a month's rows adds it.
   */
  constructor(
    private readonly zone: string,
    private readonly hotFrom: string,
    private readonly dirty: Set<string>,
  ) {}

  /** The month's record, made empty when it has none yet. */
  shardFor(month: string): Shard {
    let shard = this.shards.get(month)
    if (!shard) {
      shard = newShard(month, month >= this.hotFrom)
      this.shards.set(month, shard)
      this.monthList = null
    }
    return shard
  }

  /**
   * A month loaded at start-up as its rows (an older index, or rebuilt from its document): its
   * ids join the id map in the background, and it is listed in the number index row by row.
   */
  addLoaded(shard: Shard): void {
    this.unindexed.push(shard)
    this.unadopted.push(shard)
  }

  /**
   * A month loaded at start-up as its index file's columns (rows in order): its rows are made
   * when first used; the id map refers to them and the number index lists them from the columns.
   */
  addColumns(shard: Shard, cols: MonthColumns): void {
    shard.cols = cols
    shard.slot = this.columns.push(cols) - 1
    rowsFromColumns(shard, cols)
    this.unlistedColumns.push(cols)
    this.unadopted.push(shard)
  }

  /** Every month is loaded: the id map and the number index start filling in. */
  endLoading(): void {
    // Every loaded month's agents' and virtual numbers first (see NumberIndex.addColumns).
    // Room for the callers: about half of each month's are new (a guess; more only grows it).
    this.numbers.reserve(this.unlistedColumns.reduce((n, c) => n + c.numCount, 0) / 2)
    for (const cols of this.unlistedColumns) this.numbers.listNumbers(cols.agentAndVirtualNumbers())
    // Sized once for every row loaded (no growth while it fills in).
    this.byId = new IdTable(
      rowId,
      this.unadopted.reduce((n, s) => n + rowsIn(s), 0),
      this.refs,
    )
  }

  /**
   * Puts one more loaded month's ids in the id map (when one is left); returns whether any is
   * left after it.
   */
  adoptStep(): boolean {
    const shard = this.unadopted.shift()
    if (shard) this.adopt(shard)
    if (this.unadopted.length > 0) return true
    this.adopted = []
    return false
  }

  /** Whether months loaded with their numbers are still to be listed in the number index. */
  numbersPending(): boolean {
    return !this.columnsListed
  }

  /**
   * Lists one more month loaded with its numbers (when one is left); once the last is listed,
   * their rows become searchable. Returns whether any is left.
   */
  listNumbersStep(): boolean {
    if (this.columnsListed) return false
    const cols = this.unlistedColumns.shift()
    if (cols) this.numbers.addColumns(cols)
    if (this.unlistedColumns.length > 0) return true
    this.endListing()
    return false
  }

  /** Lists one more month loaded without its numbers, row by row; returns whether any is left. */
  indexUnindexedStep(): boolean {
    const shard = this.unindexed.shift()
    if (shard) this.indexShard(shard)
    return this.unindexed.length > 0
  }

  /** Lists what is left of the months loaded as columns (see {@link unlistedColumns}). */
  private listLoadedNumbers(): void {
    while (this.unlistedColumns.length > 0) this.numbers.addColumns(this.unlistedColumns.shift()!)
    this.endListing()
  }

  /** The months loaded as columns are all listed: their rows become searchable. */
  private endListing(): void {
    if (this.columnsListed) return
    this.columnsListed = true
    this.numbers.endColumns()
  }

  private indexShard(shard: Shard): void {
    const index = this.numbers
    for (const r of shard.rows) index.add(r)
    for (const r of shard.tail) index.add(r)
  }

  /** The id map, complete. */
  private ids(): IdTable<CallRow> {
    if (this.unadopted.length > 0) {
      while (this.unadopted.length > 0) this.adopt(this.unadopted.shift()!)
      this.adopted = []
    }
    return this.byId
  }

  /** Indexes a freshly loaded month's rows; a call found in two months keeps its newest revision. */
  private adopt(shard: Shard): void {
    // The usual case, a month none of whose ids is known yet, costs one insert per row: the
    // map grows by exactly its rows. (A lookup before each insert was half the cost.)
    const map = this.byId
    const before = map.size
    let added: number
    if (shard.cols && rowsUnread(shard)) {
      // Rows not made yet: referred to by position, by the hash their index file holds.
      const cols = shard.cols
      for (let i = 0; i < cols.n; i++) map.putRef(cols.hashAt(i), shard.slot, i)
      added = cols.n
    } else {
      const rows = shard.rows
      for (let i = 0; i < rows.length; i++) map.set(rows[i]!.id, rows[i]!)
      added = rows.length
    }
    this.adopted.push(shard)
    if (map.size === before + added) return
    // An id seen twice (left by a move cut short, rare): the map is built again row by row for
    // the months taken so far. Nothing else changed it meanwhile: every other use of the map
    // takes the remaining months first (see `ids`).
    map.clear()
    for (const s of this.adopted.splice(0)) this.adoptSlowly(s)
  }

  /** {@link adopt} row by row, for a month with an id seen in another month (or twice). */
  private adoptSlowly(shard: Shard): void {
    const keep: CallRow[] = []
    for (const row of shard.rows) {
      const other = this.byId.get(row.id)
      if (other) {
        // Left by a checkpoint interrupted while a call moved between months.
        this.dirty.add(shard.month).add(other.m)
        if (other.revision >= row.revision) continue
        this.removeRow(other)
      }
      this.byId.set(row.id, row)
      keep.push(row)
    }
    shard.rows = keep
    this.adopted.push(shard)
  }

  /** Calls stored (distinct ids). */
  get size(): number {
    return this.ids().size
  }

  /** Rows loaded (equals `size` except after a checkpoint interrupted mid-move). */
  get rowCount(): number {
    let n = 0
    for (const shard of this.shards.values()) n += rowsIn(shard)
    return n
  }

  get monthCount(): number {
    return this.shards.size
  }

  /** Calls of `month` now (in memory, pending ones included). */
  callsIn(month: string): number {
    const shard = this.shards.get(month)
    return shard ? rowsIn(shard) : 0
  }

  /** Whether a call with this id is stored. */
  has(id: string): boolean {
    return this.ids().has(id)
  }

  /** The current row of `id`, or undefined when the id is unknown. */
  rowOfId(id: string): CallRow | undefined {
    return this.ids().get(id)
  }

  /** The revision of the current version of `id`, or undefined when the id is unknown. */
  revisionOf(id: string): number | undefined {
    return this.ids().get(id)?.revision
  }

  /**
   * Makes `call` the current version of its id, in memory: its row, and its month's pending
   * version (written by the next checkpoint).
   */
  put(call: Call): void {
    const row = rowOf(call, this.zone)
    const existing = this.ids().get(call.id)
    if (existing && existing.m !== row.m) this.removeRow(existing)
    const shard = this.shardFor(row.m)
    if (existing && existing.m === row.m) {
      this.untally(existing)
      // A changed start time moves the row: out of the sorted run, then in again as if new.
      const moved = existing.t !== row.t && this.unlinkSorted(shard, existing)
      const before = { caller: existing.caller, agent: existing.agent, virtual: existing.virtual }
      Object.assign(existing, row)
      if (moved) this.link(shard, existing)
      this.numbers.add(existing, before)
      this.count(existing)
    } else {
      this.link(shard, row)
      this.ids().set(call.id, row)
      this.numbers.add(row)
      this.count(row)
    }
    shard.overlay.set(call.id, call)
    shard.full?.set(call.id, call)
    this.dirty.add(row.m)
  }

  /** Puts back `prev` (or forgets the id) after a write that did not become durable. */
  restore(id: string, prev: Call | null): void {
    if (prev) return this.put(prev)
    const row = this.ids().get(id)
    if (row) this.removeRow(row)
  }

  /** Removes a row from its month (the call is gone from it: a move, a loss, an undo). */
  removeRow(row: CallRow): void {
    const shard = this.shards.get(row.m)!
    if (!this.unlinkSorted(shard, row)) {
      const i = shard.tail.indexOf(row)
      if (i >= 0) shard.tail.splice(i, 1)
    }
    this.untally(row)
    shard.overlay.set(row.id, null)
    shard.full?.delete(row.id)
    this.dirty.add(row.m)
    // byId directly: this also runs inside adopt, while the map is being filled.
    if (this.byId.get(row.id) === row) this.byId.delete(row.id)
  }

  /** Adds a row to its month: appended when in order, else to the tail (see {@link Shard.rows}). */
  private link(shard: Shard, row: CallRow): void {
    const last = shard.rows.at(-1)
    if (!last || compareRows(last, row) < 0) shard.rows.push(row)
    else shard.tail.push(row)
  }

  /** Removes `row` from the sorted run if it is there (binary search on its current key). */
  private unlinkSorted(shard: Shard, row: CallRow): boolean {
    const i = findRow(shard.rows, row)
    if (i < 0) return false
    shard.rows.splice(i, 1)
    return true
  }

  /** The current version if it is in memory (no disk read). */
  peek(id: string): Call | null | undefined {
    const row = this.ids().get(id)
    if (!row) return null
    const shard = this.shards.get(row.m)!
    const o = shard.overlay.get(id)
    return o !== undefined ? o : shard.full?.get(id)
  }

  /**
   * Live rows with a number (caller, agent, virtual, numeric call id) containing `digits`, in no
   * particular order, or null when there are more than `cap` candidates (scan instead).
   */
  rowsWithDigits(digits: string, cap: number): CallRow[] | null {
    const found = this.numberIndex().rowsContaining(digits, cap)
    return found && this.live(found)
  }

  /** Live rows whose caller is exactly `number`, in no particular order. */
  rowsOfCaller(number: string): CallRow[] {
    const listed = this.numberIndex().rowsOf(number)
    if (listed) return this.live(listed).filter((r) => r.caller === number)
    // Also an agent's or virtual number, whose rows are not listed: every row is looked at, in
    // its columns where its month is not made into rows (only the matches are made).
    const out: CallRow[] = []
    this.scanFieldsDesc(-Infinity, Infinity, (r) => {
      if (r.caller === number) out.push(keepRow(r))
    })
    return out
  }

  /** Drops rows that are no longer the current row of their id, and repeats. */
  private live(rows: readonly CallRow[]): CallRow[] {
    const seen = new Set<CallRow>()
    const out: CallRow[] = []
    const ids = this.ids()
    for (const r of rows) {
      if (seen.has(r) || ids.get(r.id) !== r) continue
      seen.add(r)
      out.push(r)
    }
    return out
  }

  /** The number index, complete (what the background has not listed yet is listed now). */
  private numberIndex(): NumberIndex {
    this.listLoadedNumbers()
    while (this.unindexed.length > 0) this.indexShard(this.unindexed.shift()!)
    return this.numbers
  }

  /** Months overlapping [lo, hi), newest first. */
  monthsDesc(lo: number, hi: number): string[] {
    if (!this.monthList) this.monthList = [...this.shards.keys()].sort().reverse()
    const loM = lo === -Infinity ? '' : monthOf(lo, this.zone)
    const hiM = hi === Infinity ? '\uffff' : monthOf(hi - 1, this.zone)
    return this.monthList.filter((m) => m >= loM && m <= hiM)
  }

  /** Calls `fn` for every row with lo <= startedAt < hi, newest first. */
  scanDesc(lo: number, hi: number, fn: (r: CallRow) => void): void {
    for (const m of this.monthsDesc(lo, hi)) this.scanMonthDesc(m, lo, hi, fn)
  }

  /**
   * {@link scanDesc} for scans that read fields and keep few rows (filters, counts, summaries): a
   * month whose rows were not made yet is read from its columns, `fn` gets a view of each row's
   * fields (valid during the call only), and `keepRow(r)` makes the row that is to be kept. A
   * full scan then makes no row per call (at a million calls, making them all cost over 1 s).
   */
  scanFieldsDesc(lo: number, hi: number, fn: (r: RowFields) => void): void {
    for (const m of this.monthsDesc(lo, hi)) this.scanMonthFieldsDesc(m, lo, hi, fn)
  }

  scanMonthFieldsDesc(month: string, lo: number, hi: number, fn: (r: RowFields) => void): void {
    const shard = this.shards.get(month)
    if (!shard) return
    const cols = shard.cols
    if (!cols || !rowsUnread(shard)) return this.scanMonthDesc(month, lo, hi, fn)
    // Rows not read as a month are unchanged but for fields a put changed on a row it made
    // (anything else reads the month's rows first): a made row is given as it is.
    for (let i = cols.firstAtOrAfter(hi) - 1; i >= 0; i--) {
      if (cols.tAt(i) < lo) break
      const made = cols.madeAt(i)
      fn(made ?? cols.fieldsAt(i))
    }
  }

  scanMonthDesc(month: string, lo: number, hi: number, fn: (r: CallRow) => void): void {
    const shard = this.shards.get(month)
    if (!shard) return
    const rows = sortedRows(shard)
    // First row at or after hi (binary search), then walk down until lo.
    let a = 0
    let b = rows.length
    while (a < b) {
      const mid = (a + b) >>> 1
      if (rows[mid]!.t < hi) a = mid + 1
      else b = mid
    }
    for (let i = a - 1; i >= 0; i--) {
      const r = rows[i]!
      if (r.t < lo) break
      fn(r)
    }
  }

  /**
   * Calls per status (0 ANSWER, 1 MISSED, 2 DROPPED) that started in [start, end): counted once
   * when the day is first asked for, then kept up to date by every put and removal, so asking
   * again costs nothing. One day is kept (today); asking for another replaces it.
   */
  dayCounts(start: number, end: number): readonly number[] {
    const t = this.tally
    if (t && t.start === start && t.end === end) return t.counts
    this.ids()
    const fresh: DayTally = { start, end, counts: [0, 0, 0] }
    this.scanDesc(start, end, (r) => fresh.counts[r.s]!++)
    this.tally = fresh
    return fresh.counts
  }

  private count(row: CallRow): void {
    const t = this.tally
    if (t && row.t >= t.start && row.t < t.end) t.counts[row.s]!++
  }

  private untally(row: CallRow): void {
    const t = this.tally
    if (t && row.t >= t.start && row.t < t.end) t.counts[row.s]!--
  }
}

const rowId = (r: CallRow): string => r.id

/** See {@link RowIndex.dayCounts}. */
interface DayTally {
  start: number
  end: number
  counts: number[]
}

/** Index of `row` itself in the ascending run `rows`, found by its (t, id) key; -1 if absent. */
function findRow(rows: readonly CallRow[], row: CallRow): number {
  let a = 0
  let b = rows.length
  while (a < b) {
    const mid = (a + b) >>> 1
    if (compareRows(rows[mid]!, row) < 0) a = mid + 1
    else b = mid
  }
  return a < rows.length && rows[a] === row ? a : -1
}
