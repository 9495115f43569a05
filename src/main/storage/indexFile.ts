import { crc32 } from 'node:zlib'
import type { CallRow } from './callIndex'

/**
 * The binary, columnar index of one month (`shards/YYYY-MM.idx`): what start-up loads instead of
 * the month's document. One read per month and no JSON of a million numbers: numeric columns are
 * typed arrays viewed straight over the file's bytes, and every call id is cut out of one decoded
 * string (the substrings share its memory).
 *
 * Layout, little-endian:
 *
 *   0   'IVRX'            magic
 *   4   u32 version       2
 *   8   u32 crc32         of every byte from offset 12 to the end (a torn or corrupt file is
 *                         refused, and the month index is rebuilt from its document)
 *   12  u32 n             rows
 *   16  u32 headerBytes   length of the UTF-8 JSON header { month, dict, nums }
 *   20  header, zero-padded to a multiple of 8
 *       f64 t[n]          startedAt ms          f64 off[n]     byte offset in the month document
 *       u32 len[n]        byte length           u32 revision[n]
 *       u32 idUnits[n]    UTF-16 length of the id
 *       i32 caller[n]     position in `nums`    i32 agent/virtual/dept/circle[n]: `dict`, -1 null
 *       i32 ivr[n], talk[n] (-1 null)           u8 s[n], u8 h[n]
 *       then, zero-padded to a multiple of 8, the UTF-8 text of every id, concatenated
 */
const MAGIC = 0x58525649 // 'IVRX' read as a little-endian u32
const VERSION = 2
const FIXED = 20

interface Header {
  month: string
  /** Strings shared by agent, virtual number, department and circle. */
  dict: string[]
  /** Distinct caller numbers. */
  nums: string[]
}

const pad8 = (n: number): number => (n + 7) & ~7

/**
 * Serialises the rows of one month (in the order given) to the binary index format. `ranges`,
 * when given, replaces each row's byte range (a checkpoint writes the new ones without copying
 * every row).
 */
export function encodeIndexBinary(
  month: string,
  rows: readonly CallRow[],
  ranges?: readonly { off: number; len: number }[],
): Buffer {
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
  const t = new Float64Array(n)
  const off = new Float64Array(n)
  const len = new Uint32Array(n)
  const revision = new Uint32Array(n)
  const idUnits = new Uint32Array(n)
  const caller = new Int32Array(n)
  const agent = new Int32Array(n)
  const virtual = new Int32Array(n)
  const dept = new Int32Array(n)
  const circle = new Int32Array(n)
  const ivr = new Int32Array(n)
  const talk = new Int32Array(n)
  const s = new Uint8Array(n)
  const h = new Uint8Array(n)
  const ids: string[] = new Array<string>(n)
  for (let i = 0; i < n; i++) {
    const r = rows[i]!
    t[i] = r.t
    const range = ranges ? ranges[i]! : r
    off[i] = range.off
    len[i] = Math.max(0, range.len)
    revision[i] = r.revision
    idUnits[i] = r.id.length
    ids[i] = r.id
    let c = numPos.get(r.caller)
    if (c === undefined) numPos.set(r.caller, (c = nums.push(r.caller) - 1))
    caller[i] = c
    agent[i] = ref(r.agent)
    virtual[i] = ref(r.virtual)
    dept[i] = ref(r.dept)
    circle[i] = ref(r.circle)
    ivr[i] = r.ivr ?? -1
    talk[i] = r.talk ?? -1
    s[i] = r.s
    h[i] = r.h
  }
  const head = Buffer.from(JSON.stringify({ month, dict, nums } satisfies Header), 'utf8')
  const idText = Buffer.from(ids.join(''), 'utf8')
  const columns: ArrayBufferView[] = [t, off, len, revision, idUnits]
  columns.push(caller, agent, virtual, dept, circle, ivr, talk, s, h)
  const colBytes = columns.reduce((a, c) => a + c.byteLength, 0)
  const headEnd = pad8(FIXED + head.length)
  const idsAt = pad8(headEnd + colBytes)
  const buf = Buffer.alloc(idsAt + idText.length)
  buf.writeUInt32LE(MAGIC, 0)
  buf.writeUInt32LE(VERSION, 4)
  buf.writeUInt32LE(n, 12)
  buf.writeUInt32LE(head.length, 16)
  head.copy(buf, FIXED)
  let at = headEnd
  for (const c of columns) {
    buf.set(new Uint8Array(c.buffer, c.byteOffset, c.byteLength), at)
    at += c.byteLength
  }
  idText.copy(buf, idsAt)
  buf.writeUInt32LE(crc32(buf.subarray(12)), 8)
  return buf
}

/**
 * Rows of a binary month index, or null when the bytes are not a complete, intact index of
 * `month` (wrong magic or version, checksum mismatch, impossible lengths).
 */
export function decodeIndexBinary(buf: Buffer, month: string): CallRow[] | null {
  if (buf.length < FIXED || buf.readUInt32LE(0) !== MAGIC || buf.readUInt32LE(4) !== VERSION)
    return null
  if (crc32(buf.subarray(12)) !== buf.readUInt32LE(8)) return null
  const n = buf.readUInt32LE(12)
  const headLen = buf.readUInt32LE(16)
  const headEnd = pad8(FIXED + headLen)
  const colBytes = n * (8 + 8 + 4 * 10 + 2)
  const idsAt = pad8(headEnd + colBytes)
  if (idsAt > buf.length) return null
  let head: Header
  try {
    head = JSON.parse(buf.toString('utf8', FIXED, FIXED + headLen)) as Header
  } catch {
    return null
  }
  if (head.month !== month || !Array.isArray(head.dict) || !Array.isArray(head.nums)) return null
  // Typed arrays need aligned offsets: copy once if the buffer does not start on an 8-byte line.
  const bytes = buf.byteOffset % 8 === 0 ? buf : Buffer.from(buf)
  let at = bytes.byteOffset + headEnd
  const ab = bytes.buffer
  const f64 = (): Float64Array => {
    const a = new Float64Array(ab, at, n)
    at += n * 8
    return a
  }
  const u32 = (): Uint32Array => {
    const a = new Uint32Array(ab, at, n)
    at += n * 4
    return a
  }
  const i32 = (): Int32Array => {
    const a = new Int32Array(ab, at, n)
    at += n * 4
    return a
  }
  const u8 = (): Uint8Array => {
    const a = new Uint8Array(ab, at, n)
    at += n
    return a
  }
  const [t, off] = [f64(), f64()]
  const [len, revision, idUnits] = [u32(), u32(), u32()]
  const [caller, agent, virtual, dept, circle, ivr, talk] = [
    i32(),
    i32(),
    i32(),
    i32(),
    i32(),
    i32(),
    i32(),
  ]
  const [s, h] = [u8(), u8()]
  const idText = bytes.toString('utf8', idsAt)
  const { dict, nums } = head
  const str = (i: number): string | null => (i < 0 ? null : (dict[i] ?? null))
  const rows: CallRow[] = new Array<CallRow>(n)
  let pos = 0
  for (let i = 0; i < n; i++) {
    const end = pos + idUnits[i]!
    const num = nums[caller[i]!]
    if (end > idText.length || num === undefined) return null
    rows[i] = {
      id: idText.slice(pos, end),
      t: t[i]!,
      s: s[i]!,
      m: month,
      h: h[i]!,
      caller: num,
      agent: str(agent[i]!),
      virtual: str(virtual[i]!),
      dept: str(dept[i]!),
      circle: str(circle[i]!),
      ivr: ivr[i]! < 0 ? null : ivr[i]!,
      talk: talk[i]! < 0 ? null : talk[i]!,
      revision: revision[i]!,
      off: off[i]!,
      len: off[i]! < 0 ? -1 : len[i]!,
    }
    pos = end
  }
  if (pos !== idText.length) return null
  return rows
}
