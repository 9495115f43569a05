import { isAscii } from 'node:buffer'
import { crc32 } from 'node:zlib'
import type { CallRow } from './callIndex'
import { MonthColumns, textOf } from './monthColumns'
import { hashAsciiBytes, hashId } from './idTable'

/**
 * The binary, columnar index of one month (`shards/YYYY-MM.idx`): what start-up loads instead of
 * the month's document. One read per month and no JSON of a million numbers: numeric columns are
 * typed arrays viewed straight over the file's bytes, and start-up keeps them so (see
 * MonthColumns: a row object is made only when a row is used).
 *
 * Layout of version 4, little-endian (43 bytes a row besides its id):
 *
 *   0   'IVRX'            magic
 *   4   u32 version       4
 *   8   u32 crc32         of every byte from offset 12 to the end (a torn or corrupt file is
 *                         refused, and the month index is rebuilt from its document)
 *   12  u32 n             rows
 *   16  u32 headerBytes   length of the UTF-8 JSON header
 *                         { month, t0, wide, dict, numCount, numsBytes }
 *   20  header, zero-padded to a multiple of 8
 *       u32 t[n]          startedAt, ms after t0 (a month spans less than 2^32 ms)
 *       u32 off[n]        byte offset in the month document (0xFFFFFFFF: not known)
 *       u32 len[n]        byte length           u32 revision[n]
 *       u32 caller[n]     position among the month's callers
 *       i32 ivr[n], talk[n] (-1 null)
 *       u16 agent/virtual/dept/circle[n]: position in `dict` (0xFFFF null); u32 when `wide`
 *       u32 hash[n]       the id's hash as the id map computes it (idTable.ts hashId: FNV-1a over
 *                         its UTF-16 units, murmur3's finaliser), so start-up hashes no id
 *       u16 idBytes[n]    UTF-8 length of the id
 *       u8  sh[n]         status * 24 + local hour
 *       then, zero-padded to a multiple of 8, the callers (numCount of them, numsBytes bytes):
 *       UTF-8, each followed by '\n' (what the number search searches, as it is)
 *       then, zero-padded to a multiple of 8, the UTF-8 text of every id, concatenated
 *
 * Version 3 (written before, still read; rewritten as 4 once the store has settled) has no hash
 * and no callers' text: the header holds `nums`, the distinct callers, as a JSON array, and
 * u16 idUnits[n] (the id's UTF-16 length) stands where idBytes is, the ids following the columns.
 *
 * A month that does not fit (a span of 2^32 ms or more, an id of 65,536 bytes, an offset past
 * 4 GiB, a caller holding a line break) is written in version 2, which is still read:
 *
 *   header { month, dict, nums } as above, then f64 t[n], f64 off[n] (-1: not known),
 *   u32 len[n], u32 revision[n], u32 idUnits[n], i32 caller[n], i32 agent/virtual/dept/circle[n]
 *   (-1 null), i32 ivr[n], talk[n], u8 s[n], u8 h[n], then the ids as above.
 */
const MAGIC = 0x58525649 // 'IVRX' read as a little-endian u32
/** The version written (see the layout above). */
export const INDEX_VERSION = 4
const FIXED = 20
const U32_NONE = 0xffffffff

interface Header {
  month: string
  /** Strings shared by agent, virtual number, department and circle. */
  dict: string[]
  /** Distinct caller numbers (versions 2 and 3). */
  nums?: string[]
  /** Version 4: how many distinct callers, and the bytes of their text (one per line). */
  numCount?: number
  numsBytes?: number
  /** Version 3: the instant `t` counts from, and whether dictionary positions take 32 bits. */
  t0?: number
  wide?: boolean
}

const pad8 = (n: number): number => (n + 7) & ~7
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0

/** The columns of one month's rows, shared by both versions' encoders. */
function columnsOf(rows: readonly CallRow[], ranges?: readonly { off: number; len: number }[]) {
  const n = rows.length
  const dict: string[] = []
  const dictPos = new Map<string, number>()
  const ref = (v: string | null): number => {
    if (v === null) return -1
    let i = dictPos.get(v)
    if (i === undefined) dictPos.set(v, (i = dict.push(v) - 1))
    return i
  }
  const nums: string[] = []
  const numPos = new Map<string, number>()
  const c = {
    n,
    dict,
    nums,
    t: new Float64Array(n),
    off: new Float64Array(n),
    len: new Uint32Array(n),
    revision: new Uint32Array(n),
    idUnits: new Uint32Array(n),
    caller: new Int32Array(n),
    agent: new Int32Array(n),
    virtual: new Int32Array(n),
    dept: new Int32Array(n),
    circle: new Int32Array(n),
    ivr: new Int32Array(n),
    talk: new Int32Array(n),
    s: new Uint8Array(n),
    h: new Uint8Array(n),
    ids: new Array<string>(n),
  }
  for (let i = 0; i < n; i++) {
    const r = rows[i]!
    c.t[i] = r.t
    const range = ranges ? ranges[i]! : r
    c.off[i] = range.off
    c.len[i] = Math.max(0, range.len)
    c.revision[i] = r.revision
    c.idUnits[i] = r.id.length
    c.ids[i] = r.id
    let k = numPos.get(r.caller)
    if (k === undefined) numPos.set(r.caller, (k = nums.push(r.caller) - 1))
    c.caller[i] = k
    c.agent[i] = ref(r.agent)
    c.virtual[i] = ref(r.virtual)
    c.dept[i] = ref(r.dept)
    c.circle[i] = ref(r.circle)
    c.ivr[i] = r.ivr ?? -1
    c.talk[i] = r.talk ?? -1
    c.s[i] = r.s
    c.h[i] = r.h
  }
  return c
}

type Columns = ReturnType<typeof columnsOf>

/** Header, columns, (version 4) the callers' text, and ids, checksummed, as one file. */
function assemble(
  version: number,
  head: object,
  columns: ArrayBufferView[],
  c: Columns,
  numsText: Buffer | null = null,
): Buffer {
  const headText = Buffer.from(JSON.stringify(head), 'utf8')
  const idText = Buffer.from(c.ids.join(''), 'utf8')
  const colBytes = columns.reduce((a, col) => a + col.byteLength, 0)
  const headEnd = pad8(FIXED + headText.length)
  const numsAt = pad8(headEnd + colBytes)
  const idsAt = numsText ? pad8(numsAt + numsText.length) : numsAt
  const buf = Buffer.alloc(idsAt + idText.length)
  numsText?.copy(buf, numsAt)
  buf.writeUInt32LE(MAGIC, 0)
  buf.writeUInt32LE(version, 4)
  buf.writeUInt32LE(c.n, 12)
  buf.writeUInt32LE(headText.length, 16)
  headText.copy(buf, FIXED)
  let at = headEnd
  for (const col of columns) {
    buf.set(new Uint8Array(col.buffer, col.byteOffset, col.byteLength), at)
    at += col.byteLength
  }
  idText.copy(buf, idsAt)
  buf.writeUInt32LE(crc32(buf.subarray(12)), 8)
  return buf
}

/**
 * Serialises the rows of one month (in the order given) to the binary index format (version 4
 * when the month fits it, else 2). `ranges`, when given, replaces each row's byte range (a
 * checkpoint writes the new ones without copying every row). `version` 3 is for tests of the
 * upgrade from it.
 */
export function encodeIndexBinary(
  month: string,
  rows: readonly CallRow[],
  ranges?: readonly { off: number; len: number }[],
  version: 3 | 4 = INDEX_VERSION,
): Buffer {
  const c = columnsOf(rows, ranges)
  let t0 = Infinity
  let t1 = -Infinity
  let fits = true
  const v4 = version === 4
  const idBytes = new Uint16Array(c.n)
  for (let i = 0; i < c.n && fits; i++) {
    t0 = Math.min(t0, c.t[i]!)
    t1 = Math.max(t1, c.t[i]!)
    const bytes = v4 ? Buffer.byteLength(c.ids[i]!) : c.idUnits[i]!
    idBytes[i] = bytes
    fits = bytes <= 0xffff && c.off[i]! < U32_NONE && Number.isInteger(c.t[i])
  }
  // A caller holding a line break cannot be a line of the callers' text.
  if (v4 && c.nums.some((num) => num.includes('\n'))) fits = false
  if (!fits || t1 - t0 >= U32_NONE) return encodeV2(month, c)
  if (c.n === 0) t0 = 0
  const wide = c.dict.length >= 0xffff
  const ref = wide ? new Uint32Array(c.n * 4) : new Uint16Array(c.n * 4)
  const none = wide ? U32_NONE : 0xffff
  const t = new Uint32Array(c.n)
  const off = new Uint32Array(c.n)
  const idUnits = new Uint16Array(c.n)
  const sh = new Uint8Array(c.n)
  const caller = new Uint32Array(c.n)
  for (let i = 0; i < c.n; i++) {
    t[i] = c.t[i]! - t0
    off[i] = c.off[i]! < 0 ? U32_NONE : c.off[i]!
    idUnits[i] = c.idUnits[i]!
    sh[i] = c.s[i]! * 24 + c.h[i]!
    caller[i] = c.caller[i]!
    const refs = [c.agent[i]!, c.virtual[i]!, c.dept[i]!, c.circle[i]!]
    for (let k = 0; k < 4; k++) ref[k * c.n + i] = refs[k]! < 0 ? none : refs[k]!
  }
  if (!v4) {
    const head: Header = { month, t0, wide, dict: c.dict, nums: c.nums }
    const columns = [t, off, c.len, c.revision, caller, c.ivr, c.talk, ref, idUnits, sh]
    return assemble(3, head, columns, c)
  }
  const hash = Uint32Array.from(c.ids, hashId)
  const numsText = Buffer.from(c.nums.map((num) => num + '\n').join(''), 'utf8')
  const head: Header = { month, t0, wide, dict: c.dict, numCount: c.nums.length }
  head.numsBytes = numsText.length
  const columns = [t, off, c.len, c.revision, caller, c.ivr, c.talk, ref, hash, idBytes, sh]
  return assemble(4, head, columns, c, numsText)
}

function encodeV2(month: string, c: Columns): Buffer {
  const head: Header = { month, dict: c.dict, nums: c.nums }
  const columns: ArrayBufferView[] = [c.t, c.off, c.len, c.revision, c.idUnits, c.caller]
  columns.push(c.agent, c.virtual, c.dept, c.circle, c.ivr, c.talk, c.s, c.h)
  return assemble(2, head, columns, c)
}

/** Bytes of the columns of `n` rows (after the padded header). */
function columnBytes(version: number, n: number, wide: boolean): number {
  if (version === 4) return n * (4 * 8 + (wide ? 16 : 8) + 2 + 1)
  return version === 3 ? n * (4 * 7 + (wide ? 16 : 8) + 2 + 1) : n * (8 + 8 + 4 * 10 + 2)
}

/** The header and where columns and ids start, or null when the bytes cannot hold them. */
function frame(buf: Buffer, month: string) {
  if (buf.length < FIXED || buf.readUInt32LE(0) !== MAGIC) return null
  const version = buf.readUInt32LE(4)
  if (version < 2 || version > 4) return null
  if (crc32(buf.subarray(12)) !== buf.readUInt32LE(8)) return null
  const n = buf.readUInt32LE(12)
  const headLen = buf.readUInt32LE(16)
  if (FIXED + headLen > buf.length) return null
  let head: Header
  try {
    head = JSON.parse(buf.toString('utf8', FIXED, FIXED + headLen)) as Header
  } catch {
    return null
  }
  if (head.month !== month || !Array.isArray(head.dict)) return null
  if (version < 4 ? !Array.isArray(head.nums) : !isCount(head.numCount) || !isCount(head.numsBytes))
    return null
  if (version >= 3 && typeof head.t0 !== 'number') return null
  const headEnd = pad8(FIXED + headLen)
  const numsAt = pad8(headEnd + columnBytes(version, n, head.wide === true))
  const idsAt = version === 4 ? pad8(numsAt + head.numsBytes!) : numsAt
  if (idsAt > buf.length) return null
  return { version, n, head, headEnd, numsAt, idsAt }
}

/**
 * The regions of an index file, by name, with the offset each starts at (for tests that damage
 * each of them), or null when the file is not an intact index of `month`.
 */
export function indexRegions(buf: Buffer, month?: string): { name: string; at: number }[] {
  const m = month ?? /"month":"(\d{4}-\d{2})"/.exec(buf.toString('utf8', 20, 60))?.[1] ?? ''
  const f = frame(buf, m)
  if (!f) return []
  const out = [
    { name: 'magic', at: 0 },
    { name: 'version', at: 4 },
    { name: 'crc', at: 8 },
    { name: 'rows', at: 12 },
    { name: 'headerBytes', at: 16 },
    { name: 'header', at: FIXED },
  ]
  const refs = f.head.wide ? 16 : 8
  const [names, widths] =
    f.version === 4
      ? [
          [
            't',
            'off',
            'len',
            'revision',
            'caller',
            'ivr',
            'talk',
            'dictRefs',
            'hash',
            'idBytes',
            'sh',
          ],
          [4, 4, 4, 4, 4, 4, 4, refs, 4, 2, 1],
        ]
      : f.version === 3
        ? [
            ['t', 'off', 'len', 'revision', 'caller', 'ivr', 'talk', 'dictRefs', 'idUnits', 'sh'],
            [4, 4, 4, 4, 4, 4, 4, refs, 2, 1],
          ]
        : [
            ['t', 'off', 'len', 'revision', 'idUnits', 'caller', 'agent', 'virtual', 'dept'],
            [8, 8, 4, 4, 4, 4, 4, 4, 4],
          ]
  let at = f.headEnd
  names.forEach((name, i) => {
    out.push({ name, at })
    at += widths[i]! * f.n
  })
  if (f.version === 4) out.push({ name: 'callers', at: f.numsAt })
  out.push({ name: 'ids', at: f.idsAt })
  return out
}

/**
 * Rows of a binary month index, or null when the bytes are not a complete, intact index of
 * `month` (wrong magic or version, checksum mismatch, impossible lengths).
 */
export function decodeIndexBinary(buf: Buffer, month: string): CallRow[] | null {
  const read = decodeIndexMonth(buf, month)
  return read && (read.rows ?? read.columns.rows())
}

/**
 * A binary month index as start-up keeps it: version 3 as its columns (no row object made:
 * see {@link MonthColumns}), version 2 as rows; null when the bytes are not a complete, intact
 * index of `month` (every row's positions are checked here, so a row made later cannot fail).
 */
export function decodeIndexMonth(
  buf: Buffer,
  month: string,
): { rows: null; columns: MonthColumns } | { rows: CallRow[]; columns: null } | null {
  const f = frame(buf, month)
  if (!f) return null
  const { n, head, headEnd, idsAt } = f
  // Typed arrays need aligned offsets: copy once if the buffer does not start on an 8-byte line.
  const bytes = buf.byteOffset % 8 === 0 ? buf : Buffer.from(buf)
  let at = bytes.byteOffset + headEnd
  const ab = bytes.buffer
  /** The next column: `count` elements (n, or 4n for the dictionary positions) of `size` bytes. */
  const take = <A>(
    make: new (b: ArrayBufferLike, o: number, l: number) => A,
    size: number,
    count = n,
  ) => {
    const a = new make(ab, at, count)
    at += count * size
    return a
  }
  const { dict } = head
  if (f.version >= 3) {
    const v4 = f.version === 4
    const [t, off, len, revision, caller] = [1, 2, 3, 4, 5].map(() => take(Uint32Array, 4))
    const [ivr, talk] = [take(Int32Array, 4), take(Int32Array, 4)]
    const wide = head.wide === true
    const refs = wide ? take(Uint32Array, 4, 4 * n) : take(Uint16Array, 2, 4 * n)
    const hash = v4 ? take(Uint32Array, 4) : null
    const idLength = take(Uint16Array, 2)
    const sh = take(Uint8Array, 1)
    const ids = v4 ? bytes.subarray(idsAt) : bytes.toString('utf8', idsAt)
    let numsText: string
    let numStart: Uint32Array
    if (v4) {
      numsText = textOf(bytes.subarray(f.numsAt, f.numsAt + head.numsBytes!))
      numStart = new Uint32Array(head.numCount! + 1)
      let from = 0
      for (let k = 0; k < head.numCount!; k++) {
        numStart[k] = from
        from = numsText.indexOf('\n', from) + 1
        if (from === 0) return null
      }
      numStart[head.numCount!] = from
      if (from !== numsText.length) return null
    } else {
      const nums = head.nums!
      numsText = nums.map((num) => num + '\n').join('')
      numStart = new Uint32Array(nums.length + 1)
      for (let k = 0; k < nums.length; k++) numStart[k + 1] = numStart[k]! + nums[k]!.length + 1
    }
    const idStart = new Uint32Array(n + 1)
    let pos = 0
    const callers = numStart.length - 1
    for (let i = 0; i < n; i++) {
      idStart[i] = pos
      pos += idLength[i]!
      if (caller![i]! >= callers || sh[i]! >= 72) return null
    }
    idStart[n] = pos
    if (pos !== ids.length) return null
    const columns = new MonthColumns({
      month,
      n,
      t0: head.t0!,
      t: t!,
      off: off!,
      len: len!,
      revision: revision!,
      caller: caller!,
      ivr,
      talk,
      refs,
      none: wide ? U32_NONE : 0xffff,
      dict,
      sh,
      ids,
      idStart,
      hash,
      numsText,
      numStart,
    })
    // The id map trusts the stored hashes (a wrong one would hide its call from lookups: the
    // vendor's retry answered as a new call, and two rows for one id), so every one is checked
    // against what lookups compute, no id made into a string: about 55 ms of start-up at a
    // million ids (docs/benchmarks.md).
    if (v4 && !storedHashesHold(ids as Buffer, idStart, hash!, n)) return null
    return { rows: null, columns }
  }
  const idText = bytes.toString('utf8', idsAt)
  const nums = head.nums!
  const rows: CallRow[] = new Array<CallRow>(n)
  const str = (i: number): string | null => (i < 0 ? null : (dict[i] ?? null))
  let pos = 0
  const [t, off] = [take(Float64Array, 8), take(Float64Array, 8)]
  const [len, revision, idUnits] = [
    take(Uint32Array, 4),
    take(Uint32Array, 4),
    take(Uint32Array, 4),
  ]
  const [caller, agent, virtual, dept, circle, ivr, talk] = [1, 2, 3, 4, 5, 6, 7].map(() =>
    take(Int32Array, 4),
  )
  const [s, h] = [take(Uint8Array, 1), take(Uint8Array, 1)]
  for (let i = 0; i < n; i++) {
    const end = pos + idUnits[i]!
    const num = nums[caller![i]!]
    if (end > idText.length || num === undefined) return null
    rows[i] = {
      id: idText.slice(pos, end),
      t: t[i]!,
      s: s[i]!,
      m: month,
      h: h[i]!,
      caller: num,
      agent: str(agent![i]!),
      virtual: str(virtual![i]!),
      dept: str(dept![i]!),
      circle: str(circle![i]!),
      ivr: ivr![i]! < 0 ? null : ivr![i]!,
      talk: talk![i]! < 0 ? null : talk![i]!,
      revision: revision[i]!,
      off: off[i]!,
      len: off[i]! < 0 ? -1 : len[i]!,
    }
    pos = end
  }
  if (pos !== idText.length) return null
  return { rows, columns: null }
}

/** The format version of an intact index (3 is current), or null. */
export function indexVersion(buf: Buffer): number | null {
  return buf.length >= 8 && buf.readUInt32LE(0) === MAGIC ? buf.readUInt32LE(4) : null
}

/** Whether each stored hash is {@link hashId} of its id (ASCII ids hashed in their bytes). */
function storedHashesHold(
  ids: Buffer,
  idStart: Uint32Array,
  hash: Uint32Array,
  n: number,
): boolean {
  const ascii = isAscii(ids)
  for (let i = 0; i < n; i++) {
    const from = idStart[i]!
    const to = idStart[i + 1]!
    const h = ascii ? hashAsciiBytes(ids, from, to) : hashId(ids.toString('utf8', from, to))
    if (hash[i] !== h >>> 0) return false
  }
  return true
}
