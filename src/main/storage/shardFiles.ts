import { readFile, readdir, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { Low } from 'lowdb'
import type { Call } from '../../shared/domain'
import { DurableJSONFile, writeFileDurable } from './durableFile'
import { decodeIndex, encodeIndex, type CallRow, type ShardIndexFile } from './callIndex'

/**
 * On-disk layout of the call store (all under one directory):
 *
 *   meta.json               checkpoint bookkeeping: first journal not yet checkpointed, last push
 *   shards/YYYY-MM.json     the query model: one lowdb document per local month, calls oldest first
 *   shards/YYYY-MM.idx.json compact column index of that month (loaded at start instead of the shard)
 *   journal/NNNNNNNN.jsonl  the durable truth for pushes since the last checkpoint
 */
export interface StoreMeta {
  v: 1
  timezone: string
  /** Journals with a lower sequence number are fully reflected in the shards. */
  journalSeq: number
  lastPushAt: string | null
}

/** One month document. */
export interface ShardDoc {
  v: 1
  month: string
  calls: Call[]
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
  return join(shardsDir(dir), `${month}.idx.json`)
}
export function journalPath(dir: string, seq: number): string {
  return join(journalDir(dir), `${String(seq).padStart(8, '0')}.jsonl`)
}
export function metaPath(dir: string): string {
  return join(dir, 'meta.json')
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

/** Reads a month document through lowdb (a missing file is an empty month). */
export async function readShard(dir: string, month: string): Promise<Call[]> {
  const db = new Low<ShardDoc>(new DurableJSONFile<ShardDoc>(shardPath(dir, month)), {
    v: 1,
    month,
    calls: [],
  })
  await db.read()
  return db.data.calls
}

/**
 * Writes one month durably: the lowdb document first, then its index. A crash between the two
 * leaves an older index, which the journal replay (still present until the checkpoint finishes)
 * brings up to date.
 */
export async function writeShard(
  dir: string,
  month: string,
  calls: Call[],
  rows: readonly CallRow[],
): Promise<void> {
  // Serialise both now: rows are live objects that later upserts may change during the awaits.
  const index = JSON.stringify(encodeIndex(month, rows))
  const db = new Low<ShardDoc>(new DurableJSONFile<ShardDoc>(shardPath(dir, month)), {
    v: 1,
    month,
    calls,
  })
  await db.write()
  await writeFileDurable(indexPath(dir, month), index)
}

/** Reads a month's compact index, or null when it is missing or unreadable. */
export async function readIndex(dir: string, month: string): Promise<CallRow[] | null> {
  try {
    const f = JSON.parse(await readFile(indexPath(dir, month), 'utf8')) as ShardIndexFile
    if (f.v !== 1 || f.month !== month || !Array.isArray(f.id)) return null
    return decodeIndex(f)
  } catch {
    return null
  }
}

export async function readMeta(dir: string, timezone: string): Promise<StoreMeta> {
  try {
    return JSON.parse(await readFile(metaPath(dir), 'utf8')) as StoreMeta
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      return { v: 1, timezone, journalSeq: 1, lastPushAt: null }
    throw err
  }
}

export async function writeMeta(dir: string, meta: StoreMeta): Promise<void> {
  await writeFileDurable(metaPath(dir), JSON.stringify(meta))
}
