import { access, readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { crc32 } from 'node:zlib'
import type { CheckFinding, CheckReport } from '../../shared/storage'
import { scanJournal } from '../storage/journal'
import { readSums, salvageMonth, verifyMonth } from '../storage/monthSeal'
import {
  callBytesAt,
  indexPath,
  journalPath,
  listJournals,
  listShardMonths,
  metaPath,
  readIndex,
  shardPath,
} from '../storage/shardFiles'
import { DOCUMENTS, documentDamage } from './documents'
import { inaccessibleFiles } from './folderAccess'
import { describeOwner, FolderAccessError, processUser } from '../ground/fileOwner'

/** Where the call store and the rejected-pushes log live inside a data folder. */
export const callsDir = (dataDir: string): string => join(dataDir, 'calls')
export const rejectedDir = (dataDir: string): string => join(dataDir, 'rejected')

/**
 * Checks a data folder without changing anything: journal checksums (calls and rejected pushes),
 * month checksums, each month's index against its month, meta.json, the outbox and the other
 * documents. `live`: the folder is in use by the caller itself, so a last journal record being
 * written is not a torn one.
 */
export async function checkDataFolder(
  dataDir: string,
  opts: { live?: boolean; now?: () => Date } = {},
): Promise<CheckReport> {
  const findings: CheckFinding[] = []
  const counts = { journalRecords: 0, calls: 0, months: 0, documents: 0 }
  const rel = (p: string): string => p.slice(dataDir.length + 1)
  const add = (level: CheckFinding['level'], file: string, message: string): void => {
    findings.push({ level, file: rel(file), message })
  }
  const calls = callsDir(dataDir)

  // Permission is not damage: told apart, never set aside by a repair.
  const blocked = await inaccessibleFiles(dataDir)
  for (const f of blocked)
    add(
      'damage',
      f.path,
      `not damaged, but ${processUser()} may not read or write it (${describeOwner(f.owner)}): the app refuses to start until it belongs to the user the app runs as (chown)`,
    )
  const readable = async (file: string): Promise<string | null> => {
    try {
      return await documentDamage(dataDir, file)
    } catch (err) {
      // Reported above, itself or the folder that holds it.
      if (err instanceof FolderAccessError) return null
      throw err
    }
  }

  try {
    JSON.parse(await readFile(metaPath(calls), 'utf8'))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
      add('damage', metaPath(calls), `not readable: ${(err as Error).message}`)
  }

  const journals = (await listJournals(calls).catch(() => [])).map((s) => journalPath(calls, s))
  const rejected = await jsonlFiles(rejectedDir(dataDir))
  for (const [i, file] of [...journals, ...rejected].entries()) {
    const current = i === journals.length - 1 || file === rejected.at(-1)
    counts.journalRecords += await checkJournal(file, current && opts.live === true, add)
  }

  for (const month of await listShardMonths(calls).catch(() => [])) {
    counts.months++
    counts.calls += await checkMonth(calls, month, add)
  }

  for (const doc of DOCUMENTS) {
    const damage = await readable(doc.file)
    counts.documents++
    if (damage) add('damage', join(dataDir, doc.file), `${damage}; ${doc.what} would be set aside`)
  }
  const outbox = await readJson(join(dataDir, 'vendor/outbox.json'))
  if (outbox && !Array.isArray((outbox as { changes?: unknown }).changes))
    add('damage', join(dataDir, 'vendor/outbox.json'), 'has no list of changes')
  const secrets = await readable('secrets.json')
  if (secrets)
    add('damage', join(dataDir, 'secrets.json'), `${secrets}: the app cannot start with it`)

  if (!findings.some((f) => f.level !== 'ok'))
    findings.push({ level: 'ok', file: '.', message: 'no damage found' })
  return {
    dataDir,
    checkedAt: (opts.now ?? (() => new Date()))().toISOString(),
    ok: !findings.some((f) => f.level === 'damage'),
    findings,
    counts,
    repaired: [],
  }
}

type Add = (level: CheckFinding['level'], file: string, message: string) => void

async function checkJournal(file: string, live: boolean, add: Add): Promise<number> {
  let data: Buffer
  try {
    data = await readFile(file)
  } catch {
    return 0
  }
  const { records, skipped, end } = scanJournal(data)
  for (const s of skipped)
    add('damage', file, `record at byte ${s.offset} (${s.length} bytes) fails its checksum`)
  if (end < data.length && !live)
    add(
      'warning',
      file,
      `torn last record (${data.length - end} bytes): a write interrupted by a crash, never acknowledged; cut aside at the next start`,
    )
  return records.length
}

/** Checks one month document and its index; returns the calls it holds (readable ones). */
async function checkMonth(calls: string, month: string, add: Add): Promise<number> {
  const file = shardPath(calls, month)
  const doc = await readFile(file)
  const verdict = verifyMonth(doc)
  if (verdict.state === 'damaged') {
    const { calls: readable } = salvageMonth(doc)
    add('damage', file, `${verdict.reason}; ${readable.length} calls can still be read from it`)
    return readable.length
  }
  const sums = verdict.state === 'intact' ? readSums(doc) : null
  if (verdict.state === 'legacy')
    add('warning', file, 'written before month checksums: checked for syntax only')
  const rows = await readIndex(calls, month)
  if (!rows) {
    const exists = await access(indexPath(calls, month)).then(
      () => true,
      () => false,
    )
    if (exists)
      add('damage', indexPath(calls, month), 'unreadable or cut short: rebuilt from its month')
    else
      add(
        'warning',
        indexPath(calls, month),
        'missing (a restored backup, or a crash before it was written): rebuilt from its month at the next start',
      )
    return sums?.size ?? 0
  }
  let stale = 0
  for (const row of rows) {
    const bytes = callBytesAt(doc, row)
    if (!bytes || (sums && !sums.has(crc32(bytes)))) stale++
  }
  const n = sums?.size ?? rows.length
  if (stale > 0 || (sums && rows.length !== sums.size))
    add(
      'warning',
      indexPath(calls, month),
      `does not match its month (${stale} of ${rows.length} entries; the month has ${n} calls): rebuilt from its month`,
    )
  return n
}

async function jsonlFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir))
      .filter((n) => /^\d{8}\.jsonl$/.test(n))
      .sort()
      .map((n) => join(dir, n))
  } catch {
    return []
  }
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'))
  } catch {
    return null
  }
}

/** The report as the doctor prints it. */
export function formatReport(r: CheckReport): string {
  const mark = { ok: 'ok     ', warning: 'warning', damage: 'DAMAGE ' }
  const lines = [
    `Data folder: ${r.dataDir}`,
    `Checked: ${r.counts.journalRecords} journal records, ${r.counts.calls} calls in ${r.counts.months} month files, ${r.counts.documents} documents`,
    ...r.findings.map((f) => `${mark[f.level]}  ${f.file}: ${f.message}`),
    ...r.repaired.map((x) => `repaired  ${x}`),
    r.ok ? 'Result: no damage.' : 'Result: DAMAGE FOUND (run with --repair to contain it).',
  ]
  return lines.join('\n')
}
