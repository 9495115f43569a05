import { isAscii } from 'node:buffer'
import type { CallRow } from './callIndex'
import { hashRange } from './idTable'

/**
 * One month's rows as its index file (version 3 or 4) holds them: typed-array columns viewed over
 * the file's bytes, the ids (version 4: their bytes, and each one's hash), the dictionary, and the
 * month's callers as one text. Start-up keeps every month this way and makes a row object only when something asks
 * for that row ({@link row}: a lookup by id, a number search's hit) or for the whole month
 * ({@link rows}: a scan, a push into it, a checkpoint); each row is made once and kept, so the
 * same call is always the same object, whichever way it was reached.
 *
 * Why: making a million row objects at every start (plus an id string and a boxed start time
 * each) was most of the start-up's CPU and of its garbage collection, for rows most sessions
 * never look at.
 */
export class MonthColumns {
  readonly month: string
  readonly n: number
  /** Position among the month's callers (see {@link numAt}) of each row's caller. */
  readonly caller: Uint32Array
  /** The month's distinct callers, each followed by '\n' (see {@link numStart}). */
  readonly numsText: string
  /** Where caller k starts in {@link numsText} (and, at k = count, its length). */
  readonly numStart: Uint32Array
  private readonly c: ColumnsOf
  /** The rows made so far, by position in the file. */
  private readonly made: (CallRow | undefined)[]
  /** How many of {@link made} are filled. */
  private madeCount = 0
  /** Callers made into strings so far (by position among the month's callers). */
  private callers: (string | undefined)[] | null = null
  /** The ids as one string and where each starts in it, once one was asked for. */
  private idText: { text: string; start: Uint32Array } | null = null
  private fields: ColumnRow | null = null

  constructor(c: ColumnsOf) {
    this.c = c
    this.month = c.month
    this.n = c.n
    this.caller = c.caller
    this.numsText = c.numsText
    this.numStart = c.numStart
    this.made = new Array<CallRow | undefined>(c.n)
  }

  /** How many distinct callers the month has. */
  get numCount(): number {
    return this.numStart.length - 1
  }

  /** Caller `k` of the month (one string per caller, kept). */
  numAt(k: number): string {
    const callers = (this.callers ??= new Array<string | undefined>(this.numCount))
    return (callers[k] ??= this.numsText.slice(this.numStart[k]!, this.numStart[k + 1]! - 1))
  }

  /** The row made at position `i`, if it was made. */
  madeAt(i: number): CallRow | undefined {
    return this.made[i]
  }

  /**
   * The fields of the row at `i` without making it: one view per month, moved by each call (so
   * valid until the next). For scans that read fields and keep nothing (counts, summaries,
   * filters); what is kept must be {@link row}. A row already made may have changed since the
   * file was read: read it instead ({@link madeAt}).
   */
  fieldsAt(i: number): ColumnRow {
    const view = (this.fields ??= new ColumnRow(this))
    view.i = i
    return view
  }

  /** startedAt of row `i`. */
  tAt(i: number): number {
    return this.c.t0 + this.c.t[i]!
  }

  /** The first position whose startedAt is `ms` or later (the rows are in order). */
  firstAtOrAfter(ms: number): number {
    const t = this.c.t
    const rel = ms - this.c.t0
    let a = 0
    let b = this.n
    while (a < b) {
      const mid = (a + b) >>> 1
      if (t[mid]! < rel) a = mid + 1
      else b = mid
    }
    return a
  }

  /** Status (0 ANSWER, 1 MISSED, 2 DROPPED) of row `i`. */
  sAt(i: number): number {
    return Math.floor(this.c.sh[i]! / 24)
  }

  /** Local hour of row `i`. */
  hAt(i: number): number {
    return this.c.sh[i]! % 24
  }

  callerAt(i: number): string {
    return this.numAt(this.c.caller[i]!)
  }

  agentAt(i: number): string | null {
    return this.ref(i)
  }

  virtualAt(i: number): string | null {
    return this.ref(this.n + i)
  }

  deptAt(i: number): string | null {
    return this.ref(2 * this.n + i)
  }

  circleAt(i: number): string | null {
    return this.ref(3 * this.n + i)
  }

  ivrAt(i: number): number | null {
    const v = this.c.ivr[i]!
    return v < 0 ? null : v
  }

  talkAt(i: number): number | null {
    const v = this.c.talk[i]!
    return v < 0 ? null : v
  }

  /** The row at file position `i`, made on first use and the same object every time after. */
  row(i: number): CallRow {
    const made = this.made[i]
    if (made) return made
    const c = this.c
    const o = c.off[i]!
    const r: CallRow = {
      id: this.idAt(i),
      t: this.tAt(i),
      s: this.sAt(i),
      m: this.month,
      h: this.hAt(i),
      caller: this.callerAt(i),
      agent: this.agentAt(i),
      virtual: this.virtualAt(i),
      dept: this.deptAt(i),
      circle: this.circleAt(i),
      ivr: this.ivrAt(i),
      talk: this.talkAt(i),
      revision: c.revision[i]!,
      off: o === 0xffffffff ? -1 : o,
      len: o === 0xffffffff ? -1 : c.len[i]!,
    }
    this.made[i] = r
    this.madeCount++
    return r
  }

  /** Every row, in the file's order (made now where not made yet). */
  rows(): CallRow[] {
    const out = new Array<CallRow>(this.n)
    for (let i = 0; i < this.n; i++) out[i] = this.row(i)
    return out
  }

  /** How many rows have been made (for tests). */
  get rowsMade(): number {
    return this.madeCount
  }

  private ref(k: number): string | null {
    const v = this.c.refs[k]!
    return v === this.c.none ? null : (this.c.dict[v] ?? null)
  }

  /**
   * The id of row `i` (a new string; {@link idIs} compares without making one). The month's ids
   * are decoded whole the first time (one call instead of one per row).
   */
  idAt(i: number): string {
    const { text, start } = (this.idText ??= this.decodeIds())
    return text.slice(start[i]!, start[i + 1]!)
  }

  /**
   * The id of row `i` read on its own (the month's ids not decoded whole: for a single id, e.g.
   * the id map comparing two ids of the same hash while it fills in at start-up).
   */
  idAlone(i: number): string {
    const { ids, idStart } = this.c
    if (this.idText || typeof ids === 'string') return this.idAt(i)
    return ids.toString('utf8', idStart[i]!, idStart[i + 1]!)
  }

  private decodeIds(): { text: string; start: Uint32Array } {
    const { ids, idStart, n } = this.c
    if (typeof ids === 'string') return { text: ids, start: idStart }
    // All ASCII (the usual case): byte offsets are string offsets.
    const text = textOf(ids)
    if (text.length === ids.length) return { text, start: idStart }
    const start = new Uint32Array(n + 1)
    for (let i = 0; i < n; i++)
      start[i + 1] = start[i]! + ids.toString('utf8', idStart[i]!, idStart[i + 1]!).length
    return { text, start }
  }

  /** Whether row `i`'s id is `id`. */
  idIs(i: number, id: string): boolean {
    const { ids, idStart } = this.c
    const from = idStart[i]!
    const length = idStart[i + 1]! - from
    if (typeof ids === 'string') return length === id.length && ids.startsWith(id, from)
    // UTF-8 bytes: an id of n UTF-16 units takes n to 3n bytes; ASCII ones are compared in place.
    if (length < id.length || length > 3 * id.length) return false
    if (length === id.length) {
      let k = 0
      while (k < length && id.charCodeAt(k) === ids[from + k]! && ids[from + k]! < 0x80) k++
      if (k === length) return true
      if (id.charCodeAt(k) < 0x80 && ids[from + k]! < 0x80) return false
    }
    return ids.toString('utf8', from, from + length) === id
  }

  /** {@link hashId} of row `i`'s id (stored in version 4; computed over the ids' text before). */
  hashAt(i: number): number {
    const { hash, ids, idStart } = this.c
    if (hash) return hash[i]! | 0
    return hashRange(ids as string, idStart[i]!, idStart[i + 1]!)
  }

  /** The rows whose id is all ASCII digits (numeric call ids, which are searchable). */
  numericIds(): number[] {
    const out: number[] = []
    const { ids, idStart } = this.c
    for (let i = 0; i < this.n; i++) {
      const c = typeof ids === 'string' ? ids.charCodeAt(idStart[i]!) : ids[idStart[i]!]!
      if (c >= 48 && c <= 57 && this.idIsDigits(i)) out.push(i)
    }
    return out
  }

  /** Whether the id of row `i` is all ASCII digits (a numeric call id, which is searchable). */
  idIsDigits(i: number): boolean {
    const { ids, idStart } = this.c
    const from = idStart[i]!
    const to = idStart[i + 1]!
    if (to === from) return false
    for (let k = from; k < to; k++) {
      const c = typeof ids === 'string' ? ids.charCodeAt(k) : ids[k]!
      if (c < 48 || c > 57) return false
    }
    return true
  }

  /** Whether the rows are in ascending (startedAt, id) order, as months are written. */
  isSorted(): boolean {
    const t = this.c.t
    for (let i = 1; i < this.n; i++) {
      const a = t[i - 1]!
      const b = t[i]!
      if (a < b) continue
      if (a > b || !this.idBefore(i - 1, i)) return false
    }
    return true
  }

  /**
   * Whether row `i`'s id sorts before row `j`'s (as strings compare). ASCII ids are compared
   * in their bytes (start-up checks the order of every month: no id string made for a tie).
   */
  private idBefore(i: number, j: number): boolean {
    const { ids, idStart } = this.c
    if (typeof ids !== 'string') {
      const a = idStart[i]!
      const b = idStart[j]!
      const la = idStart[i + 1]! - a
      const lb = idStart[j + 1]! - b
      for (let k = 0; ; k++) {
        if (k === la || k === lb) return la < lb
        const x = ids[a + k]!
        const y = ids[b + k]!
        if (x >= 0x80 || y >= 0x80) break
        if (x !== y) return x < y
      }
    }
    return this.idAt(i) < this.idAt(j)
  }

  /** The agent and virtual numbers the month's rows use (each once). */
  agentAndVirtualNumbers(): string[] {
    const { dict, refs, none } = this.c
    const used = new Uint8Array(dict.length)
    for (let k = 0; k < 2 * this.n; k++) {
      const v = refs[k]!
      if (v !== none && v < used.length) used[v] = 1
    }
    return dict.filter((_, k) => used[k] === 1)
  }
}

/**
 * The fields of one row read from its month's columns, without making the row (see
 * {@link MonthColumns.fieldsAt}).
 */
/** The fields of a row a scan reads (a row, or a {@link ColumnRow} view of one). */
export type RowFields = Readonly<Omit<CallRow, 'revision' | 'off' | 'len'>>

export class ColumnRow implements RowFields {
  i = 0
  constructor(readonly cols: MonthColumns) {}
  get id(): string {
    return this.cols.idAt(this.i)
  }
  get t(): number {
    return this.cols.tAt(this.i)
  }
  get s(): number {
    return this.cols.sAt(this.i)
  }
  get h(): number {
    return this.cols.hAt(this.i)
  }
  get m(): string {
    return this.cols.month
  }
  get caller(): string {
    return this.cols.callerAt(this.i)
  }
  get agent(): string | null {
    return this.cols.agentAt(this.i)
  }
  get virtual(): string | null {
    return this.cols.virtualAt(this.i)
  }
  get dept(): string | null {
    return this.cols.deptAt(this.i)
  }
  get circle(): string | null {
    return this.cols.circleAt(this.i)
  }
  get ivr(): number | null {
    return this.cols.ivrAt(this.i)
  }
  get talk(): number | null {
    return this.cols.talkAt(this.i)
  }
}

/** The row `r` is (a scan's view of a row not made yet: that row, made now). */
export function keepRow(r: RowFields): CallRow {
  return r instanceof ColumnRow ? r.cols.row(r.i) : (r as CallRow)
}

/** What {@link MonthColumns} is made of (see the index layout in indexFile.ts). */
export interface ColumnsOf {
  month: string
  n: number
  /** startedAt of each row, ms after t0. */
  t0: number
  t: Uint32Array
  /** Byte range in the month document (off 0xFFFFFFFF: not known). */
  off: Uint32Array
  len: Uint32Array
  revision: Uint32Array
  caller: Uint32Array
  ivr: Int32Array
  talk: Int32Array
  /** Agent, virtual, department and circle positions in `dict`, each a run of n (`none`: null). */
  refs: Uint16Array | Uint32Array
  none: number
  dict: readonly string[]
  /** status * 24 + local hour. */
  sh: Uint8Array
  /**
   * The ids: one string (version 3; `idStart` in UTF-16 units) or their UTF-8 bytes (version 4;
   * `idStart` in bytes). `idStart` has n + 1 entries (the last is the end).
   */
  ids: string | Buffer
  idStart: Uint32Array
  /** {@link hashId} of each id (version 4), or null. */
  hash: Uint32Array | null
  numsText: string
  numStart: Uint32Array
}

/**
 * Makes `holder.rows` (a month's row array) come from `cols` on first read: until then no row
 * object exists. Reading it makes every row (see {@link MonthColumns.rows}) and turns it into a
 * plain property again; so does assigning it.
 */
export function rowsFromColumns(holder: { rows: CallRow[] }, cols: MonthColumns): void {
  const settle = (rows: CallRow[]): CallRow[] => {
    Object.defineProperty(holder, 'rows', {
      value: rows,
      writable: true,
      enumerable: true,
      configurable: true,
    })
    return rows
  }
  Object.defineProperty(holder, 'rows', {
    get: () => settle(cols.rows()),
    set: settle,
    enumerable: true,
    configurable: true,
  })
}

/** Whether `holder.rows` has not been read or replaced since {@link rowsFromColumns}. */
export function rowsUnread(holder: { rows: CallRow[] }): boolean {
  return typeof Object.getOwnPropertyDescriptor(holder, 'rows')?.get === 'function'
}

/** The UTF-8 text of `bytes`; ASCII (the usual case) decoded as such, many times faster. */
export function textOf(bytes: Buffer): string {
  return bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8')
}
