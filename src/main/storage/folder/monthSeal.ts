import { crc32 } from 'node:zlib'
import type { Call } from '../../../shared/domain'

/**
 * The checksums of a month document (`shards/YYYY-MM.json`), which stays a lowdb-readable JSON
 * document:
 *
 *   {"v":1,"month":"2026-03","sums":[<crc32 of each call's JSON>,...],"calls":[...],"crc":<crc32>}
 *
 * `crc` covers every byte before `,"crc":`, so any changed byte (inside a string too) or a cut
 * file is found when the month is read. `sums` come first so that they survive a cut file; they
 * tell which calls of a damaged month are intact (see {@link salvageMonth}). Documents written
 * before these checksums (no `sums`) are read as they are.
 */

/** A damaged file, named, with what is wrong with it. */
export class DamagedFileError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file} is damaged: ${reason}`)
    this.name = 'DamagedFileError'
  }
}

/**
 * Builds a sealed month document from its calls' JSON bytes; returns it, each call's range and
 * the checksum it ends with.
 */
export function sealMonth(
  month: string,
  jsons: readonly Buffer[],
): { doc: Buffer; ranges: { off: number; len: number }[]; crc: number } {
  const sums = jsons.map((j) => crc32(j))
  const head = Buffer.from(
    `{"v":1,"month":${JSON.stringify(month)},"sums":[${sums.join(',')}],"calls":[`,
    'utf8',
  )
  const parts: Buffer[] = [head]
  const ranges: { off: number; len: number }[] = []
  const comma = Buffer.from(',')
  let off = head.length
  for (let i = 0; i < jsons.length; i++) {
    if (i > 0) {
      parts.push(comma)
      off += 1
    }
    parts.push(jsons[i]!)
    ranges.push({ off, len: jsons[i]!.length })
    off += jsons[i]!.length
  }
  parts.push(Buffer.from(']'))
  // The checksum runs over the parts as they are: the document is assembled once.
  let crc = 0
  for (const p of parts) crc = crc32(p, crc)
  const tail = Buffer.from(`,"crc":${crc}}`)
  parts.push(tail)
  return { doc: Buffer.concat(parts, off + 1 + tail.length), ranges, crc }
}

/**
 * The checksum a sealed document ends with, read from its last bytes alone (what start-up
 * compares with the manifest instead of reading the month), or null when it has none.
 */
export function sealedCrc(tail: Buffer): number | null {
  const at = tail.lastIndexOf(CRC_KEY)
  if (at < 0 || tail[tail.length - 1] !== 0x7d) return null
  const text = tail.toString('latin1', at + CRC_KEY.length, tail.length - 1)
  return /^\d+$/.test(text) ? Number(text) : null
}

/** Calls a sealed document lists in its `sums` (one number per call), or null without them. */
export function countSums(doc: Buffer): number | null {
  const at = doc.indexOf(SUMS_KEY)
  if (at < 0 || at > 64) return null
  const end = doc.indexOf(CALLS_KEY, at)
  if (end < 0) return null
  if (end === at + SUMS_KEY.length) return 0
  let n = 1
  for (let i = at + SUMS_KEY.length; i < end; i++) if (doc[i] === 0x2c) n++
  return n
}

const CRC_KEY = Buffer.from(',"crc":')
const LEGACY_HEAD = /^\{"v":1,"month":"\d{4}-\d{2}","calls":\[/

export type MonthVerdict =
  | { state: 'intact'; calls: number }
  /** Written before checksums: only its syntax can be checked. */
  | { state: 'legacy'; calls: number }
  | { state: 'damaged'; reason: string }

/** Whether a month document's bytes are intact (checksum), unverifiable (legacy) or damaged. */
export function verifyMonth(doc: Buffer): MonthVerdict {
  if (LEGACY_HEAD.test(doc.toString('latin1', 0, 40))) {
    try {
      const parsed = JSON.parse(doc.toString('utf8')) as { calls?: unknown[] }
      return { state: 'legacy', calls: Array.isArray(parsed.calls) ? parsed.calls.length : 0 }
    } catch (err) {
      return { state: 'damaged', reason: `not valid JSON (${(err as Error).message})` }
    }
  }
  const at = doc.lastIndexOf(CRC_KEY)
  if (at < 0 || doc[doc.length - 1] !== 0x7d)
    return { state: 'damaged', reason: `cut short or changed at the end (${doc.length} bytes)` }
  const stored = Number(doc.toString('latin1', at + CRC_KEY.length, doc.length - 1))
  if (!Number.isInteger(stored) || crc32(doc.subarray(0, at)) !== stored)
    return { state: 'damaged', reason: 'its checksum does not match its content' }
  return { state: 'intact', calls: countSums(doc) ?? 0 }
}

/** The calls of a month document, verified first; throws {@link DamagedFileError} naming `file`. */
export function parseMonth(doc: Buffer, file: string): Call[] {
  const verdict = verifyMonth(doc)
  if (verdict.state === 'damaged') throw new DamagedFileError(file, verdict.reason)
  return (JSON.parse(doc.toString('utf8')) as { calls: Call[] }).calls
}

const CALL_START = Buffer.from('{"id":')
const SUMS_KEY = Buffer.from('"sums":[')
const CALLS_KEY = Buffer.from('],"calls":[')
/** No stored call is this long; a scan that runs further has lost its way in damaged bytes. */
const MAX_CALL_BYTES = 4 * 1024 * 1024

/** What could be read of a damaged month document. */
export interface Salvage {
  calls: Call[]
  /** True when the document's own sums could not be read, so calls were kept on syntax alone. */
  unverified: boolean
}

/**
 * Every call of a damaged month document that is still intact. Each `{"id":` (JSON strings cannot
 * hold that unescaped) starts a candidate, read up to its matching brace; a candidate is kept when
 * it parses to a stored call and its checksum is one of the document's `sums`, and reading goes
 * on after it. Without readable sums (a legacy document, or damage in the sums) a call is kept on
 * syntax alone. A damaged call costs that call; its neighbours are read from their own start.
 */
export function salvageMonth(doc: Buffer): Salvage {
  const sums = readSums(doc)
  const starts: number[] = []
  for (let i = doc.indexOf(CALL_START); i >= 0; i = doc.indexOf(CALL_START, i + 1)) starts.push(i)
  const calls: Call[] = []
  let k = 0
  while (k < starts.length) {
    const s = starts[k]!
    const end = objectEnd(doc, s)
    let next = k + 1
    if (end > 0) {
      const bytes = doc.subarray(s, end)
      const call = parseCall(bytes)
      if (call && (!sums || sums.has(crc32(bytes)))) {
        calls.push(call)
        // Skip the earlier versions inside its history.
        while (next < starts.length && starts[next]! < end) next++
      }
    }
    k = next
  }
  return { calls, unverified: sums === null }
}

/** The index just after the object starting at `s` (string-aware brace matching), or -1. */
function objectEnd(doc: Buffer, s: number): number {
  let depth = 0
  let inString = false
  const stop = Math.min(doc.length, s + MAX_CALL_BYTES)
  for (let i = s; i < stop; i++) {
    const b = doc[i]!
    if (inString) {
      if (b === 0x5c) i++
      else if (b === 0x22) inString = false
    } else if (b === 0x22) inString = true
    else if (b === 0x7b || b === 0x5b) depth++
    else if (b === 0x7d || b === 0x5d) {
      if (--depth === 0) return i + 1
    }
  }
  return -1
}

function parseCall(bytes: Buffer): Call | null {
  try {
    const c = JSON.parse(bytes.toString('utf8')) as Call
    // Earlier versions inside `history` start the same way but have no history of their own.
    const ok = typeof c.id === 'string' && Number.isInteger(c.revision) && Array.isArray(c.history)
    return ok ? c : null
  } catch {
    return null
  }
}

/** The per-call checksums a month document lists (null when it has none or they are damaged). */
export function readSums(doc: Buffer): Set<number> | null {
  const at = doc.indexOf(SUMS_KEY)
  if (at < 0 || at > 64) return null
  const end = doc.indexOf(CALLS_KEY, at)
  if (end < 0) return null
  const text = doc.toString('latin1', at + SUMS_KEY.length, end)
  if (!/^(\d+(,\d+)*)?$/.test(text)) return null
  return new Set(text ? text.split(',').map(Number) : [])
}
