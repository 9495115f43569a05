import type pg from 'pg'
import { DatabaseError, type Database } from './database'

/**
 * What `npm run migrate-to-postgres` records in `ivrs_meta` about the data folder it copies: set
 * to `copying` (committed) before the copy's transaction starts, and to `done` inside it. A
 * database whose copy began and never committed holds nothing of the folder, but a receiver
 * started on it would look empty to the team: it is refused until the copy is run again.
 */
export interface FolderCopy {
  state: 'copying' | 'done'
  folder: string
  startedAt: string
  finishedAt?: string
}

const KEY = 'folder_copy'

/** A connection in a transaction, or the pool. */
interface Queryable {
  query<R extends pg.QueryResultRow>(text: string, params?: unknown[]): Promise<pg.QueryResult<R>>
}

export async function readFolderCopy(db: Queryable): Promise<FolderCopy | null> {
  const { rows } = await db.query<{ value: string }>('SELECT value FROM ivrs_meta WHERE key = $1', [
    KEY,
  ])
  return rows[0] ? (JSON.parse(rows[0].value) as FolderCopy) : null
}

export async function writeFolderCopy(db: Queryable, copy: FolderCopy): Promise<void> {
  await db.query(
    `INSERT INTO ivrs_meta (key, value) VALUES ($1, $2)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
    [KEY, JSON.stringify(copy)],
  )
}

/** Refuses a database whose folder copy began and did not finish (see {@link FolderCopy}). */
export async function refuseUnfinishedCopy(db: Database): Promise<void> {
  const copy = await readFolderCopy(db)
  if (copy?.state !== 'copying') return
  throw new DatabaseError(
    `The database ${db.where} holds an unfinished copy of the data folder ${copy.folder} (migrate-to-postgres started ${copy.startedAt} and did not finish; nothing of it was kept). Run npm run migrate-to-postgres again (it starts over), or point IVRS_DATABASE_URL at another database.`,
  )
}
