import type pg from 'pg'

/**
 * The database's schema, one numbered step at a time. A step is never changed once released: a
 * change of schema is a new step. Each runs inside the one transaction of {@link migrate}.
 */
export interface Migration {
  version: number
  name: string
  sql: string
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'calls, revisions, rejected pushes, documents, audit, secrets',
    sql: `
CREATE TABLE ivrs_meta (key text PRIMARY KEY, value text NOT NULL);

-- One row per call id: what makes a push idempotent (INSERT ... ON CONFLICT), since a unique
-- index of a partitioned table must hold its partition key, and a later push may move a call to
-- another month.
CREATE TABLE call_ids (
  id text COLLATE "C" PRIMARY KEY,
  started_at timestamptz NOT NULL,
  revision integer NOT NULL
);

-- The current version of every call, one partition per local month (created ahead and on
-- demand by the store). The columns are what filters, pages and aggregates read; doc is the
-- call's JSON without its history, exactly as the API returns it. Ids sort by code point
-- ("C"), as the file store sorts them, so pages of both stores come in one order.
CREATE TABLE calls (
  id text COLLATE "C" NOT NULL,
  started_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL,
  status smallint NOT NULL,
  caller text NOT NULL,
  agent text,
  virtual_number text,
  department text,
  circle text,
  ivr_seconds integer,
  talk_seconds integer,
  revision integer NOT NULL,
  numbers text NOT NULL,
  doc text NOT NULL,
  PRIMARY KEY (started_at, id)
) PARTITION BY RANGE (started_at);
CREATE INDEX calls_status ON calls (status, started_at, id);
CREATE INDEX calls_caller ON calls (caller, started_at, id);
CREATE INDEX calls_agent ON calls (agent, started_at, id);
CREATE INDEX calls_received ON calls (received_at);

-- Earlier versions of changed calls: the first and the last 20, as the file store keeps them.
CREATE TABLE call_revisions (
  call_id text COLLATE "C" NOT NULL,
  revision integer NOT NULL,
  doc text NOT NULL,
  PRIMARY KEY (call_id, revision)
);

CREATE TABLE rejected_pushes (
  seq bigserial PRIMARY KEY,
  received_at timestamptz NOT NULL,
  doc text NOT NULL
);

-- Small documents (settings, agents, holidays, office hours, outbox, missed-call queue,
-- accounts), each read and written whole under its row lock.
CREATE TABLE documents (
  name text PRIMARY KEY,
  version bigint NOT NULL,
  body text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Append-only logs (the vendor audit trail): never pruned.
CREATE TABLE log_entries (
  log text NOT NULL,
  seq bigserial,
  at timestamptz NOT NULL DEFAULT now(),
  entry text NOT NULL,
  PRIMARY KEY (log, seq)
);

-- Secrets sealed with AES-256-GCM under a key the database never sees (IVRS_SECRET_KEY).
CREATE TABLE secrets (name text PRIMARY KEY, sealed text NOT NULL);
`,
  },
  {
    version: 2,
    name: 'number search index (pg_trgm, when the server offers it)',
    sql: `
DO $$ BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'pg_trgm is not available: a number search scans the calls of its date range';
END $$;
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
    EXECUTE 'CREATE INDEX calls_numbers ON calls USING gin (numbers gin_trgm_ops)';
  END IF;
END $$;
`,
  },
  {
    version: 3,
    name: 'number dictionary for the number search',
    sql: `
-- Every number the calls hold, once per role (0 caller, 1 agent, 2 virtual number, 3 a call id
-- of digits only), written with the calls: a number search finds the few numbers holding its
-- digits here, then their calls through the b-tree of each role, instead of rechecking the wide
-- rows a trigram index of calls.numbers proposes. Never pruned: an entry whose calls changed
-- finds none.
CREATE TABLE call_numbers (
  number text COLLATE "C" NOT NULL,
  role smallint NOT NULL,
  PRIMARY KEY (number, role)
);
INSERT INTO call_numbers SELECT DISTINCT caller, 0 FROM calls;
INSERT INTO call_numbers SELECT DISTINCT agent, 1 FROM calls WHERE agent IS NOT NULL;
INSERT INTO call_numbers
  SELECT DISTINCT virtual_number, 2 FROM calls WHERE virtual_number IS NOT NULL;
INSERT INTO call_numbers SELECT id, 3 FROM calls WHERE id ~ '^[0-9]+$';
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
    EXECUTE 'CREATE INDEX call_numbers_digits ON call_numbers USING gin (number gin_trgm_ops)';
  END IF;
END $$;
CREATE INDEX calls_virtual ON calls (virtual_number, started_at, id);
`,
  },
  {
    version: 4,
    name: 'dashboard index',
    sql: `
-- What the dashboard counts, beside the start: its month is read from this index alone (an
-- index-only scan, once vacuum has marked the pages), not from rows that carry each call's JSON.
CREATE INDEX calls_tally ON calls (started_at)
  INCLUDE (status, agent, department, circle, ivr_seconds, talk_seconds);
`,
  },
]

/** The schema version this build of the app writes and reads. */
export const SCHEMA_VERSION = MIGRATIONS.at(-1)!.version

/** Advisory lock key of schema changes: two instances starting together migrate one at a time. */
const MIGRATION_LOCK = 0x1715_0001

export class SchemaTooNewError extends Error {}

/**
 * Brings the schema up to {@link SCHEMA_VERSION} in one transaction, holding an advisory lock so
 * that instances starting together do not race (the second waits, then finds nothing to do).
 * Refuses a database whose schema is newer than this app knows: an older app must not write
 * into tables a newer one changed. Returns the steps applied.
 */
export async function migrate(client: pg.ClientBase): Promise<Migration[]> {
  await client.query('BEGIN')
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK])
    await client.query(
      `CREATE TABLE IF NOT EXISTS ivrs_schema (
         version integer PRIMARY KEY,
         name text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    )
    const { rows } = await client.query<{ v: number | null }>(
      'SELECT max(version) AS v FROM ivrs_schema',
    )
    const current = rows[0]?.v ?? 0
    if (current > SCHEMA_VERSION)
      throw new SchemaTooNewError(
        `The database's schema is version ${current}, newer than this app knows (${SCHEMA_VERSION}): a newer IVR Supervisor wrote it. Run that version (or newer) against this database.`,
      )
    const due = MIGRATIONS.filter((m) => m.version > current)
    for (const m of due) {
      await client.query(m.sql)
      await client.query('INSERT INTO ivrs_schema (version, name) VALUES ($1, $2)', [
        m.version,
        m.name,
      ])
    }
    await client.query('COMMIT')
    return due
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {})
    throw err
  }
}
