import { readFile, readdir, mkdir, open, stat, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import type { Call } from '../../../shared/domain'
import { fsyncDir, renameOwned, unlinkOwned, writeFileDurable } from '../../dataFolder/durableFile'
import { parseMonth, sealedCrc, sealMonth } from './monthSeal'
import { decodeIndex, type CallRow, type ShardIndexFile } from './callIndex'
import type { MonthColumns } from './monthColumns'
import { decodeIndexMonth, encodeIndexBinary, indexVersion, INDEX_VERSION } from './indexFile'

/**
 * On-disk layout of the call store (all under one directory):
 *
 *   meta.json               checkpoint bookkeeping and the sealed list of the files that must
 *                           exist, with their checksums (manifest.ts)
 *   shards/YYYY-MM.json     the query model: one lowdb document per local month, calls oldest first
 *   shards/YYYY-MM.idx      binary column index of that month (loaded at start instead of the shard;
 *                           see indexFile.ts). Stores written before it have `YYYY-MM.idx.json`,
 *                           still read, and replaced by the binary form at the month's next write.
 *   journal/NNNNNNNN.jsonl  the durable truth for pushes since the last checkpoint
 *   damaged/                damaged files set aside (a month, its index), never deleted
 */
/** One month document (see monthSeal.ts for its checksums). */
export interface ShardDoc {
  v: 1
  month: string
  /** crc32 of each call's JSON, in order (absent in documents written before checksums). */
  sums?: number[]
  calls: Call[]
  /** crc32 of every byte before `,"crc":`. */
  crc?: number
}

export const MONTH_RE = /^\d{4}-\d{2}$/

export function shardsDir(dir: string): string {
  return join(dir, 'shards')
}
export function journalDir(dir: string): string {
  return join(dir, 'journal')
}
export function shardPath(dir: string, month: string): string {
  return join(shardsDir(dir), `${month}.json`)
}
export function indexPath(dir: string, month: string): string {
  return join(shardsDir(dir), `${month}.idx`)
}
/** The JSON index of stores written before the binary format (read only). */
export function legacyIndexPath(dir: string, month: string): string {
  return join(shardsDir(dir), `${month}.idx.json`)
}
export function journalPath(dir: string, seq: number): string {
  return join(journalDir(dir), `${String(seq).padStart(8, '0')}.jsonl`)
}
export function metaPath(dir: string): string {
  return join(dir, 'meta.json')
}
/** Where damaged files are set aside (renamed, never deleted). */
export function damagedDir(dir: string): string {
  return join(dir, 'damaged')
}

/**
 * Sets a damaged month aside: its document and index are renamed into `damaged/` with the time
 * appended (never deleted). Returns where the document went, or null when it was already gone.
 */
export async function setAsideMonth(
  dir: string,
  month: string,
  now: number,
): Promise<string | null> {
  await mkdir(damagedDir(dir), { recursive: true })
  const kept = join(damagedDir(dir), `${month}.json.${now}`)
  let moved: string | null = kept
  try {
    await renameOwned(shardPath(dir, month), kept)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    moved = null
  }
  await renameOwned(indexPath(dir, month), join(damagedDir(dir), `${month}.idx.${now}`)).catch(
    (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err
    },
  )
  await fsyncDir(shardsDir(dir))
  return moved
}

export async function ensureLayout(dir: string): Promise<void> {
  await mkdir(shardsDir(dir), { recursive: true })
  await mkdir(journalDir(dir), { recursive: true })
}

/** Months that have a shard document, ascending. */
export async function listShardMonths(dir: string): Promise<string[]> {
  const names = await readdir(shardsDir(dir))
  return names
    .filter((n) => n.endsWith('.json') && !n.endsWith('.idx.json') && !n.startsWith('.'))
    .map((n) => n.slice(0, -'.json'.length))
    .filter((m) => MONTH_RE.test(m))
    .sort()
}

/** Journal sequence numbers present, ascending. */
export async function listJournals(dir: string): Promise<number[]> {
  const names = await readdir(journalDir(dir))
  return names
    .map((n) => /^(\d{8})\.jsonl$/.exec(n)?.[1])
    .filter((s): s is string => s !== undefined)
    .map(Number)
    .sort((a, b) => a - b)
}

/**
 * Reads a month document (a missing file is an empty month), verifying its checksum: throws
 * {@link DamagedFileError} naming the file when it is damaged.
 */
export async function readShard(dir: string, month: string): Promise<Call[]> {
  const bytes = await readShardBytes(dir, month)
  return bytes ? parseMonth(bytes, shardPath(dir, month)) : []
}

/** What identifies the file of a month as it is on disk: size, modification time, seal checksum. */
export interface MonthIdentity {
  bytes: number
  mtimeMs: number
  crc: number | null
}

/** The most of a month's end read to find its seal's checksum (`,"crc":4294967295}`). */
const TAIL_BYTES = 32

/** Runs `fn` on the open file of a month (one file: one version of it); null when it is missing. */
async function withMonthFile<T>(
  dir: string,
  month: string,
  fn: (fh: FileHandle, size: number, mtimeMs: number) => Promise<T>,
): Promise<T | null> {
  let fh: FileHandle
  try {
    fh = await open(shardPath(dir, month), 'r')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
  try {
    const st = await fh.stat()
    return await fn(fh, st.size, st.mtimeMs)
  } finally {
    await fh.close()
  }
}

/**
 * The identity of a month's file, from its metadata and its last bytes (no read of the month);
 * null when the file is missing.
 */
export function monthIdentity(dir: string, month: string): Promise<MonthIdentity | null> {
  return withMonthFile(dir, month, async (fh, size, mtimeMs) => {
    const n = Math.min(TAIL_BYTES, size)
    const tail = Buffer.alloc(n)
    await fh.read(tail, 0, n, size - n)
    return { bytes: size, mtimeMs, crc: sealedCrc(tail) }
  })
}

/**
 * A month's bytes with the identity of the very file they were read from (one open file: a
 * checkpoint replacing the month meanwhile cannot mix two versions); null when it is missing.
 */
export function readMonthFile(
  dir: string,
  month: string,
): Promise<{ doc: Buffer; identity: MonthIdentity } | null> {
  return withMonthFile(dir, month, async (fh, _size, mtimeMs) => {
    const doc = await fh.readFile()
    const tail = doc.subarray(Math.max(0, doc.length - TAIL_BYTES))
    return { doc, identity: { bytes: doc.length, mtimeMs, crc: sealedCrc(tail) } }
  })
}

/**
 * Writes one month durably: the document first, then its index. The document is a lowdb-readable
 * {@link ShardDoc} sealed with checksums (monthSeal.ts), built call by call so the index can
 * record each call's byte range (an older month then serves a page of calls with a few small
 * reads instead of parsing the whole month). A crash between the two writes leaves an older
 * index, which the journal replay (still present until the checkpoint finishes) brings up to
 * date; byte ranges are verified on read and fall back to parsing the month.
 *
 * Returns the byte range of each call, in the order of `calls`, and the identity of the file.
 */
export async function writeShard(
  dir: string,
  month: string,
  calls: readonly Call[],
  rows: readonly CallRow[],
  /**
   * The JSON of `calls[i]` when already known (text the journal made, or bytes copied from the
   * previous document): a checkpoint then does not stringify the whole month again.
   */
  jsonOf?: (i: number) => string | Buffer | undefined,
): Promise<{ ranges: { off: number; len: number }[]; identity: MonthIdentity }> {
  // Serialise everything now: rows are live objects that later upserts may change meanwhile.
  const jsons = calls.map((call, i) => {
    const known = jsonOf?.(i)
    if (known === undefined) return Buffer.from(JSON.stringify(call), 'utf8')
    return typeof known === 'string' ? Buffer.from(known, 'utf8') : known
  })
  const { doc, ranges, crc } = sealMonth(month, jsons)
  const index = encodeIndexBinary(month, rows, ranges)
  await writeFileDurable(shardPath(dir, month), doc)
  const { mtimeMs } = await stat(shardPath(dir, month))
  await writeFileDurable(indexPath(dir, month), index)
  // A legacy JSON index would now be stale; the binary one supersedes it.
  await unlinkOwned(legacyIndexPath(dir, month)).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err
  })
  return { ranges, identity: { bytes: doc.length, mtimeMs, crc } }
}

/** The bytes of a month document, or null when it is missing. */
export async function readShardBytes(dir: string, month: string): Promise<Buffer | null> {
  try {
    return await readFile(shardPath(dir, month))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
}

/**
 * The bytes of `row`'s call inside `doc` (a month document read whole), when its byte range
 * still holds that call: it must start with the call's id and sit between the array's
 * separators. A stale range (an index older than its document) gives null.
 */
export function callBytesAt(doc: Buffer, row: CallRow): Buffer | null {
  const { off, len } = row
  if (off <= 0 || len <= 0 || off + len >= doc.length) return null
  const before = doc[off - 1]
  const after = doc[off + len]
  if ((before !== 0x5b && before !== 0x2c) || (after !== 0x5d && after !== 0x2c)) return null
  if (doc[off + len - 1] !== 0x7d) return null
  const prefix = `{"id":${JSON.stringify(row.id)},`
  const plen = Buffer.byteLength(prefix)
  if (plen > len || doc.toString('utf8', off, off + plen) !== prefix) return null
  // And the revision the row knows (the first "revision" key is the call's own: string values
  // cannot hold an unescaped quote, and history comes after it).
  const call = doc.subarray(off, off + len)
  const key = `"revision":${row.revision}`
  const at = call.indexOf(key)
  if (at < 0 || call.indexOf('"revision":') !== at) return null
  const next = call[at + key.length]
  return next === 0x2c || next === 0x7d ? call : null
}

/**
 * Reads single calls of a month document by their byte ranges. Returns null if any range does
 * not hold the expected call (the document changed since the index was written).
 */
export async function readCallsAt(
  dir: string,
  month: string,
  rows: readonly CallRow[],
): Promise<Call[] | null> {
  if (rows.some((r) => r.off < 0)) return null
  let fh: FileHandle
  try {
    fh = await open(shardPath(dir, month), 'r')
  } catch {
    return null
  }
  try {
    // Neighbouring calls (a run of rows, as an export reads them) come in one read.
    let lo = Infinity
    let hi = 0
    let sum = 0
    for (const r of rows) {
      lo = Math.min(lo, r.off)
      hi = Math.max(hi, r.off + r.len)
      sum += r.len
    }
    let span: Buffer | null = null
    if (hi - lo <= Math.max(2 * sum, 256 * 1024)) {
      span = Buffer.allocUnsafe(hi - lo)
      const { bytesRead } = await fh.read(span, 0, hi - lo, lo)
      if (bytesRead !== hi - lo) return null
    }
    const out: Call[] = []
    for (const r of rows) {
      let buf: Buffer
      if (span) buf = span.subarray(r.off - lo, r.off - lo + r.len)
      else {
        buf = Buffer.allocUnsafe(r.len)
        const { bytesRead } = await fh.read(buf, 0, r.len, r.off)
        if (bytesRead !== r.len) return null
      }
      let call: Call
      try {
        call = JSON.parse(buf.toString('utf8')) as Call
      } catch {
        return null
      }
      if (call?.id !== r.id || call.revision !== r.revision) return null
      out.push(call)
    }
    return out
  } finally {
    await fh.close()
  }
}

/**
 * Reads a month's compact index (binary, else a legacy JSON one), or null when it is missing or
 * unreadable: the caller then rebuilds it from the month's document.
 */
export async function readIndex(dir: string, month: string): Promise<CallRow[] | null> {
  const read = await readIndexFile(dir, month)
  return read && (read.rows ?? read.columns.rows())
}

/**
 * {@link readIndex} as start-up keeps it (a current index as its columns, rows not made yet:
 * see {@link MonthColumns}), with whether the index is in the current format (an older one is
 * written again once the store has settled: a restart then reads less).
 */
export async function readIndexFile(
  dir: string,
  month: string,
): Promise<
  | { rows: CallRow[]; columns: null; current: boolean }
  | { rows: null; columns: MonthColumns; current: boolean }
  | null
> {
  try {
    const buf = await readFile(indexPath(dir, month))
    const read = decodeIndexMonth(buf, month)
    if (!read) return null
    const version = indexVersion(buf)
    // A month written in version 2 because it fits no later one (see encodeIndexBinary) is as
    // current as it can be: counted old, it was written again, the same, at every start.
    const current =
      version === INDEX_VERSION ||
      (version === 2 &&
        read.rows !== null &&
        indexVersion(encodeIndexBinary(month, read.rows)) === 2)
    return { ...read, current }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return null
  }
  try {
    const f = JSON.parse(await readFile(legacyIndexPath(dir, month), 'utf8')) as ShardIndexFile
    if (f.v !== 1 || f.month !== month || !Array.isArray(f.id)) return null
    return { rows: decodeIndex(f), columns: null, current: false }
  } catch {
    return null
  }
}

/** Writes a month's index again from rows whose byte ranges match its document. */
export async function writeIndex(
  dir: string,
  month: string,
  rows: readonly CallRow[],
): Promise<void> {
  await writeFileDurable(indexPath(dir, month), encodeIndexBinary(month, rows))
  await unlinkOwned(legacyIndexPath(dir, month)).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err
  })
}
