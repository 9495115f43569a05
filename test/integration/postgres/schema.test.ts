/**
 * A database written by an app of the schema before the number dictionary (version 2): the next
 * start migrates it in its one transaction, filling the dictionary from the calls already stored,
 * so their numbers are found as before, and indexing them for the dashboard.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../src/main/ground/logger'
import { Database } from '../../../src/main/storage/postgres/database'
import { SCHEMA_VERSION } from '../../../src/main/storage/postgres/migrations'
import { PgCallStore } from '../../../src/main/storage/postgres/pgCallStore'
import { fakeClock, fields, raw, ZONE } from '../../unit/storage/fixtures'
import { freshDatabase } from '../../support/pgDatabase'

const open: { close(): Promise<void> }[] = []
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close()
})

async function openStore(url: string): Promise<{ db: Database; store: PgCallStore }> {
  const db = await Database.open({ url, logger: silentLogger, waitMs: 5_000 })
  const store = await PgCallStore.open({
    db,
    notifications: null,
    timezone: ZONE,
    clock: fakeClock(),
    logger: silentLogger,
  })
  open.push(db, store)
  return { db, store }
}

describe('PostgreSQL schema 3 and 4', () => {
  it('fills the number dictionary from the calls a database of schema 2 holds', async () => {
    const url = await freshDatabase('schema')
    const first = await openStore(url)
    const calls = [
      fields('uuid-a', '2026-03-10', '10:00:00', { callerNumber: '+919000011111' }),
      fields('4400123', '2026-03-11', '11:00:00', {
        callerNumber: '+919000022222',
        agentNumber: '+919811155501',
      }),
      fields('uuid-c', '2026-03-12', '12:00:00', {
        callerNumber: '+919000033333',
        agentNumber: null,
        virtualNumber: '+918022223333',
      }),
    ]
    for (const f of calls) await first.store.upsert(f, raw(f.id), '2026-03-12T08:00:00.000Z')
    // What an app of schema 2 leaves: no dictionary, none of the indexes of schemas 3 and 4.
    await first.db.query(`DROP TABLE call_numbers; DROP INDEX calls_virtual; DROP INDEX calls_tally;
                          DELETE FROM ivrs_schema WHERE version > 2`)
    const { db, store } = await openStore(url)
    const { rows } = await db.query<{ v: number }>('SELECT max(version) AS v FROM ivrs_schema')
    expect(rows[0]!.v).toBe(SCHEMA_VERSION)
    const index = await db.query<{ r: string | null }>(
      "SELECT to_regclass('calls_tally')::text AS r",
    )
    expect(index.rows[0]!.r).toBe('calls_tally')
    const ids = async (q: string) => (await store.query({ q })).calls.map((c) => c.id)
    expect(await ids('0001111')).toEqual(['uuid-a'])
    expect(await ids('98111 55501')).toEqual(['4400123'])
    expect(await ids('22223333')).toEqual(['uuid-c'])
    expect(await ids('44001')).toEqual(['4400123'])
    expect(await ids('90000')).toEqual(['uuid-c', '4400123', 'uuid-a'])
  })
})
