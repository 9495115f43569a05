import { isDigits } from '../query'
import { type CallRow } from './callIndex'

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
 */
export class NumberIndex {
  /** Every distinct number, each followed by '\n'. */
  private text = ''
  /** Offset of each number's first character in `text`, ascending. */
  private readonly starts: number[] = []
  private readonly ids = new Map<string, number>()
  /** Rows of each number; null for a number listed without its rows (an agent's, a virtual). */
  private readonly postings: (CallRow[] | null)[] = []

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
    return id === undefined ? [] : this.postings[id]!
  }

  /**
   * Rows listed under any number containing `digits` (unverified; a row may appear more than
   * once), or null when they would be more than `cap` (the caller scans instead).
   */
  rowsContaining(digits: string, cap: number): CallRow[] | null {
    const lists: CallRow[][] = []
    let count = 0
    const text = this.text
    let from = 0
    for (;;) {
      const at = text.indexOf(digits, from)
      if (at < 0) break
      const k = this.numberAt(at)
      const list = this.postings[k]
      // An agent's or virtual number: its rows are found by scanning.
      if (!list) return null
      count += list.length
      if (count > cap) return null
      lists.push(list)
      // The next match, if any, is in a later number.
      from = k + 1 < this.starts.length ? this.starts[k + 1]! : text.length
    }
    return lists.flat()
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
    this.starts.push(this.text.length)
    // '\n' never occurs in a digit fragment, so no match can span two numbers.
    this.text += number + '\n'
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
