import { request } from 'undici'
import pg from 'pg'
import type { Headless } from '../../support/headless'
import { startHeadless } from '../../support/headless'

/** A passphrase that seals the shared secrets (the same on every instance). */
export const SECRET_KEY = 'test-secret-key-of-enough-length'

/** `npm run serve` on a database: its own data folder, the shared database and secret key. */
export function startReceiver(
  url: string,
  env: Record<string, string> = {},
  dataDir?: string,
): Promise<Headless> {
  return startHeadless({
    dataDir,
    env: { IVRS_DATABASE_URL: url, IVRS_SECRET_KEY: SECRET_KEY, ...env },
  })
}

export { api } from '../storage/helpers'

/** The instance's event stream, read into one growing text until `close`. */
export async function eventStream(h: Headless): Promise<{ text: () => string; close(): void }> {
  const res = await request(`${h.apiUrl}/api/v1/events`, {
    headers: { authorization: `Bearer ${h.apiToken}` },
  })
  let text = ''
  res.body.on('data', (chunk: Buffer) => (text += chunk.toString()))
  res.body.on('error', () => {})
  return { text: () => text, close: () => res.body.destroy() }
}

/** Waits until `check` holds (polling); fails with `what` after `ms`. */
export async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  ms = 20_000,
): Promise<void> {
  const end = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`not in time: ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** Runs `fn` on a connection of its own to the database, closed afterwards. */
async function withClient<R>(url: string, fn: (client: pg.Client) => Promise<R>): Promise<R> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

/** Every stored call id and its revision, and the rows of `calls`, read from the database. */
export function storedCalls(
  url: string,
): Promise<{ ids: string[]; rows: number; revisions: Map<string, number> }> {
  return withClient(url, async (client) => {
    const ids = await client.query<{ id: string; revision: number }>(
      'SELECT id, revision FROM call_ids',
    )
    const rows = await client.query<{ n: string }>('SELECT count(*) AS n FROM calls')
    return {
      ids: ids.rows.map((r) => r.id),
      rows: Number(rows.rows[0]!.n),
      revisions: new Map(ids.rows.map((r) => [r.id, r.revision])),
    }
  })
}

/** The stored text of one document, read from the database. */
export function documentBody(url: string, name: string): Promise<string> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ body: string }>(
      'SELECT body FROM documents WHERE name = $1',
      [name],
    )
    if (!rows[0]) throw new Error(`no document ${name}`)
    return rows[0].body
  })
}

/** The entries of one of the database's logs (`activity`, `vendor-audit`), oldest first. */
export function logEntries<T>(url: string, log: string): Promise<T[]> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ entry: string }>(
      'SELECT entry FROM log_entries WHERE log = $1 ORDER BY seq',
      [log],
    )
    return rows.map((r) => JSON.parse(r.entry) as T)
  })
}
