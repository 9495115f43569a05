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
 * The months loaded at start-up are listed from their index files' columns ({@link addColumns}):
 * each distinct caller of a month is looked up once, by a numeric key read straight from the
 * month's callers' text (a phone number's digits, see {@link numberKey}: no string made or
 * hashed), and the rows are counted and placed into one array of (month, position) per number
 * ({@link endColumns}: typed arrays, no row object made; a hit's rows are made when returned).
 * Hashing the ~900,000 per-month caller strings into a Map cost ~0.7 s of CPU at a million calls.
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
  /** Numbers by {@link numberKey}; those that have none by their text. */
  private readonly keyed = new KeyTable()
  private readonly ids = new Map<string, number>()
  /**
   * Rows of each number besides those listed from the months' columns (undefined: none yet);
   * null for a number listed without its rows (an agent's, a virtual).
   */
  private readonly postings: (CallRow[] | null | undefined)[] = []

  /** The months listed by {@link addColumns}, by position. */
  private baseMonths: MonthColumns[] = []
  /** Rows of number k: months `baseMonth[p]`, positions `basePos[p]`, p in baseAt[k]..[k + 1]. */
  private baseAt = new Int32Array(1)
  private baseMonth = new Int32Array(0)
  private basePos = new Int32Array(0)
  /** Months given to {@link addColumns}, not yet sorted in by {@link endColumns}. */
  private pending: { cols: MonthColumns; of: Int32Array }[] = []

  /** Makes room for `count` more distinct numbers (start-up: no growth while listing). */
  reserve(count: number): void {
    this.keyed.reserve(count)
  }

  /** Lists numbers for searches without their rows: an agent's and virtual numbers. */
  listNumbers(numbers: Iterable<string>): void {
    for (const n of numbers) this.list(n)
  }

  /**
   * Lists a month's rows as loaded from its index file (see the class comment); searchable once
   * {@link endColumns} ran. The agent and virtual numbers of every month loaded are given to
   * {@link listNumbers} first (a number that is an agent's anywhere is searched by a scan).
   */
  addColumns(cols: MonthColumns): void {
    if (this.baseMonths.length > 0) throw new Error('number index: months listed twice')
    const { numsText, numStart, numCount, caller, n } = cols
    const idOf = new Int32Array(numCount)
    for (let k = 0; k < numCount; k++) {
      const key = numberKey(numsText, numStart[k]!, numStart[k + 1]! - 1)
      let id = key > 0 ? this.keyed.get(key) : this.ids.get(cols.numAt(k))
      if (id === undefined) id = this.number(cols.numAt(k), undefined, key)
      idOf[k] = id
    }
    const of = new Int32Array(n)
    for (let i = 0; i < n; i++) of[i] = idOf[caller[i]!]!
    this.pending.push({ cols, of })
    // A numeric call id is searchable too (rare: listed one by one).
    for (const i of cols.numericIds()) this.post(cols.idAt(i), cols.row(i))
  }

  /** Sorts the rows of the months added into one run per number (see {@link addColumns}). */
  endColumns(): void {
    if (this.baseMonths.length > 0) throw new Error('number index: months listed twice')
    const months = this.pending
    this.pending = []
    const count = this.starts.length
    // Counting sort of the rows by number (a number listed without rows keeps none).
    const baseAt = new Int32Array(count + 1)
    for (const m of months)
      for (let i = 0; i < m.of.length; i++)
        if (this.postings[m.of[i]!] !== null) baseAt[m.of[i]! + 1]!++
    for (let k = 0; k < count; k++) baseAt[k + 1]! += baseAt[k]!
    const fill = baseAt.slice(0, count)
    const baseMonth = new Int32Array(baseAt[count]!)
    const basePos = new Int32Array(baseAt[count]!)
    months.forEach((m, slot) => {
      for (let i = 0; i < m.of.length; i++) {
        const k = m.of[i]!
        if (this.postings[k] === null) continue
        const p = fill[k]!++
        baseMonth[p] = slot
        basePos[p] = i
      }
    })
    this.baseMonths = months.map((m) => m.cols)
    this.baseAt = baseAt
    this.baseMonth = baseMonth
    this.basePos = basePos
  }

  /** The position of `number`, if listed. */
  private idOf(number: string): number | undefined {
    const key = numberKey(number, 0, number.length)
    return key > 0 ? this.keyed.get(key) : this.ids.get(number)
  }

  /** Rows of number `k` listed by {@link addColumns}, appended to `out`. */
  private baseRows(k: number, out: CallRow[]): CallRow[] {
    if (k + 1 >= this.baseAt.length) return out
    for (let p = this.baseAt[k]!; p < this.baseAt[k + 1]!; p++)
      out.push(this.baseMonths[this.baseMonth[p]!]!.row(this.basePos[p]!))
    return out
  }

  /** How many rows {@link addColumns} listed under number `k`. */
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
    const id = this.idOf(number)
    if (id === undefined) return []
    const list = this.postings[id]
    return list === null ? null : this.baseRows(id, list ? [...list] : [])
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
      if (list === null) return null
      count += (list?.length ?? 0) + this.baseCount(k)
      if (count > cap) return null
      if (list) for (const r of list) lists.push(r)
      this.baseRows(k, lists)
      // The next match, if any, is in a later number.
      from = k + 1 < this.starts.length ? this.starts[k + 1]! : text.length
    }
    return lists
  }

  /** Lists `number` for searches without its rows (see the class comment). */
  private list(number: string): void {
    if (this.idOf(number) === undefined) this.number(number, null)
  }

  get numberCount(): number {
    return this.starts.length
  }

  private post(number: string, row: CallRow): void {
    const id = this.idOf(number)
    if (id === undefined) return void this.number(number, [row])
    const list = this.postings[id]
    // A caller's number listed without rows (it is an agent's too) stays so: found by a scan.
    if (list) list.push(row)
    else if (list === undefined) this.postings[id] = [row]
  }

  /**
   * Adds a distinct number with its postings (null: listed without rows; `key`: its
   * {@link numberKey} when known); returns its position.
   */
  private number(
    number: string,
    postings: CallRow[] | null | undefined,
    key = numberKey(number, 0, number.length),
  ): number {
    if (key > 0) this.keyed.set(key, this.starts.length)
    else this.ids.set(number, this.starts.length)
    this.starts.push(this.textLength)
    // '\n' never occurs in a digit fragment, so no match can span two numbers.
    this.unjoined.push(number)
    this.textLength += number.length + 1
    return this.postings.push(postings) - 1
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

/**
 * A number key for `text.slice(from, to)` when it is an optional '+' and 1 to 14 ASCII digits
 * (every phone number as stored): the digits' value, their count and the '+', packed into one
 * exact double (below 2^53), so two texts have the same key exactly when they are the same text.
 * 0 for any other text (listed by its text instead).
 */
export function numberKey(text: string, from: number, to: number): number {
  let i = from
  const plus = i < to && text.charCodeAt(i) === 43 ? 1 : 0
  i += plus
  const digits = to - i
  if (digits < 1 || digits > 14) return 0
  let v = 0
  for (; i < to; i++) {
    const c = text.charCodeAt(i) - 48
    if (c < 0 || c > 9) return 0
    v = v * 10 + c
  }
  return (v * 16 + digits) * 2 + plus
}

/** Positive double keys to positions: open addressing over typed arrays (0: empty). */
class KeyTable {
  private keys = new Float64Array(1024)
  private vals = new Int32Array(1024)
  private count = 0

  reserve(count: number): void {
    while ((this.count + count) * 2 > this.keys.length) this.grow()
  }

  get(key: number): number | undefined {
    const mask = this.keys.length - 1
    for (let i = slotOf(key, mask); ; i = (i + 1) & mask) {
      const k = this.keys[i]!
      if (k === key) return this.vals[i]!
      if (k === 0) return undefined
    }
  }

  set(key: number, val: number): void {
    if ((this.count + 1) * 2 > this.keys.length) this.grow()
    const mask = this.keys.length - 1
    let i = slotOf(key, mask)
    while (this.keys[i] !== 0 && this.keys[i] !== key) i = (i + 1) & mask
    if (this.keys[i] === 0) this.count++
    this.keys[i] = key
    this.vals[i] = val
  }

  private grow(): void {
    const { keys, vals } = this
    this.keys = new Float64Array(keys.length * 2)
    this.vals = new Int32Array(keys.length * 2)
    const mask = this.keys.length - 1
    for (let s = 0; s < keys.length; s++) {
      const key = keys[s]!
      if (key === 0) continue
      let i = slotOf(key, mask)
      while (this.keys[i] !== 0) i = (i + 1) & mask
      this.keys[i] = key
      this.vals[i] = vals[s]!
    }
  }
}

/** Home slot of a key: its low and high 32 bits mixed (murmur3's finaliser). */
function slotOf(key: number, mask: number): number {
  let h = (key >>> 0) ^ Math.imul(Math.floor(key / 4294967296), 0x9e3779b1)
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return (h ^ (h >>> 16)) & mask
}
