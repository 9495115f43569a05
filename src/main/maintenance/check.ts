import { access, readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { crc32 } from 'node:zlib'
import type { CheckFinding, CheckReport } from '../../shared/storage'
import { fragmentsIn, scanJournal, type Fragment } from '../storage/folder/journal'
import { accountJournals } from '../storage/folder/journalReplay'
import { readMeta, sameFile, type MonthEntry, type StoreMeta } from '../storage/folder/manifest'
import { DamagedFileError, readSums, salvageMonth, verifyMonth } from '../storage/folder/monthSeal'
import {
  callBytesAt,
  indexPath,
  journalPath,
  listJournals,
  listShardMonths,
  metaPath,
  monthIdentity,
  readIndex,
  shardPath,
} from '../storage/folder/shardFiles'
import { listBackups } from './backup'
import { DOCUMENTS, documentDamage } from './documents'
import { inaccessibleFiles } from './folderAccess'
import { describeOwner, FolderAccessError, processUser } from '../ground/fileOwner'

/** Where the call store and the rejected-pushes log live inside a data folder. */
export const callsDir = (dataDir: string): string => join(dataDir, 'calls')
export const rejectedDir = (dataDir: string): string => join(dataDir, 'rejected')

/**
 * Checks a data folder without changing anything: meta.json (its checksum, and the files it says
 * must exist: every month it lists, the journal it names), journal checksums and record numbers
 * (calls and rejected pushes), month checksums, each month's index against its month, the outbox
 * and the other documents. Lost calls are counted exactly where the record numbers, the list or
 * an index allow, and named by whatever still can: an index, a fragment of a record, the newest
 * backup in `backupDir`. `live`: the folder is in use by the caller itself, so a last journal
 * record being written is not a torn one.
 */
export async function checkDataFolder(
  dataDir: string,
  opts: { live?: boolean; now?: () => Date; backupDir?: string } = {},
): Promise<CheckReport> {
  const findings: CheckFinding[] = []
  const counts = { journalRecords: 0, calls: 0, months: 0, documents: 0 }
  const rel = (p: string): string => p.slice(dataDir.length + 1)
  const add = (level: CheckFinding['level'], file: string, message: string): void => {
    findings.push({ level, file: rel(file), message })
  }
  const calls = callsDir(dataDir)
  const backup = opts.backupDir ? ((await listBackups(opts.backupDir))[0] ?? null) : null
  const named = new BackupNames(backup?.path ?? null)

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

  let meta: StoreMeta | null = null
  const months = await listShardMonths(calls).catch(() => [] as string[])
  const seqs = await listJournals(calls).catch(() => [] as number[])
  try {
    const read = await readMeta(calls, 'UTC')
    if (read.state === 'sealed') meta = read.meta
    else if (read.state === 'legacy')
      add(
        'warning',
        metaPath(calls),
        'written by an older version: it lists no files yet, so none can be cross-checked until the app next saves',
      )
    else if (months.length > 0 || seqs.length > 1)
      add(
        'damage',
        metaPath(calls),
        'missing: the list of the files the store must hold is gone (the app writes it again at its next start)',
      )
  } catch (err) {
    const why = err instanceof DamagedFileError ? err.reason : (err as Error).message
    add('damage', metaPath(calls), `${why}: it would be set aside and every journal replayed`)
  }

  const scans = await scanJournals(calls, seqs, opts.live === true, add)
  for (const s of scans) counts.journalRecords += s.records
  const rejected = await jsonlFiles(rejectedDir(dataDir))
  for (const file of rejected)
    counts.journalRecords += await checkJournal(
      file,
      opts.live === true && file === rejected.at(-1),
      add,
    )
  if (meta) {
    // Months written after meta.json (a checkpoint cut short) may hold a missing journal's records.
    let changed = false
    for (const month of months) {
      const listed = meta.months?.[month]
      const now = await monthIdentity(calls, month)
      if (!listed || !now || !sameFile(listed, now)) changed = true
    }
    await accountLosses(calls, meta, scans, named, changed, add)
  }

  for (const month of months) {
    counts.months++
    const held = await checkMonth(calls, month, add)
    counts.calls += held
    const listed = meta?.months?.[month]
    if (listed) await checkListed(calls, month, listed, held, meta!, seqs, add)
  }
  for (const [month, listed] of Object.entries(meta?.months ?? {}))
    if (!months.includes(month))
      await checkMissingMonth(calls, month, listed.calls, scans, named, add)

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

/** A journal of the call store as read by the check: its records' numbers and ids. */
interface JournalScan {
  seq: number
  records: number
  numbers: (number | undefined)[]
  fragments: Fragment[]
  /** Ids of its intact call records, with the number of each. */
  ids: Map<string, number | undefined>
}

async function scanJournals(
  calls: string,
  seqs: readonly number[],
  live: boolean,
  add: Add,
): Promise<JournalScan[]> {
  const out: JournalScan[] = []
  for (const [i, seq] of seqs.entries()) {
    const file = journalPath(calls, seq)
    const data = await readFile(file).catch(() => null)
    if (!data) continue
    const scan = scanJournal<{ q?: number; c?: { id: string }; u?: { id: string } }>(data)
    reportJournalDamage(file, data, scan, live && i === seqs.length - 1, add)
    const ids = new Map<string, number | undefined>()
    for (const r of scan.records) {
      const id = r.c?.id ?? r.u?.id
      if (id !== undefined) ids.set(id, r.q)
    }
    out.push({
      seq,
      records: scan.records.length,
      numbers: scan.records.map((r) => r.q),
      fragments: [
        ...scan.skipped.flatMap((sk) =>
          fragmentsIn(data.subarray(sk.offset, sk.offset + sk.length)),
        ),
        ...fragmentsIn(data.subarray(scan.end)),
      ],
      ids,
    })
  }
  return out
}

function reportJournalDamage(
  file: string,
  data: Buffer,
  scan: { skipped: { offset: number; length: number }[]; end: number },
  live: boolean,
  add: Add,
): void {
  for (const s of scan.skipped)
    add('damage', file, `record at byte ${s.offset} (${s.length} bytes) fails its checksum`)
  if (scan.end < data.length && !live)
    add(
      'warning',
      file,
      `torn last record (${data.length - scan.end} bytes): a write interrupted by a crash, never acknowledged; cut aside at the next start`,
    )
}

async function checkJournal(file: string, live: boolean, add: Add): Promise<number> {
  let data: Buffer
  try {
    data = await readFile(file)
  } catch {
    return 0
  }
  const scan = scanJournal(data)
  reportJournalDamage(file, data, scan, live, add)
  return scan.records.length
}

/**
 * What the record numbers say was lost (exact counts, named where a fragment or the newest
 * backup still holds the record), and a journal the list names that is missing.
 */
async function accountLosses(
  calls: string,
  meta: StoreMeta,
  scans: readonly JournalScan[],
  named: BackupNames,
  monthsChanged: boolean,
  add: Add,
): Promise<void> {
  const { losses } = accountJournals(scans, meta)
  const interrupted = scans.some((s) => s.seq > meta.journalSeq)
  const say = async (count: number, ids: string[], gaps: [number, number][]): Promise<string> => {
    const own = [...new Set(ids)]
    const inBackup: string[] = []
    for (const [from, to] of gaps) inBackup.push(...(await named.records(from, to)))
    const kept = [...new Set(inBackup)].filter((id) => !own.includes(id))
    return (
      `${count} acknowledged push${count === 1 ? '' : 'es'} lost` +
      (own.length > 0 ? `; named from what survived: ${own.slice(0, 20).join(', ')}` : '') +
      (kept.length > 0
        ? `; the newest backup (${named.path}) holds ${kept.slice(0, 20).join(', ')}`
        : '')
    )
  }
  for (const [i, loss] of losses.entries()) {
    const scan = scans[i]!
    if (loss.lost > 0)
      add('damage', journalPath(calls, scan.seq), await say(loss.lost, loss.ids, loss.gaps))
    if (loss.lostBefore > 0)
      add(
        'damage',
        journalPath(calls, scan.seq - 1),
        `missing: ${interrupted && monthsChanged ? 'up to ' : ''}${await say(loss.lostBefore, loss.idsBefore, loss.gapsBefore)} (counted from the numbers of the next journal${interrupted && monthsChanged ? '; a save cut short may have put them into the month files already' : ''})`,
      )
  }
  if (!scans.some((s) => s.seq === meta.journalSeq) && !scans.some((s) => s.seq > meta.journalSeq))
    add(
      'damage',
      journalPath(calls, meta.journalSeq),
      meta.closed
        ? 'missing: it held no call (the store had been closed cleanly), so none is lost'
        : `missing: it held every call acknowledged after the last save (${meta.lastPushAt ?? 'time unknown'}); how many cannot be told, it was their only record`,
    )
}

/** A month file against what meta.json lists for it (when the file is not the one listed). */
async function checkListed(
  calls: string,
  month: string,
  listed: MonthEntry,
  held: number,
  meta: StoreMeta,
  seqs: readonly number[],
  add: Add,
): Promise<void> {
  const now = await monthIdentity(calls, month)
  const same = now !== null && sameFile(listed, now)
  // A checkpoint interrupted after writing the month leaves the journal after the listed one.
  if (same || held >= listed.calls || seqs.some((s) => s > meta.journalSeq)) return
  add(
    'damage',
    shardPath(calls, month),
    `not the file the store last wrote: it holds ${held} calls where ${listed.calls} were saved, so ${listed.calls - held} are missing`,
  )
}

/** A month meta.json lists whose file is gone: what it held, and who can still name it. */
async function checkMissingMonth(
  calls: string,
  month: string,
  held: number,
  scans: readonly JournalScan[],
  named: BackupNames,
  add: Add,
): Promise<void> {
  const rows = await readIndex(calls, month)
  const inJournal = new Set(scans.flatMap((s) => [...s.ids.keys()]))
  if (rows) {
    const lost = rows.map((r) => r.id).filter((id) => !inJournal.has(id))
    const back = rows.length - lost.length
    add(
      'damage',
      shardPath(calls, month),
      `missing: it held ${held} calls (named by its index)` +
        (back > 0 ? `; ${back} are still in the journal` : '') +
        `; ${lost.length} lost${lost.length > 0 ? `: ${lost.slice(0, 20).join(', ')}${lost.length > 20 ? ', ...' : ''}` : ''}` +
        (await named.monthNote(month, lost)),
    )
    return
  }
  const fromBackup = await named.month(month)
  add(
    'damage',
    shardPath(calls, month),
    `missing, and its index too: it held ${held} calls, which nothing in the folder can name` +
      (fromBackup
        ? `; the newest backup (${named.path}) has the month with ${fromBackup.length} calls: restore it`
        : ''),
  )
}

/** What the newest backup still holds: a month's calls, journal records by number. */
class BackupNames {
  private journalIds: Map<number, string> | null = null

  constructor(readonly path: string | null) {}

  /** Ids of the calls of `month` in the backup, or null when it has no such month. */
  async month(month: string): Promise<string[] | null> {
    if (!this.path) return null
    const doc = await readFile(join(this.path, 'calls', 'shards', `${month}.json`)).catch(
      () => null,
    )
    return doc ? salvageMonth(doc).calls.map((c) => c.id) : null
  }

  async monthNote(month: string, lost: readonly string[]): Promise<string> {
    if (lost.length === 0) return ''
    const ids = new Set((await this.month(month)) ?? [])
    const kept = lost.filter((id) => ids.has(id)).length
    return kept > 0 ? `; the newest backup (${this.path}) holds ${kept} of them: restore it` : ''
  }

  /** Ids of the backup's journal records numbered `from` to `to`. */
  async records(from: number, to: number): Promise<string[]> {
    if (!this.path) return []
    if (!this.journalIds) {
      this.journalIds = new Map()
      const dir = join(this.path, 'calls', 'journal')
      for (const name of await readdir(dir).catch(() => [] as string[])) {
        const data = await readFile(join(dir, name)).catch(() => null)
        if (!data) continue
        const { records } = scanJournal<{ q?: number; c?: { id: string }; u?: { id: string } }>(
          data,
        )
        for (const r of records) {
          const id = r.c?.id ?? r.u?.id
          if (typeof r.q === 'number' && id !== undefined) this.journalIds.set(r.q, id)
        }
      }
    }
    const out: string[] = []
    for (let q = from; q <= to; q++) {
      const id = this.journalIds.get(q)
      if (id !== undefined) out.push(id)
    }
    return out
  }
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
