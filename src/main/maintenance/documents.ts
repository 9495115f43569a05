import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { renameOwned } from '../dataFolder/durableFile'
import type { StorageReporter } from '../storage/types'
import { FolderAccessError, isPermissionError, ownerOf } from '../ground/fileOwner'

/** A small JSON document of the data folder, and what setting it aside means for the user. */
export interface DocumentSpec {
  /** Path relative to the data folder. */
  file: string
  what: string
  /** What the user finds after it was set aside, and what to do. */
  consequence: string
}

/**
 * The documents the app keeps besides calls. A damaged one is set aside and the app starts with
 * an empty one (telling the user), rather than not starting: a stopped app loses calls.
 * `secrets.json` is not among them: setting it aside would change the webhook URL, so a damaged
 * one stops start-up with a message naming it.
 */
export const DOCUMENTS: readonly DocumentSpec[] = [
  {
    file: 'settings.json',
    what: 'the settings',
    consequence: 'Settings are back to their defaults: enter them again under Settings.',
  },
  {
    file: 'vendor/agents.json',
    what: 'the agent directory',
    consequence: 'The agent directory is empty: import it again (Agents).',
  },
  {
    file: 'vendor/holidays.json',
    what: 'the holiday list',
    consequence: 'The holiday list is empty here (the vendor keeps its own): add them again.',
  },
  {
    file: 'vendor/office-hours.json',
    what: 'the office hours',
    consequence: 'Office hours are empty here (the vendor keeps its own): set them again.',
  },
  {
    file: 'vendor/schedule-history.json',
    what: 'the history of office hours and holidays',
    consequence:
      'Calls that arrived before now are no longer judged against the office hours of their time: none of them is flagged "outside hours". The history starts again from the hours and holidays set now.',
  },
  {
    file: 'vendor/agent-availability.json',
    what: 'the history of agents’ confirmed statuses',
    consequence:
      'The Dashboard no longer counts missed calls while agents were available before now: it starts again from each agent’s status as confirmed now.',
  },
  {
    file: 'vendor/outbox.json',
    what: 'the outbox of changes for the vendor',
    consequence:
      'Changes waiting for the vendor are gone; vendor/vendor-audit.jsonl still lists every one: send again those still needed.',
  },
  {
    file: 'accounts.json',
    what: 'the team accounts',
    consequence:
      'Every personal token stopped working (the launch token still does): add the people again (npm run users -- add), or restore the file from a backup.',
  },
  {
    file: 'missed/missed-queue.json',
    what: 'the missed-call queue',
    consequence:
      'The queue is rebuilt from the last 7 days of calls; notes and marks made earlier are gone.',
  },
]

/**
 * What is wrong with a document, or null when it is missing or a JSON object. A document this
 * process may not read is not damaged: that throws a {@link FolderAccessError}.
 */
export async function documentDamage(dataDir: string, file: string): Promise<string | null> {
  let text: string
  try {
    text = await readFile(join(dataDir, file), 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    // Permission is not damage: the file is whole, this process may not read it.
    if (isPermissionError(err))
      throw new FolderAccessError(dataDir, [
        { path: join(dataDir, file), owner: await ownerOf(join(dataDir, file)) },
      ])
    return `cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`
  }
  try {
    const v: unknown = JSON.parse(text)
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? null : 'not a JSON object'
  } catch (err) {
    return `not valid JSON (${(err as Error).message})`
  }
}

/**
 * Sets every damaged document aside (renamed to `<file>.damaged-<time>`, never deleted) and
 * reports it; returns the files set aside. Runs before the services open their documents.
 */
export async function containDamagedDocuments(
  dataDir: string,
  reporter: StorageReporter,
  now: number,
): Promise<string[]> {
  const done: string[] = []
  for (const doc of DOCUMENTS) {
    const damage = await documentDamage(dataDir, doc.file)
    if (!damage) continue
    const path = join(dataDir, doc.file)
    const kept = `${path}.damaged-${now}`
    await renameOwned(path, kept)
    reporter.problem({
      id: `document-set-aside:${doc.file}`,
      kind: 'document-set-aside',
      file: path,
      summary: `The file of ${doc.what} was damaged (${damage}) and was set aside.`,
      advice: `${doc.consequence} Or restore it from a backup; the damaged file is kept for support.`,
      keptAt: kept,
    })
    done.push(doc.file)
  }
  return done
}
