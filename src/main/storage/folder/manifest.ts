import { readFile } from 'node:fs/promises'
import { crc32 } from 'node:zlib'
import { writeFileDurable } from '../../dataFolder/durableFile'
import { DamagedFileError } from './monthSeal'
import { metaPath, type MonthIdentity } from './shardFiles'

/**
 * `calls/meta.json`: the call store's bookkeeping and the sealed list of the files it must hold.
 *
 *   {"v":2,"timezone":…,"journalSeq":N,"nextSeq":Q,"lastPushAt":…,"closed":false,
 *    "months":{"2026-03":{"calls":…,"bytes":…,"mtimeMs":…,"crc":…,"verifiedAt":…},…},"crc":C}
 *
 * `crc` covers every byte before `,"crc":`, so a changed bit anywhere (a sequence number, a
 * month's count) makes the whole file damaged instead of quietly wrong. Written by every
 * checkpoint, after the months it lists and before the journals it covers are retired.
 *
 * - `journalSeq`: the journal the checkpoint switched to; it must exist (empty when `closed`).
 * - `nextSeq`: the number of its first record (records are numbered across journals), so a gap
 *   in the numbers, or a missing journal followed by a later one, counts the records lost.
 * - `months`: each month file that must exist, the calls it holds, and its size, modification
 *   time and seal checksum as last verified: a month whose file still matches was verified
 *   before and is not read again at start-up (see the scrub in fileCallStore.ts).
 * - `closed`: the store was closed cleanly after this checkpoint, so its journal holds nothing;
 *   set back to false when the store opens again, before it takes any push.
 *
 * Version 1 (`{"v":1,"timezone","journalSeq","lastPushAt"}`, no checksum) is still read: it
 * lists nothing, so nothing can be cross-checked until the first checkpoint writes version 2.
 */
export interface StoreMeta {
  v: 2
  timezone: string
  journalSeq: number
  /** Number of the first record of journal `journalSeq`; null for a version-1 file. */
  nextSeq: number | null
  lastPushAt: string | null
  closed: boolean
  /** The month files that must exist; null for a version-1 file (nothing listed). */
  months: Record<string, MonthEntry> | null
}

/** One month file as the store last knew it. */
export interface MonthEntry {
  /** Calls the file holds. */
  calls: number
  /** Its size and modification time when last verified or written (-1: not known). */
  bytes: number
  mtimeMs: number
  /** The checksum its seal ends with (`,"crc":N}`); null for a file without a seal. */
  crc: number | null
  /** When its whole content was last checked against its seal (written, verified, scrubbed). */
  verifiedAt: string | null
}

/** A store that has no meta.json yet (a new folder). */
export function freshMeta(timezone: string): StoreMeta {
  return {
    v: 2,
    timezone,
    journalSeq: 1,
    nextSeq: 1,
    lastPushAt: null,
    closed: false,
    months: {},
  }
}

/**
 * Whether a month's file is still the one the manifest lists (so verified before): same size,
 * same seal checksum at its end, and the same modification time to the millisecond (a copy that
 * keeps file times keeps them to the millisecond at best; any write moves it).
 */
export function sameFile(known: MonthEntry, now: MonthIdentity): boolean {
  return (
    known.crc !== null &&
    known.verifiedAt !== null &&
    known.crc === now.crc &&
    known.bytes === now.bytes &&
    Math.abs(known.mtimeMs - now.mtimeMs) < 1
  )
}

const CRC_KEY = ',"crc":'

/** The file's text: the meta's JSON with its checksum as the last member. */
export function encodeMeta(meta: StoreMeta): string {
  const body = JSON.stringify(meta).slice(0, -1)
  return `${body}${CRC_KEY}${crc32(body)}}`
}

/** How meta.json was found. */
export type MetaState = 'sealed' | 'legacy' | 'missing'

/**
 * Reads meta.json: `sealed` (version 2, checksum verified), `legacy` (version 1) or `missing`
 * (the defaults, listing nothing: a new store, or one whose list is gone). Throws
 * {@link DamagedFileError} naming the file when it is damaged.
 */
export async function readMeta(
  dir: string,
  timezone: string,
): Promise<{ meta: StoreMeta; state: MetaState }> {
  let text: string
  try {
    text = await readFile(metaPath(dir), 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      return { meta: { ...freshMeta(timezone), nextSeq: null, months: null }, state: 'missing' }
    throw err
  }
  const reason = (why: string): DamagedFileError => new DamagedFileError(metaPath(dir), why)
  const at = text.lastIndexOf(CRC_KEY)
  if (at < 0) {
    const legacy = parse(text)
    if (!legacy || legacy.v !== 1 || !validV1(legacy)) throw reason('it is not a valid meta.json')
    return {
      meta: {
        v: 2,
        timezone: legacy.timezone as string,
        journalSeq: legacy.journalSeq as number,
        nextSeq: null,
        lastPushAt: (legacy.lastPushAt as string | null) ?? null,
        closed: false,
        months: null,
      },
      state: 'legacy',
    }
  }
  const stored = text.slice(at + CRC_KEY.length, -1)
  if (!text.endsWith('}') || !/^\d+$/.test(stored) || crc32(text.slice(0, at)) !== Number(stored))
    throw reason('its checksum does not match its content')
  const meta = parse(text)
  if (!meta || !validV2(meta)) throw reason('its fields are not what a meta.json holds')
  delete meta.crc
  return { meta: meta as unknown as StoreMeta, state: 'sealed' }
}

export async function writeMeta(dir: string, meta: StoreMeta): Promise<void> {
  await writeFileDurable(metaPath(dir), encodeMeta(meta))
}

function parse(text: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(text)
    return v !== null && typeof v === 'object' && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : null
  } catch {
    return null
  }
}

const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0
const isStringOrNull = (v: unknown): boolean => v === null || typeof v === 'string'

function validV1(m: Record<string, unknown>): boolean {
  return typeof m.timezone === 'string' && isCount(m.journalSeq) && (m.journalSeq as number) >= 1
}

function validV2(m: Record<string, unknown>): boolean {
  if (m.v !== 2 || !validV1(m) || !isCount(m.nextSeq) || (m.nextSeq as number) < 1) return false
  if (!isStringOrNull(m.lastPushAt) || typeof m.closed !== 'boolean') return false
  const months = m.months
  if (months === null || typeof months !== 'object' || Array.isArray(months)) return false
  return Object.entries(months as Record<string, unknown>).every(([k, e]) => {
    if (!/^\d{4}-\d{2}$/.test(k) || e === null || typeof e !== 'object') return false
    const x = e as Record<string, unknown>
    return (
      isCount(x.calls) &&
      typeof x.bytes === 'number' &&
      typeof x.mtimeMs === 'number' &&
      (x.crc === null || isCount(x.crc)) &&
      isStringOrNull(x.verifiedAt)
    )
  })
}
