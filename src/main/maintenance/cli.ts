/**
 * The data-folder tools, run without the app:
 *
 *   npm run doctor -- [--repair] [--json] [<data folder>]
 *   npm run backup -- [<data folder>] [--to <backups folder>]
 *   npm run restore -- <backup folder> [<data folder>]
 *
 * The data folder defaults to IVRS_DATA_DIR, else the per-user folder the app uses. The doctor and
 * restore take the folder's lock and refuse while the app holds it; a backup works either way
 * (see backup.ts for why a copy taken beside the running app is consistent).
 */
import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { defaultDataDir } from '../ground/paths'
import { asFolderOwner, FolderAccessError } from '../ground/fileOwner'
import { systemClock } from '../ground/clock'
import { consoleLogger } from '../ground/logger'
import {
  acquireDataFolderLock,
  DataFolderInUseError,
  type DataFolderLock,
} from '../dataFolder/lock'
import { backupDataFolder, defaultBackupDir, restoreBackup } from './backup'
import { checkDataFolder, formatReport } from './check'
import { repairDataFolder } from './repair'

const out = (line: string): void => void process.stdout.write(line + '\n')

/** The data folder named (or the default), acted on as its owner (see asFolderOwner). */
function folderArg(args: string[]): string {
  const given = args.find((a) => !a.startsWith('--'))
  const dir = resolve(given || process.env.IVRS_DATA_DIR || defaultDataDir())
  asFolderOwner(dir)
  return dir
}

async function takeOrExplain(dir: string, mode: string, what: string): Promise<DataFolderLock> {
  try {
    return await acquireDataFolderLock(dir, { mode })
  } catch (err) {
    if (err instanceof DataFolderInUseError) {
      process.stderr.write(
        `${err.message}\nThe ${what} works only on a folder no program holds: quit the app (or stop headless mode) first. In the app, Settings → Data folder offers the same check and a backup.\n`,
      )
      process.exit(2)
    }
    throw err
  }
}

/** The backups folder of a data folder: the one its settings name, else the default. */
async function backupsOf(dir: string): Promise<string> {
  try {
    const s = JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8')) as {
      backupDir?: string | null
    }
    if (s.backupDir) return s.backupDir
  } catch {
    // No settings: the default folder.
  }
  return defaultBackupDir(dir)
}

async function doctor(args: string[]): Promise<number> {
  const dir = folderArg(args)
  const repair = args.includes('--repair')
  const json = args.includes('--json')
  const lock = await takeOrExplain(dir, 'doctor', 'doctor')
  const backupDir = await backupsOf(dir)
  try {
    let report = await checkDataFolder(dir, { backupDir })
    if (repair && !report.ok) {
      if (!json) {
        out(formatReport(report))
        out('')
        out('Repairing (damaged files are set aside, never deleted)...')
      }
      let repaired
      try {
        repaired = await repairDataFolder(dir, report, {
          clock: systemClock,
          logger: consoleLogger(() => [], 'info'),
          defaultTimezone: process.env.IVRS_TIMEZONE ?? 'Asia/Kolkata',
        })
      } catch (err) {
        // A file it may not read is no damage to repair: said, and left as it is.
        if (!(err instanceof FolderAccessError)) throw err
        if (json) out(JSON.stringify(report))
        process.stderr.write(`Not repaired: ${err.message}\n`)
        return 1
      }
      report = { ...(await checkDataFolder(dir, { backupDir })), repaired }
    }
    out(json ? JSON.stringify(report) : formatReport(report))
    return report.ok ? 0 : 1
  } finally {
    await lock.release()
  }
}

async function backup(args: string[]): Promise<number> {
  const to = args.indexOf('--to')
  const rest = to >= 0 ? args.filter((_, i) => i !== to && i !== to + 1) : args
  const dir = folderArg(rest)
  const backupDir = to >= 0 && args[to + 1] ? resolve(args[to + 1]!) : await backupsOf(dir)
  let lock: DataFolderLock | null = null
  try {
    lock = await acquireDataFolderLock(dir, { mode: 'backup' })
  } catch (err) {
    if (!(err instanceof DataFolderInUseError)) throw err
    out(`${dir} is in use (${err.holder?.mode ?? 'unknown'}, process ${err.holder?.pid ?? '?'}):`)
    out('copying beside it, in the order that keeps the copy consistent.')
  }
  try {
    const made = await backupDataFolder({ dataDir: dir, backupDir })
    out(`Backup made: ${made.path} (${made.files} files, ${made.bytes} bytes)`)
    out(`Restore it with: npm run restore -- "${made.path}" "${dir}"`)
    return 0
  } finally {
    await lock?.release()
  }
}

async function restore(args: string[]): Promise<number> {
  const [backupArg, ...rest] = args.filter((a) => !a.startsWith('--'))
  if (!backupArg) {
    process.stderr.write('Usage: npm run restore -- <backup folder> [<data folder>]\n')
    return 2
  }
  const dir = folderArg(rest)
  const lock = await takeOrExplain(dir, 'restore', 'restore')
  try {
    const done = await restoreBackup({ backup: resolve(backupArg), dataDir: dir })
    out(`Restored ${done.files} files into ${dir}.`)
    if (done.replacedInto) out(`What the folder held before is kept in ${done.replacedInto}.`)
    out('Start the app: it replays the restored journal and rebuilds the month indexes.')
    return 0
  } finally {
    await lock.release()
  }
}

const [command, ...args] = process.argv.slice(2)
const commands: Record<string, (a: string[]) => Promise<number>> = { doctor, backup, restore }
const run = command ? commands[command] : undefined
if (!run) {
  process.stderr.write('Usage: cli.ts doctor|backup|restore ...\n')
  process.exit(2)
}
run(args).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`Failed: ${err instanceof Error ? err.message : String(err)}\n`)
    process.exit(1)
  },
)
