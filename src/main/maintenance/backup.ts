import { createHash } from 'node:crypto'
import { cp, mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises'
import { dirname, join, relative, resolve, sep } from 'node:path'
import type { BackupResult } from '../../shared/storage'
import { fsyncDir, renameOwned } from '../dataFolder/durableFile'
import { checkOwner } from '../dataFolder/fence'
import { HOLDER_NAME, LOCK_NAME } from '../dataFolder/lock'
import { ADMIN_CHANNEL_FILE } from '../ground/paths'

/**
 * Backups of a data folder: `<backups>/ivrs-backup-<UTC time>/` holding a copy of the folder and
 * `backup.json` (what is in it, with sizes and SHA-256). A backup is copied into a hidden
 * `.partial-*` folder and renamed into place only once every file is fsync'd, so a half-written
 * backup never looks like one.
 *
 * A consistent copy needs no pause of the app. Files are copied in the order the checkpoint
 * protocol makes safe: `calls/meta.json` first, then the journals, then the month files (a month
 * copied after a later checkpoint holds at least what the copied journals lack; replay never
 * takes a call back to an older version). Every other file is replaced whole by a rename, so a
 * copy opened once reads one whole version; append-only logs are copied up to their last
 * complete line. Month indexes are not copied: a restored folder rebuilds them from the months.
 */

export const BACKUP_PREFIX = 'ivrs-backup-'
export const MANIFEST = 'backup.json'

export interface BackupManifest {
  app: 'IVR Supervisor'
  createdAt: string
  dataDir: string
  files: { path: string; bytes: number; sha256: string }[]
}

/** The backups folder of a data folder unless the user chose another. */
export function defaultBackupDir(dataDir: string): string {
  return join(dataDir, 'backups')
}

/** Top-level entries of a data folder that are not data (or are the app's own scratch). */
const SKIP_TOP = new Set([
  'backups',
  'chromium',
  'logs',
  LOCK_NAME,
  HOLDER_NAME,
  // A running server's address and token for `npm run users`: meaningless in a copy.
  ADMIN_CHANNEL_FILE,
])

function skipped(rel: string): boolean {
  const parts = rel.split(sep)
  const name = parts.at(-1)!
  if (SKIP_TOP.has(parts[0]!) || parts[0]!.startsWith(`${LOCK_NAME}.`)) return true
  if (parts.includes('damaged') || name.includes('.damaged-')) return true
  if (name.startsWith('.') && name.endsWith('.tmp')) return true
  // Indexes are rebuilt from their months (an index copied beside a newer month would lie).
  return /\.idx(\.json)?$/.test(name)
}

/** Copy order: meta.json, then journals, then everything else (see the module comment). */
function rank(rel: string): number {
  if (rel === join('calls', 'meta.json')) return 0
  if (rel.startsWith(join('calls', 'journal') + sep)) return 1
  return 2
}

async function listFiles(root: string, dir = root, out: string[] = []): Promise<string[]> {
  let entries
  try {
    entries = await readdir(dir, { withFileTypes: true })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return out
    throw err
  }
  for (const e of entries) {
    const path = join(dir, e.name)
    const rel = relative(root, path)
    if (skipped(rel)) continue
    if (e.isDirectory()) await listFiles(root, path, out)
    else if (e.isFile()) out.push(rel)
  }
  return out
}

/** Reads a file through one descriptor (one version of it); an append-only log up to its last line. */
async function readWhole(path: string): Promise<Buffer | null> {
  let data: Buffer
  try {
    data = await readFile(path)
  } catch (err) {
    // Retired by a checkpoint meanwhile: the months copied after it hold its calls.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
  if (path.endsWith('.jsonl')) data = data.subarray(0, data.lastIndexOf(10) + 1)
  return data
}

async function writeSynced(path: string, data: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 })
  const fh = await open(path, 'w', 0o600)
  try {
    await fh.writeFile(data)
    await fh.sync()
  } finally {
    await fh.close()
  }
}

const stamp = (d: Date): string => d.toISOString().replace(/[:.]/g, '-')

/** Copies the data folder into a new backup under `backupDir`; see the module comment. */
export async function backupDataFolder(opts: {
  dataDir: string
  backupDir: string
  now?: () => Date
  /** Calls the source holds, for the result (the running store's count). */
  calls?: number
}): Promise<Omit<BackupResult, 'pruned'>> {
  const now = (opts.now ?? (() => new Date()))()
  const dataDir = resolve(opts.dataDir)
  await mkdir(opts.backupDir, { recursive: true, mode: 0o700 })
  const name = `${BACKUP_PREFIX}${stamp(now)}`
  const partial = join(opts.backupDir, `.partial-${name}-${process.pid}`)
  const manifest: BackupManifest = {
    app: 'IVR Supervisor',
    createdAt: now.toISOString(),
    dataDir,
    files: [],
  }
  let bytes: number
  const metaRel = join('calls', 'meta.json')
  try {
    // A checkpoint of the app running beside the copy rewrites meta.json: the list of the files
    // the store must hold would then name a journal this copy lacks, or one it retired. The
    // copy is taken again until meta.json stayed the same from start to end (as a seqlock).
    for (let attempt = 1; ; attempt++) {
      manifest.files = []
      await rm(partial, { recursive: true, force: true })
      // Each stage is listed after the one before it was copied (see the module comment).
      await copyOne(dataDir, partial, metaRel, manifest)
      const journals = await listFiles(dataDir, join(dataDir, 'calls', 'journal'))
      for (const rel of journals.sort()) await copyOne(dataDir, partial, rel, manifest)
      for (const rel of await listFiles(dataDir))
        if (rank(rel) === 2) await copyOne(dataDir, partial, rel, manifest)
      const copied = await readFile(join(partial, metaRel)).catch(() => null)
      const now = await readFile(join(dataDir, metaRel)).catch(() => null)
      if (copied === null ? now === null : now !== null && copied.equals(now)) break
      // Never a copy whose list names files it lacks: after five tries, no backup, said plainly.
      if (attempt >= 5)
        throw new Error(
          `${join(dataDir, metaRel)} changed during each of 5 copies (something is writing the data folder while it is backed up); no backup was kept: try again when the folder is quiet`,
        )
    }
    bytes = manifest.files.reduce((a, f) => a + f.bytes, 0)
    await writeSynced(join(partial, MANIFEST), Buffer.from(JSON.stringify(manifest, null, 1)))
    await syncTree(partial)
    await renameOwned(partial, join(opts.backupDir, name))
    await fsyncDir(opts.backupDir)
  } catch (err) {
    await rm(partial, { recursive: true, force: true }).catch(() => {})
    throw err
  }
  return {
    path: join(opts.backupDir, name),
    at: manifest.createdAt,
    files: manifest.files.length,
    bytes,
    calls: opts.calls ?? null,
  }
}

async function copyOne(
  dataDir: string,
  partial: string,
  rel: string,
  manifest: BackupManifest,
): Promise<void> {
  if (manifest.files.some((f) => f.path === rel)) return
  const data = await readWhole(join(dataDir, rel))
  if (!data) return
  await writeSynced(join(partial, rel), data)
  manifest.files.push({
    path: rel,
    bytes: data.length,
    sha256: createHash('sha256').update(data).digest('hex'),
  })
}

async function syncTree(dir: string): Promise<void> {
  for (const e of await readdir(dir, { withFileTypes: true }))
    if (e.isDirectory()) await syncTree(join(dir, e.name))
  await fsyncDir(dir)
}

/** The complete backups in `backupDir`, newest first. */
export async function listBackups(
  backupDir: string,
): Promise<{ path: string; createdAt: string }[]> {
  let names: string[]
  try {
    names = await readdir(backupDir)
  } catch {
    return []
  }
  const out: { path: string; createdAt: string }[] = []
  for (const n of names.filter((x) => x.startsWith(BACKUP_PREFIX))) {
    try {
      const m = JSON.parse(await readFile(join(backupDir, n, MANIFEST), 'utf8')) as BackupManifest
      out.push({ path: join(backupDir, n), createdAt: m.createdAt })
    } catch {
      // Not a complete backup of ours: left alone.
    }
  }
  return out.sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))
}

/** Removes backups older than `keepDays` (never the newest one); returns the removed paths. */
export async function pruneBackups(
  backupDir: string,
  keepDays: number,
  now: Date,
): Promise<string[]> {
  const cutoff = now.getTime() - keepDays * 86_400_000
  const old = (await listBackups(backupDir))
    .slice(1)
    .filter((b) => Date.parse(b.createdAt) < cutoff)
  for (const b of old) {
    // Backups kept inside the data folder are the owner's to remove.
    checkOwner(b.path)
    await rm(b.path, { recursive: true, force: true })
  }
  return old.map((b) => b.path)
}

/** Checks a backup against its manifest; throws naming the first file that does not match. */
export async function verifyBackup(backup: string): Promise<BackupManifest> {
  let manifest: BackupManifest
  try {
    manifest = JSON.parse(await readFile(join(backup, MANIFEST), 'utf8')) as BackupManifest
  } catch (err) {
    throw new Error(
      `${join(backup, MANIFEST)} is missing or unreadable: not a complete backup (${(err as Error).message})`,
      { cause: err },
    )
  }
  for (const f of manifest.files) {
    const path = join(backup, f.path)
    const data = await readFile(path).catch(() => null)
    if (
      !data ||
      data.length !== f.bytes ||
      createHash('sha256').update(data).digest('hex') !== f.sha256
    )
      throw new Error(`${path} does not match the backup's record of it: the backup is damaged`)
  }
  return manifest
}

/**
 * Restores a backup into `dataDir`, which the caller holds (its lock): the folder's current
 * content is moved into `replaced-<time>/` inside it (never deleted), then the backup's files are
 * copied in. The next start replays the restored journal and rebuilds the month indexes.
 */
export async function restoreBackup(opts: {
  backup: string
  dataDir: string
  now?: () => Date
}): Promise<{ replacedInto: string | null; files: number }> {
  const manifest = await verifyBackup(opts.backup)
  const now = (opts.now ?? (() => new Date()))()
  const keep = new Set([LOCK_NAME, HOLDER_NAME, 'backups'])
  await mkdir(opts.dataDir, { recursive: true })
  const present = (await readdir(opts.dataDir)).filter(
    (n) => !keep.has(n) && !n.startsWith(`${LOCK_NAME}.`) && !n.startsWith('replaced-'),
  )
  let replacedInto: string | null = null
  if (present.length > 0) {
    replacedInto = join(opts.dataDir, `replaced-${stamp(now)}`)
    await mkdir(replacedInto, { mode: 0o700 })
    for (const n of present) await rename(join(opts.dataDir, n), join(replacedInto, n))
  }
  for (const f of manifest.files) {
    const to = join(opts.dataDir, f.path)
    await mkdir(dirname(to), { recursive: true, mode: 0o700 })
    await cp(join(opts.backup, f.path), to)
  }
  await syncTree(opts.dataDir)
  const sizes = await Promise.all(manifest.files.map((f) => stat(join(opts.dataDir, f.path))))
  return { replacedInto, files: sizes.length }
}
