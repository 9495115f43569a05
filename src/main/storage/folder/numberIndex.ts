import { isDigits } from '../query'
import { type CallRow } from './callIndex'
import type { MonthColumns } from './monthColumns'

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
 * The months loaded at start-up are listed from their index files' columns ({@link addColumns}),
 * each month on its own: its distinct callers as one text searched like the one above, and its
 * rows counted and placed into one array of row positions per caller (typed arrays). No caller
 * number is looked up or hashed and no row object is made: a hit's rows are made when returned.
 * (One shared table of every number cost ~0.9 s of CPU at a million calls, most of it hashing
 * the ~900,000 caller strings of the months; and a search walks ~25 texts instead of one,
 * a few ms more.)
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
  /** The months listed from their columns (see {@link addColumns}). */
  private readonly months: LoadedMonth[] = []

  /** Lists numbers for searches without their rows: an agent's and virtual numbers. */
  listNumbers(numbers: Iterable<string>): void {
    for (const n of numbers) this.list(n)
  }

  /**
   * Lists a month's rows as loaded from its index file, by its callers (see the class comment).
   * The month's agent and virtual numbers are given to {@link listNumbers} first (at start-up,
   * every month's: a number that is an agent's anywhere is searched by a scan).
   */
  addColumns(cols: MonthColumns): void {
    const { n, caller, numCount } = cols
    // Counting sort of the rows by caller.
    const at = new Int32Array(numCount + 1)
    for (let i = 0; i < n; i++) at[caller[i]! + 1]!++
    for (let k = 0; k < numCount; k++) at[k + 1]! += at[k]!
    const fill = at.slice(0, numCount)
    const pos = new Int32Array(n)
    for (let i = 0; i < n; i++) pos[fill[caller[i]!]!++] = i
    this.months.push({ cols, at, pos })
    // A numeric call id is searchable too (rare: listed one by one).
    for (let i = 0; i < n; i++) if (cols.idIsDigits(i)) this.post(cols.idAt(i), cols.row(i))
  }

  /** Rows of the month's caller `k`, appended to `out`. */
  private monthRows(m: LoadedMonth, k: number, out: CallRow[]): CallRow[] {
    for (let p = m.at[k]!; p < m.at[k + 1]!; p++) out.push(m.cols.row(m.pos[p]!))
    return out
  }

  /** Whether `number` is listed without rows (an agent's or a virtual number: scanned). */
  private unlisted(number: string): boolean {
    const id = this.ids.get(number)
    return id !== undefined && this.postings[id] === null
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
    const list = id === undefined ? [] : this.postings[id]!
    if (!list) return null
    const out = [...list]
    if (number.includes('\n')) return out
    const line = number + '\n'
    for (const m of this.months) {
      // The callers' text is one caller a line: a match at 0 or after a '\n' is a whole caller.
      const text = m.cols.numsText
      const at = text.startsWith(line) ? 0 : text.indexOf('\n' + line) + 1
      if (at === 0 && !text.startsWith(line)) continue
      this.monthRows(m, numberAt(m.cols.numStart, at), out)
    }
    return out
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
      const k = numberAt(this.starts, at)
      const list = this.postings[k]
      // An agent's or virtual number: its rows are found by scanning.
      if (!list) return null
      count += list.length
      if (count > cap) return null
      for (const r of list) lists.push(r)
      // The next match, if any, is in a later number.
      from = k + 1 < this.starts.length ? this.starts[k + 1]! : text.length
    }
    for (const m of this.months) {
      from = 0
      const { numsText, numStart } = m.cols
      for (;;) {
        const at = numsText.indexOf(digits, from)
        if (at < 0) break
        const k = numberAt(numStart, at)
        if (this.unlisted(m.cols.numAt(k))) return null
        count += m.at[k + 1]! - m.at[k]!
        if (count > cap) return null
        this.monthRows(m, k, lists)
        from = numStart[k + 1]!
      }
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
}

/** The number whose text holds offset `at`: the last k with starts[k] <= at (binary search). */
function numberAt(starts: ArrayLike<number>, at: number): number {
  let lo = 0
  let hi = starts.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1
    if (starts[mid]! <= at) lo = mid
    else hi = mid - 1
  }
  return lo
}

/** A month listed from its columns: its caller k has rows `pos[at[k] .. at[k + 1])`. */
interface LoadedMonth {
  cols: MonthColumns
  at: Int32Array
  /** Row positions in the month's file, grouped by caller. */
  pos: Int32Array
}

export type NumberFields = Pick<CallRow, 'caller' | 'agent' | 'virtual'>
