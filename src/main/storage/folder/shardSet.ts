import type { Call } from '../../../shared/domain'
import type { Logger } from '../../ground/logger'
import { compareRows, monthOf } from '../query'
import { rowOf, type CallRow } from './callIndex'
import {
  callBytesAt,
  listShardMonths,
  monthIdentity,
  readCallsAt,
  readIndexFile,
  readMonthFile,
  readShardBytes,
  setAsideMonth,
  shardPath,
  writeIndex,
  writeShard,
  type MonthIdentity,
} from './shardFiles'
import { NumberIndex } from './numberIndex'
import { IdTable, type RowRefs } from './idTable'
import { rowsFromColumns, rowsUnread, type MonthColumns, type RowFields } from './monthColumns'
import { DamagedFileError, parseMonth, salvageMonth, verifyMonth } from './monthSeal'
import { sameFile, type MonthEntry } from './manifest'
import { silentReporter, type StorageReporter } from '../types'

/** One local month of the query model. */
interface Shard {
  month: string
  /**
   * The month's calls as compact rows, ascending by (startedAt, id), except those in `tail`.
   * A push in time order is appended here; one out of order (a late push, two in the same
   * second arriving crossed, a backlog replay) goes to `tail`, which is sorted and merged in
   * once, when the month is next read: no push pays for sorting the month. A month loaded as
   * columns (see `slot`) makes this array on its first read: until then no row object exists.
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
   * Its slot in {@link ShardSet.columns} when loaded as columns (-1: not): `rows` is then made
   * from them on first read, and the id map refers to rows by (slot, position) until then.
   */
  slot: number
}

/** Calls of a damaged month that could not be read back, by month (for answers to queries). */
export type UnreadableMonths = ReadonlyMap<string, number>

/**
 * The months of the store in memory: every month's compact rows, the full documents of recent
 * months, an LRU of older ones, and the changes not yet checkpointed. Rows answer filters, counts
 * and paging; full documents are parsed only for the calls actually returned.
 */
export class ShardSet {
  private readonly shards = new Map<string, Shard>()
  /** The current row of every id: use {@link ids} (it may still be filling in). */
  private byId = new IdTable<CallRow>(rowId)
  /** Months loaded as columns, by slot (see {@link Shard.slot}). */
  private readonly columns: MonthColumns[] = []
  /** How the id map finds rows it holds by reference (rows not made yet). */
  private readonly refs: RowRefs<CallRow> = {
    idIs: (slot, pos, id) => this.columns[slot]!.idIs(pos, id),
    idAt: (slot, pos) => this.columns[slot]!.idAt(pos),
    rowAt: (slot, pos) => this.columns[slot]!.row(pos),
  }
  /** Loaded months whose rows are not in `byId` yet (filled in after start-up, see `load`). */
  private unadopted: Shard[] = []
  /** Loaded months whose rows are in `byId` (while some are not yet). */
  private adopted: Shard[] = []
  private readonly dirty = new Set<string>()
  private readonly lru: string[] = []
  private monthList: string[] | null = null
  /** Filled in the background after start-up (or whole by a search that comes first), then kept up to date. */
  private readonly numbers = new NumberIndex()
  /**
   * Months loaded as columns, not yet listed in {@link numbers}: listed one month per event-loop
   * turn, or all that is left by a search that comes first.
   */
  private unlistedColumns: MonthColumns[] = []
  /** The months loaded as columns are all listed (see NumberIndex.endColumns). */
  private columnsListed = false
  /** Months loaded without (an older index, or rebuilt from the document): listed row by row. */
  private unindexed: Shard[] = []
  /** Set by {@link stopBackground}: the background work ends at its next step. */
  private stopped = false
  private settle: () => void = () => {}
  /**
   * Resolves once the work start-up leaves to the background is done: the id map, the number
   * index, and every month on disk verified (or when stopped).
   */
  readonly settled: Promise<void> = new Promise((res) => (this.settle = res))
  /** JSON bytes of versions not yet checkpointed (from their journal line), for the checkpoint. */
  private readonly pendingJson = new WeakMap<Call, Buffer>()
  /** Damaged months being set aside and rebuilt (one containment per month at a time). */
  private readonly containing = new Map<string, Promise<void>>()
  /** Calls lost to damage, by month: what queries of that month must say they miss. */
  readonly unreadable = new Map<string, number>()
  /** Months found damaged and set aside in this process (each told on its own). */
  readonly setAsideMonths = new Set<string>()
  /** Counts of one local day (today), kept up to date by every put and removal. */
  private tally: DayTally | null = null

  private constructor(
    private readonly dir: string,
    private readonly zone: string,
    private readonly hotFrom: string,
    private readonly coldCap: number,
    private readonly logger: Logger,
    private readonly reporter: StorageReporter,
    private readonly now: () => number,
  ) {}

  /**
   * Loads every month's index (rebuilding it from the month's document if missing). A month
   * whose file still has the identity `manifest` lists (size, modification time, seal checksum)
   * was verified before and is not read again; the others are verified in the background.
   */
  static async load(
    dir: string,
    zone: string,
    hotFrom: string,
    coldCap: number,
    logger: Logger,
    reporter: StorageReporter = silentReporter,
    now: () => number = Date.now,
    manifest: Readonly<Record<string, MonthEntry>> | null = null,
  ): Promise<ShardSet> {
    const set = new ShardSet(dir, zone, hotFrom, coldCap, logger, reporter, now)
    const months = await listShardMonths(dir)
    // Reads run a few months ahead, so the disk works while the previous month is decoded.
    const reads: Promise<[Awaited<ReturnType<typeof readIndexFile>>, MonthIdentity | null]>[] = []
    const readAhead = (upTo: number): void => {
      for (let k = reads.length; k < Math.min(upTo, months.length); k++)
        reads.push(Promise.all([readIndexFile(dir, months[k]!), monthIdentity(dir, months[k]!)]))
    }
    for (const [i, month] of months.entries()) {
      readAhead(i + 4)
      const shard = set.shardFor(month)
      shard.onDisk = true
      shard.verified = false
      shard.full = null
      const [index, identity] = await reads[i]!
      const cols = index?.columns ?? null
      let rows = index?.rows ?? null
      shard.oldIndex = index !== null && !index.current
      delete reads[i]
      const known = manifest?.[month]
      if (known && identity && sameFile(known, identity)) {
        shard.entry = known
        shard.verified = true
        shard.listed = true
      }
      if (cols?.isSorted()) {
        // The usual case: no row is made (see MonthColumns).
        shard.slot = set.columns.push(cols) - 1
        rowsFromColumns(shard, cols)
        set.unlistedColumns.push(cols)
        shard.fileCalls = shard.entry?.calls ?? cols.n
        set.unadopted.push(shard)
        if (!shard.hot && shard.full) shard.full = null
        continue
      }
      if (cols) rows = cols.rows()
      if (!rows) {
        logger.warn('call store: rebuilding a month index from its document', {
          file: shardPath(dir, month),
        })
        let calls: Call[]
        const read = await readMonthFile(dir, month)
        try {
          calls = read ? parseMonth(read.doc, shardPath(dir, month)) : []
          shard.verified = true
          if (read) shard.entry = { ...read.identity, calls: calls.length, verifiedAt: set.iso() }
        } catch (err) {
          if (!(err instanceof DamagedFileError)) throw err
          calls = await set.containAtLoad(shard, err.reason)
        }
        rows = calls.map((c) => rowOf(c, zone))
        shard.full = new Map(calls.map((c) => [c.id, c]))
        set.dirty.add(month)
      }
      // Months are written in order: one linear check spares the sort.
      if (!rows.every((r, k) => k === 0 || compareRows(rows[k - 1]!, r) < 0)) rows.sort(compareRows)
      set.unindexed.push(shard)
      shard.rows = rows
      shard.fileCalls = shard.entry?.calls ?? rows.length
      set.unadopted.push(shard)
      // Full documents load on first use (a page reads single calls by byte range anyway).
      if (!shard.hot && shard.full) shard.full = null
    }
    // Every loaded month's agents' and virtual numbers first (see NumberIndex.addColumns).
    for (const cols of set.unlistedColumns) set.numbers.listNumbers(cols.agentAndVirtualNumbers())
    // Sized once for every row loaded (no growth while it fills in).
    set.byId = new IdTable(
      rowId,
      set.unadopted.reduce((n, s) => n + set.rowsIn(s), 0),
      set.refs,
    )
    set.adoptInBackground()
    return set
  }

  /**
   * Filling the id map costs about as much as reading every index (a million inserts), and
   * nothing but pushes and lookups by id needs it: so start-up returns once the rows are loaded,
   * and the map fills in one month per event-loop turn (the app stays responsive meanwhile).
   * Anything that needs it before it is complete finishes it first ({@link ids}).
   */
  private adoptInBackground(): void {
    this.inTurns(
      this.unadopted,
      (shard) => this.adopt(shard),
      () => {
        this.adopted = []
        this.indexNumbersInBackground()
      },
    )
  }

  /**
   * Takes `queue`'s months one per event-loop turn (anything else may take them meanwhile), then
   * calls `then`; settles at once when the store is closing.
   */
  private inTurns<T>(queue: T[], work: (item: T) => void, then: () => void): void {
    const step = (): void => {
      if (this.stopped) return this.settle()
      const item = queue.shift()
      if (item) work(item)
      if (queue.length > 0) setImmediate(step)
      else then()
    }
    setImmediate(step)
  }

  /**
   * The number index (for number searches) is built the same way, one month per event-loop turn
   * once the id map is complete: built on the first search instead, that search waited for all
   * of it (1.4 s and more at a million calls). Months loaded as columns are listed from those
   * (NumberIndex.addColumns: one lookup per distinct caller of a month, by a numeric key, no row
   * made), searchable together once the last is listed; the others row by row.
   * Pushes meanwhile list their rows at once (a row listed twice is harmless: searches verify and
   * de-duplicate every row they get back).
   */
  private indexNumbersInBackground(): void {
    this.inTurns(
      this.unlistedColumns,
      (cols) => this.numbers.addColumns(cols),
      () => {
        this.endListing()
        this.indexUnindexedInBackground()
      },
    )
  }

  /** Then the months loaded without their numbers, row by row, one month per turn. */
  private indexUnindexedInBackground(): void {
    this.inTurns(
      this.unindexed,
      (shard) => this.indexShard(shard),
      () => void this.verifyInBackground(),
    )
  }

  /**
   * Then every month is verified, newest first, one at a time: a page or an export that reads
   * a month first in this process waits for its whole-file checksum, so left to the first query,
   * a search whose matches span two years read and checked two years of month files (7 s at a
   * million calls). A month a query reaches first is verified by that query, as before; damage
   * found here is contained and told the same way.
   */
  private async verifyInBackground(): Promise<void> {
    const months = [...this.shards.values()].sort((a, b) => (a.month < b.month ? 1 : -1))
    for (const shard of months) {
      if (this.stopped) break
      try {
        await this.verify(shard)
      } catch (err) {
        this.logger.error('call store: background check of a month failed', {
          month: shard.month,
          error: String(err),
        })
      }
      await new Promise<void>((res) => setImmediate(res))
    }
    this.settle()
  }

  /** Ends the background work (closing the store). */
  stopBackground(): void {
    this.stopped = true
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
    if (shard.slot >= 0 && rowsUnread(shard)) {
      // Rows not made yet: referred to by position (see IdTable.putRef).
      const cols = this.columns[shard.slot]!
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

  get size(): number {
    return this.ids().size
  }

  /** Rows loaded (equals `size` except after a checkpoint interrupted mid-move). */
  get rowCount(): number {
    let n = 0
    for (const shard of this.shards.values()) n += this.rowsIn(shard)
    return n
  }

  get monthCount(): number {
    return this.shards.size
  }

  hasDirty(): boolean {
    return this.dirty.size > 0
  }

  /** Calls in the months a checkpoint would rewrite now. */
  dirtyRows(): number {
    let n = 0
    for (const month of this.dirty) {
      const shard = this.shards.get(month)
      if (shard) n += this.rowsIn(shard)
    }
    return n
  }

  /**
   * Makes `call` the current version of its id (in memory; the caller journals it). `json`, when
   * given, is `JSON.stringify(call)` in UTF-8: the next checkpoint writes it as it is.
   */
  put(call: Call, json?: Buffer): void {
    if (json !== undefined) this.pendingJson.set(call, json)
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

  /** Puts back `prev` (or forgets the id) after a write that did not become durable. */
  restore(id: string, prev: Call | null): void {
    if (prev) return this.put(prev)
    const row = this.ids().get(id)
    if (row) this.removeRow(row)
  }

  /** The revision of the current version of `id`, or undefined when the id is unknown. */
  revisionOf(id: string): number | undefined {
    return this.ids().get(id)?.revision
  }

  /** The current version if it is in memory (no disk read). */
  peek(id: string): Call | null | undefined {
    const row = this.ids().get(id)
    if (!row) return null
    const shard = this.shards.get(row.m)!
    const o = shard.overlay.get(id)
    return o !== undefined ? o : shard.full?.get(id)
  }

  async get(id: string): Promise<Call | null> {
    const row = this.ids().get(id)
    if (!row) return null
    const [call] = await this.fetchRows([row])
    return call ?? null
  }

  /**
   * The full calls of `rows`, in the same order. Pending versions come from memory; an older
   * month not in memory is read call by call at the byte ranges its index recorded, or parsed
   * whole (and cached) when that is not possible.
   */
  async fetchRows(rows: readonly CallRow[]): Promise<Call[]> {
    const out: (Call | undefined)[] = new Array<Call | undefined>(rows.length)
    const fromDisk = new Map<string, number[]>()
    rows.forEach((r, i) => {
      const shard = this.shards.get(r.m)!
      const call = shard.overlay.get(r.id) ?? shard.full?.get(r.id)
      if (call) out[i] = call
      else {
        let list = fromDisk.get(r.m)
        if (!list) fromDisk.set(r.m, (list = []))
        list.push(i)
      }
    })
    for (const [month, idx] of fromDisk) {
      const shard = this.shards.get(month)!
      // First read of the month in this process: its checksum first (a damaged month is set
      // aside and rebuilt here, and its readable calls then come from memory).
      await this.verify(shard)
      const wanted = idx.map((i) => rows[i]!)
      const direct = idx.length <= 1000 ? await readCallsAt(this.dir, month, wanted) : null
      if (direct) idx.forEach((i, k) => (out[i] = direct[k]))
      else {
        const full = shard.full ?? (await this.loadFull(shard))
        for (const i of idx) out[i] = shard.overlay.get(rows[i]!.id) ?? full.get(rows[i]!.id)
      }
    }
    const calls = out.filter((c): c is Call => c !== undefined)
    if (calls.length < rows.length)
      this.logger.error('call store: indexed calls missing from their month', {
        missing: rows.length - calls.length,
      })
    return calls
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
    // Also an agent's or virtual number, whose rows are not listed: every row is looked at.
    const out: CallRow[] = []
    this.scanDesc(-Infinity, Infinity, (r) => {
      if (r.caller === number) out.push(r)
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

  /** The months loaded as columns are listed: their rows become searchable. */
  private endListing(): void {
    if (this.columnsListed) return
    this.columnsListed = true
    this.numbers.endColumns()
  }

  /** The number index, complete (what the background has not listed yet is listed now). */
  private numberIndex(): NumberIndex {
    while (this.unlistedColumns.length > 0) this.numbers.addColumns(this.unlistedColumns.shift()!)
    this.endListing()
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
   * fields (valid during the call only), and `row()` makes the row that is to be kept. A full
   * scan then makes no row per call (at a million calls, making them all cost more than 1 s).
   */
  scanFieldsDesc(lo: number, hi: number, fn: (r: RowFields, row: () => CallRow) => void): void {
    for (const m of this.monthsDesc(lo, hi)) this.scanMonthFieldsDesc(m, lo, hi, fn)
  }

  scanMonthFieldsDesc(
    month: string,
    lo: number,
    hi: number,
    fn: (r: RowFields, row: () => CallRow) => void,
  ): void {
    const shard = this.shards.get(month)
    if (!shard) return
    if (shard.slot < 0 || !rowsUnread(shard))
      return this.scanMonthDesc(month, lo, hi, (r) => fn(r, () => r))
    // Rows not read as a month are unchanged but for fields a put changed on a row it made
    // (anything else reads the month's rows first): a made row is given as it is.
    const cols = this.columns[shard.slot]!
    for (let i = cols.firstAtOrAfter(hi) - 1; i >= 0; i--) {
      if (cols.tAt(i) < lo) break
      const made = cols.madeAt(i)
      if (made) fn(made, () => made)
      else fn(cols.fieldsAt(i), () => cols.row(i))
    }
  }

  scanMonthDesc(month: string, lo: number, hi: number, fn: (r: CallRow) => void): void {
    const shard = this.shards.get(month)
    if (!shard) return
    const rows = this.sortedRows(shard)
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
   * Writes every changed month (document, then index) durably. Changes made while it runs stay
   * pending for the next checkpoint; on failure the snapshot's changes are kept pending too.
   */
  async writeDirty(): Promise<void> {
    const months = [...this.dirty].sort()
    this.dirty.clear()
    for (let i = 0; i < months.length; i++) {
      const shard = this.shards.get(months[i]!)!
      try {
        // Unchanged calls are copied from the previous document and changed ones reuse the
        // journal's JSON: stringifying a whole busy month blocked the event loop for a burst.
        let old = shard.onDisk ? await readShardBytes(this.dir, shard.month) : null
        if (old && !shard.verified) {
          const verdict = verifyMonth(old)
          if (verdict.state === 'damaged') {
            // Never copy damaged bytes into the new document: rebuild it from what is readable.
            await this.contain(shard, old, verdict.reason)
            old = null
          } else shard.verified = true
        }
        // The month is parsed whole only when some unchanged call cannot be copied (stale byte
        // ranges, a missing document); then the snapshot is taken again after the load.
        let full = shard.full
        let snap: Map<string, Call | null>
        let rows: CallRow[]
        let bytes: (Buffer | null)[]
        for (;;) {
          // Pending versions stay in the overlay until the file holding them is in place.
          snap = new Map(shard.overlay)
          rows = this.sortedRows(shard).slice()
          const s = snap
          bytes = rows.map((r) => (s.has(r.id) || !old ? null : callBytesAt(old, r)))
          const b = bytes
          if (full || rows.every((r, k) => s.has(r.id) || b[k] !== null)) break
          full = await this.loadFull(shard)
        }
        const known = full
        const calls = rows.map((r) => (snap.get(r.id) ?? known?.get(r.id)) as Call)
        const revisions = rows.map((r) => r.revision)
        const jsonOf = (i: number): string | Buffer | undefined => {
          const c = snap.get(rows[i]!.id)
          if (c) return this.pendingJson.get(c)
          return bytes[i] ?? undefined
        }
        const written = await writeShard(this.dir, shard.month, calls, rows, jsonOf)
        const ranges = written.ranges
        for (const c of snap.values()) if (c) this.pendingJson.delete(c)
        shard.onDisk = true
        shard.verified = true
        shard.entry = { ...written.identity, calls: rows.length, verifiedAt: this.iso() }
        shard.fileCalls = rows.length
        for (const [id, c] of snap) if (shard.overlay.get(id) === c) shard.overlay.delete(id)
        rows.forEach((r, k) => {
          // A row changed meanwhile keeps its pending version in the overlay instead.
          if (r.revision === revisions[k] && r.m === shard.month) Object.assign(r, ranges[k])
        })
      } catch (err) {
        for (const m of months.slice(i)) this.dirty.add(m)
        throw err
      }
    }
  }

  /** The month's rows in order: the tail, if any, is sorted and merged into the run once. */
  private sortedRows(shard: Shard): CallRow[] {
    if (shard.tail.length > 0) {
      shard.rows = mergeRuns(shard.rows, shard.tail.sort(compareRows))
      shard.tail = []
    }
    return shard.rows
  }

  private removeRow(row: CallRow): void {
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

  private shardFor(month: string): Shard {
    let shard = this.shards.get(month)
    if (!shard) {
      const hot = month >= this.hotFrom
      shard = {
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
        slot: -1,
      }
      this.shards.set(month, shard)
      this.monthList = null
    }
    return shard
  }

  private loadFull(shard: Shard): Promise<Map<string, Call>> {
    if (shard.full) return Promise.resolve(shard.full)
    if (shard.loading) return shard.loading
    const load = async (): Promise<Map<string, Call>> => {
      const calls = shard.onDisk ? await this.readVerified(shard) : []
      const map = new Map(calls.map((c) => [c.id, c]))
      for (const [id, c] of shard.overlay) {
        if (c === null) map.delete(id)
        else map.set(id, c)
      }
      shard.full = map
      if (!shard.hot) this.touch(shard.month)
      return map
    }
    shard.loading = load().finally(() => (shard.loading = null))
    return shard.loading
  }

  /** A month's calls from its document, checksum verified; a damaged month is contained. */
  private async readVerified(shard: Shard): Promise<Call[]> {
    const read = await readMonthFile(this.dir, shard.month)
    try {
      const calls = read ? parseMonth(read.doc, shardPath(this.dir, shard.month)) : []
      if (read) shard.entry = { ...read.identity, calls: calls.length, verifiedAt: this.iso() }
      shard.verified = true
      return calls
    } catch (err) {
      if (!(err instanceof DamagedFileError)) throw err
      await this.contain(shard, read?.doc ?? null, err.reason)
      // Its readable calls are now pending versions (the overlay), merged by the caller.
      return []
    }
  }

  /** Checks a month document's checksum once per process; contains it when damaged. */
  async verify(shard: Shard): Promise<void> {
    // A containment under way (found by another reader, or the background check) is waited
    // for: the month reads as verified as soon as it is set aside, before its loss is counted.
    const running = this.containing.get(shard.month)
    if (running) return running
    if (shard.verified || !shard.onDisk) return
    await this.verifyNow(shard)
  }

  /** Reads the month whole and checks it against its seal, whatever was checked before. */
  private async verifyNow(shard: Shard): Promise<void> {
    const read = await readMonthFile(this.dir, shard.month)
    const verdict = read
      ? verifyMonth(read.doc)
      : { state: 'damaged' as const, reason: 'it is missing' }
    if (verdict.state === 'damaged') await this.contain(shard, read?.doc ?? null, verdict.reason)
    else if (read) {
      shard.entry = { ...read.identity, calls: verdict.calls, verifiedAt: this.iso() }
      shard.fileCalls = verdict.calls
    }
    shard.verified = true
  }

  /**
   * The scrub: reads again, whole, the month verified longest ago if that was more than `everyMs`
   * ago (a file system's scrub: damage that came later, with no write, is found within that
   * time), and contains it if damaged. Returns the month checked, or null when none was due.
   */
  async scrubOne(everyMs: number): Promise<string | null> {
    const due = this.now() - everyMs
    let pick: Shard | null = null
    let pickAt = Infinity
    for (const shard of this.shards.values()) {
      if (!shard.onDisk || this.containing.has(shard.month)) continue
      const at = shard.entry?.verifiedAt ? Date.parse(shard.entry.verifiedAt) : -Infinity
      if (at <= due && at < pickAt) {
        pick = shard
        pickAt = at
      }
    }
    if (!pick) return null
    await this.verifyNow(pick)
    return pick.month
  }

  /**
   * The month files that must exist, as the manifest lists them: every month on disk, with what
   * is known of its file (a month not verified yet has no checksum: it is verified at the next
   * start).
   */
  manifestMonths(): Record<string, MonthEntry> {
    const out: Record<string, MonthEntry> = {}
    for (const month of [...this.shards.keys()].sort()) {
      const shard = this.shards.get(month)!
      if (!shard.onDisk) continue
      out[month] = shard.entry ?? {
        calls: shard.fileCalls,
        bytes: -1,
        mtimeMs: -1,
        crc: null,
        verifiedAt: null,
      }
    }
    return out
  }

  /** Calls of `month` now (in memory, pending ones included). */
  callsIn(month: string): number {
    const shard = this.shards.get(month)
    return shard ? this.rowsIn(shard) : 0
  }

  /** A month's rows, counted without making those not made yet. */
  private rowsIn(shard: Shard): number {
    const rows =
      shard.slot >= 0 && rowsUnread(shard) ? this.columns[shard.slot]!.n : shard.rows.length
    return rows + shard.tail.length
  }

  /**
   * Writes in the current format the indexes start-up found in an older one (the format a
   * restart reads less of), for months unchanged since they were loaded, one month per
   * event-loop turn. The caller holds checkpoints meanwhile. Returns the months written.
   */
  async upgradeIndexes(): Promise<string[]> {
    const done: string[] = []
    for (const shard of this.shards.values()) {
      if (this.stopped) break
      if (!shard.oldIndex || !shard.onDisk || !shard.verified || this.dirty.has(shard.month))
        continue
      if (shard.overlay.size > 0 || shard.rows.some((r) => r.off < 0)) continue
      await writeIndex(this.dir, shard.month, this.sortedRows(shard))
      shard.oldIndex = false
      done.push(shard.month)
      await new Promise<void>((res) => setImmediate(res))
    }
    return done
  }

  /** Whether a month file on disk is not the one `listed` names (or is not listed at all). */
  monthsNotListed(listed: Readonly<Record<string, MonthEntry>>): boolean {
    for (const shard of this.shards.values())
      if (shard.onDisk && (!listed[shard.month] || !shard.listed)) return true
    return false
  }

  /** Whether the month's file was, at load, the one the manifest lists. */
  sameAsListed(month: string): boolean {
    return this.shards.get(month)?.listed ?? false
  }

  /** Whether a call with this id is stored. */
  has(id: string): boolean {
    return this.ids().has(id)
  }

  /** This set's clock as an ISO instant (for `verifiedAt`). */
  private iso(): string {
    return new Date(this.now()).toISOString()
  }

  /** Verifies every month (doctor, the Settings check); returns the months found damaged. */
  async verifyAll(): Promise<string[]> {
    const damaged: string[] = []
    for (const shard of this.shards.values()) {
      const before = shard.onDisk
      await this.verify(shard)
      if (before && !shard.onDisk) damaged.push(shard.month)
    }
    return damaged
  }

  /**
   * Sets a damaged month aside and rebuilds it: every call still readable in `doc` and every
   * version pending from the journal become the month's pending versions (written by the next
   * checkpoint); the calls of the index that could not be read are dropped, counted and named.
   * Other months, pushes and checkpoints go on meanwhile.
   */
  private contain(shard: Shard, doc: Buffer | null, reason: string): Promise<void> {
    let running = this.containing.get(shard.month)
    if (!running) {
      running = this.rebuild(shard, doc, reason).finally(() => this.containing.delete(shard.month))
      this.containing.set(shard.month, running)
    }
    return running
  }

  private async rebuild(shard: Shard, doc: Buffer | null, reason: string): Promise<void> {
    if (!shard.onDisk) return
    const { calls, unverified } = doc ? salvageMonth(doc) : { calls: [], unverified: false }
    const keptAt = await this.setAside(shard)
    const found = new Set(calls.map((c) => c.id))
    const lost: string[] = []
    // Every row of the month, those pushed out of order (the tail) included.
    for (const row of [...this.sortedRows(shard)]) {
      if (shard.overlay.has(row.id) || found.has(row.id)) continue
      lost.push(row.id)
      this.removeRow(row)
    }
    const ids = this.ids()
    for (const call of calls) {
      const existing = ids.get(call.id)
      // A newer version pending from the journal, or one in another month, wins.
      if (existing && (existing.m !== shard.month || shard.overlay.has(call.id))) continue
      this.put(call)
    }
    shard.full = null
    this.dirty.add(shard.month)
    this.report(shard.month, reason, calls.length, unverified, lost, keptAt)
  }

  /** Containment found while loading (no index to name lost calls by); returns what was read. */
  private async containAtLoad(shard: Shard, reason: string): Promise<Call[]> {
    const doc = await readShardBytes(this.dir, shard.month)
    const { calls, unverified } = doc ? salvageMonth(doc) : { calls: [], unverified: false }
    const keptAt = await this.setAside(shard)
    for (const c of calls) shard.overlay.set(c.id, c)
    this.report(shard.month, reason, calls.length, unverified, null, keptAt)
    return calls
  }

  private async setAside(shard: Shard): Promise<string | null> {
    this.setAsideMonths.add(shard.month)
    shard.onDisk = false
    shard.verified = true
    shard.entry = null
    shard.fileCalls = 0
    try {
      return await setAsideMonth(this.dir, shard.month, this.now())
    } catch (err) {
      // A disk refusing the rename: the month is still rebuilt in memory and rewritten later.
      this.logger.error('call store: could not set a damaged month aside', {
        file: shardPath(this.dir, shard.month),
        error: String(err),
      })
      return null
    }
  }

  private report(
    month: string,
    reason: string,
    read: number,
    unverified: boolean,
    lost: string[] | null,
    keptAt: string | null,
  ): void {
    const file = shardPath(this.dir, month)
    if (lost && lost.length > 0) this.unreadable.set(month, lost.length)
    const lostText =
      lost === null
        ? 'Its index was unreadable too, so calls that could not be read cannot be named.'
        : lost.length === 0
          ? 'No call was lost.'
          : `${lost.length} call${lost.length === 1 ? '' : 's'} could not be read back.`
    this.logger.error('call store: damaged month set aside', { file, reason, read, lost })
    this.reporter.problem({
      id: `month-set-aside:${month}`,
      kind: 'month-set-aside',
      file,
      summary:
        `The call file of ${month} was damaged (${reason}). It was set aside and rebuilt from ` +
        `the ${read} calls still readable in it${unverified ? ' (no checksums to confirm them)' : ''}` +
        ` and from the journal. ${lostText}`,
      advice:
        lost !== null && lost.length === 0
          ? 'Nothing to do; the damaged file is kept for support. A disk that damages files may be failing: make a backup.'
          : 'Restore this month from a backup to get the unreadable calls back (see "Backups" in the README); the damaged file is kept for support.',
      lost: lost && lost.length > 0 ? { count: lost.length, ids: lost.slice(0, 50) } : null,
      keptAt,
    })
  }

  /** Marks a cold month as recently used and drops the least recently used beyond the cap. */
  private touch(month: string): void {
    const i = this.lru.indexOf(month)
    if (i >= 0) this.lru.splice(i, 1)
    this.lru.push(month)
    while (this.lru.length > this.coldCap) {
      const evicted = this.shards.get(this.lru.shift()!)
      if (evicted && !evicted.hot) evicted.full = null
    }
  }
}

const rowId = (r: CallRow): string => r.id

/** See {@link ShardSet.dayCounts}. */
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
