import { isDigits } from '../query'
import { type CallRow } from './callIndex'
import type { MonthNumbers } from './indexFile'

/**
 * Digit search over every phone number in the store (caller, agent, virtual number) and every
 * numeric call id: which rows have a number containing a digit fragment. Distinct numbers are far
 * fewer than calls (callers repeat, agents and virtual numbers repeat a lot), so a search walks
 * the distinct numbers, not the calls: they are kept in one newline-separated string searched
 * with `indexOf` (native, a few ms over hundreds of thousands of numbers), and each caller number
 * and numeric id keeps the rows that carry it.
 *
 * Agent and virtual numbers are listed without their rows: a handful of them carry most calls
 * each (tens of thousands of rows per agent, every call for a lone virtual number), so listing
 * their rows was two thirds of building the index (seconds at a million calls) for searches
 * that mostly fell back to scanning anyway (over the cap). A search that hits one of them gets
 * null, as over the cap: the caller scans the rows.
 *
 * Postings are append-only: a row whose numbers changed, or that left the store, stays listed
 * under its old number until the index is rebuilt, so callers verify each row they get back
 * (it must still be the live row of its id and still match).
 *
 * The months loaded at start-up are listed from their index files ({@link addMonths}): each
 * file already names its distinct callers and each row's caller by position, so each distinct
 * caller of a month is looked up once and the rows are counted and placed into one array of row
 * positions per number (typed arrays, no lookup per row). Listing them row by row cost over a second of CPU, and as much again in garbage
 * collection, at a million calls.
 */
export class NumberIndex {
  /** Every distinct number, each followed by '\n'. */
  private text = ''
  /**
   * Numbers added since `text` was last read, joined onto it at the next search (adding 200,000
   * numbers one `+=` at a time built a rope the collector had to walk: seconds at start-up).
   */
  private unjoined: string[] = []
  /** The length `text` will have once `unjoined` is joined onto it. */
  private textLength = 0
  /** Offset of each number's first character in `text`, ascending. */
  private readonly starts: number[] = []
  private readonly ids = new Map<string, number>()
  /** Rows of each number; null for a number listed without its rows (an agent's, a virtual). */
  private readonly postings: (CallRow[] | null)[] = []
  /** The rows listed by {@link addMonths}: number k's are `base[baseAt[k] .. baseAt[k + 1])`. */
  private base: CallRow[] = []
  private baseAt = new Int32Array(1)
  /** Positions in `base`, grouped by number. */
  private basePos = new Int32Array(0)

  /** Months given to {@link addMonth}, not yet sorted into `base` by {@link endMonths}. */
  private pending: { rows: readonly CallRow[]; of: Int32Array }[] = []

  /**
   * Lists the rows of months as loaded from their index files: `rows` in the file's order (the
   * order `numbers.callers` follows). Called once, before any other listing of these rows.
   */
  addMonths(months: readonly { rows: readonly CallRow[]; numbers: MonthNumbers }[]): void {
    this.beginMonths(months.map((m) => m.numbers.listed))
    for (const m of months) this.addMonth(m.rows, m.numbers)
    this.endMonths()
  }

  /**
   * {@link addMonths} in steps (one month per event-loop turn at start-up: done at once, it held
   * the loop for a second at a million calls): first every month's agents' and virtual numbers,
   * listed before any caller (a number that is one anywhere is searched by a scan).
   */
  beginMonths(listed: readonly (readonly string[])[]): void {
    if (this.base.length > 0) throw new Error('number index: months listed twice')
    for (const numbers of listed) for (const n of numbers) this.list(n)
  }

  /** One month's rows (see {@link beginMonths}); searchable once {@link endMonths} ran. */
  addMonth(rows: readonly CallRow[], numbers: MonthNumbers): void {
    const { nums, callers } = numbers
    const ids = new Int32Array(nums.length)
    for (let k = 0; k < nums.length; k++) {
      const id = this.ids.get(nums[k]!)
      ids[k] = id === undefined ? this.numberIndexOf(nums[k]!) : id
    }
    const of = new Int32Array(rows.length)
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!
      of[i] = ids[callers[i]!]!
      // A numeric call id is searchable too (rare: listed one by one).
      const c = row.id.charCodeAt(0)
      if (c >= 48 && c <= 57 && isDigits(row.id)) this.post(row.id, row)
    }
    this.pending.push({ rows, of })
  }

  /** Sorts the rows of the months added into one array per number (see {@link beginMonths}). */
  endMonths(): void {
    const total = this.pending.reduce((a, m) => a + m.rows.length, 0)
    const base = new Array<CallRow>(total)
    const of = new Int32Array(total)
    let at = 0
    for (const m of this.pending) {
      of.set(m.of, at)
      for (let i = 0; i < m.rows.length; i++) base[at++] = m.rows[i]!
    }
    this.pending = []
    // Counting sort of the rows by number (a number listed without rows keeps none).
    const count = this.starts.length
    const baseAt = new Int32Array(count + 1)
    for (let i = 0; i < total; i++) if (this.postings[of[i]!]) baseAt[of[i]! + 1]!++
    for (let k = 0; k < count; k++) baseAt[k + 1]! += baseAt[k]!
    const fill = baseAt.slice(0, count)
    const pos = new Int32Array(baseAt[count]!)
    for (let i = 0; i < total; i++) if (this.postings[of[i]!]) pos[fill[of[i]!]!++] = i
    this.base = base
    this.baseAt = baseAt
    this.basePos = pos
  }

  /** A new number with (empty) postings; returns its position. */
  private numberIndexOf(number: string): number {
    this.number(number, [])
    return this.starts.length - 1
  }

  /** Rows of number `k` listed by {@link addMonths}, appended to `out`. */
  private baseRows(k: number, out: CallRow[]): CallRow[] {
    if (k + 1 >= this.baseAt.length) return out
    for (let p = this.baseAt[k]!; p < this.baseAt[k + 1]!; p++)
      out.push(this.base[this.basePos[p]!]!)
    return out
  }

  /** How many rows {@link addMonths} listed under number `k`. */
  private baseCount(k: number): number {
    return k + 1 < this.baseAt.length ? this.baseAt[k + 1]! - this.baseAt[k]! : 0
  }

  /** Lists `row` under each of its numbers; `before` (its previous state) skips unchanged ones. */
  add(row: CallRow, before?: NumberFields): void {
    if (row.caller !== before?.caller) this.post(row.caller, row)
    if (row.agent !== null && row.agent !== before?.agent) this.list(row.agent)
    if (row.virtual !== null && row.virtual !== before?.virtual) this.list(row.virtual)
    if (!before && isDigits(row.id)) this.post(row.id, row)
  }

  /**
   * Rows listed under exactly `number` (unverified, in no particular order): a caller's or a
   * numeric id's (an agent's or virtual number's rows are not listed: null).
   */
  rowsOf(number: string): readonly CallRow[] | null {
    const id = this.ids.get(number)
    if (id === undefined) return []
    const list = this.postings[id]!
    return list && this.baseRows(id, [...list])
  }

  /**
   * Rows listed under any number containing `digits` (unverified; a row may appear more than
   * once), or null when they would be more than `cap` (the caller scans instead).
   */
  rowsContaining(digits: string, cap: number): CallRow[] | null {
    const lists: CallRow[] = []
    let count = 0
    if (this.unjoined.length > 0) {
      this.text += this.unjoined.join('\n') + '\n'
      this.unjoined = []
    }
    const text = this.text
    let from = 0
    for (;;) {
      const at = text.indexOf(digits, from)
      if (at < 0) break
      const k = this.numberAt(at)
      const list = this.postings[k]
      // An agent's or virtual number: its rows are found by scanning.
      if (!list) return null
      count += list.length + this.baseCount(k)
      if (count > cap) return null
      for (const r of list) lists.push(r)
      this.baseRows(k, lists)
      // The next match, if any, is in a later number.
      from = k + 1 < this.starts.length ? this.starts[k + 1]! : text.length
    }
    return lists
  }

  /** Lists `number` for searches without its rows (see the class comment). */
  private list(number: string): void {
    if (!this.ids.has(number)) this.number(number, null)
  }

  get numberCount(): number {
    return this.starts.length
  }

  private post(number: string, row: CallRow): void {
    const id = this.ids.get(number)
    // A caller's number listed without rows (it is an agent's too) stays so: found by a scan.
    const list = id === undefined ? this.number(number, [])! : this.postings[id]
    if (list) list.push(row)
  }

  /** Adds a distinct number with its postings (or null: listed without rows); returns them. */
  private number(number: string, postings: CallRow[] | null): CallRow[] | null {
    this.ids.set(number, this.starts.length)
    this.starts.push(this.textLength)
    // '\n' never occurs in a digit fragment, so no match can span two numbers.
    this.unjoined.push(number)
    this.textLength += number.length + 1
    this.postings.push(postings)
    return postings
  }

  /** The number whose text holds offset `at` (binary search over `starts`). */
  private numberAt(at: number): number {
    let lo = 0
    let hi = this.starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1
      if (this.starts[mid]! <= at) lo = mid
      else hi = mid - 1
    }
    return lo
  }
}

export type NumberFields = Pick<CallRow, 'caller' | 'agent' | 'virtual'>
