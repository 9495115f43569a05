import { unlink } from 'node:fs/promises'
import { join } from 'node:path'
import type { CheckReport } from '../../shared/storage'
import type { Clock } from '../ground/clock'
import type { Logger } from '../ground/logger'
import { FileCallStore } from '../storage/folder/fileCallStore'
import { FileRejectedLog } from '../storage/folder/rejectedLog'
import { readMeta } from '../storage/folder/manifest'
import type { StorageProblemReport, StorageReporter } from '../storage/types'
import { callsDir, rejectedDir } from './check'
import { containDamagedDocuments } from './documents'
import { StorageProblems } from './problems'

/**
 * The containment the app does when it meets damage, done offline on a folder nobody else holds
 * (`npm run doctor -- --repair`): damaged documents and month files set aside, damaged journal
 * records skipped and kept aside, unreadable or mismatched indexes rebuilt from their months,
 * then a checkpoint so the folder is clean. What was done is also kept as storage problems, so
 * the app shows it at its next start. Returns one line per thing done.
 */
export async function repairDataFolder(
  dataDir: string,
  report: CheckReport,
  opts: { clock: Clock; logger: Logger; defaultTimezone: string },
): Promise<string[]> {
  const problems = await StorageProblems.open({ dataDir, clock: opts.clock, logger: opts.logger })
  const done: string[] = []
  const reporter: StorageReporter = {
    problem(p: StorageProblemReport) {
      problems.problem(p)
      done.push(`${p.summary}${p.keptAt ? ` Kept at ${p.keptAt}.` : ''}`)
    },
    recovered: (id) => problems.recovered(id),
  }
  await containDamagedDocuments(dataDir, reporter, opts.clock.now())

  const calls = callsDir(dataDir)
  for (const f of report.findings)
    if (f.file.startsWith('calls/shards/') && f.file.endsWith('.idx') && f.level !== 'ok') {
      if (f.message.startsWith('missing')) continue
      await unlink(join(dataDir, f.file)).catch(() => {})
      done.push(`${f.file}: removed; rebuilt from its month`)
    }

  let timezone = opts.defaultTimezone
  try {
    timezone = (await readMeta(calls, timezone)).meta.timezone
  } catch {
    // A damaged meta.json is contained by the store itself.
  }
  const store = await FileCallStore.open({
    dir: calls,
    timezone,
    clock: opts.clock,
    logger: opts.logger,
    checkpointIntervalMs: 0,
    reporter,
  })
  await store.verifyMonths()
  await store.checkpoint()
  await store.close()
  const rejected = await FileRejectedLog.open({ dir: rejectedDir(dataDir), clock: opts.clock })
  await rejected.close()
  await problems.flushed()
  return done
}
