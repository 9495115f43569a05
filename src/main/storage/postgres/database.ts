import { randomUUID } from 'node:crypto'
import pg from 'pg'
import type { Logger } from '../../ground/logger'
import { silentReporter, type StorageReporter } from '../types'
import { migrate, SchemaTooNewError } from './migrations'

/** Oldest PostgreSQL the schema and its queries are written for (declarative partitions, ...). */
export const MIN_SERVER_VERSION = 120000

/** The one channel of NOTIFY between the instances sharing a database. */
export const CHANNEL = 'ivrs_events'

/** NOTIFY refuses payloads of 8000 bytes or more; ours stay below this. */
export const MAX_NOTIFY_BYTES = 7800

export const DATABASE_PROBLEM = 'database-unreachable'

export interface DatabaseOptions {
  /** `postgres://user:password@host:port/database` (IVRS_DATABASE_URL). */
  url: string
  logger: Logger
  /** How long start-up waits for a database that is not reachable yet (default 60 s). */
  waitMs?: number
  /** Connections of this instance's pool (default 10). */
  poolSize?: number
  sleep?: (ms: number) => Promise<void>
}

/** A start-up failure with a message that says what to do; the URL's password never in it. */
export class DatabaseError extends Error {}

/** `host:port/database` of a URL: how logs and messages name the database (no password). */
export function describeDatabase(url: string): string {
  try {
    const u = new URL(url)
    const db = decodeURIComponent(u.pathname.replace(/^\//, '')) || '(default database)'
    return `${u.hostname || 'localhost'}:${u.port || '5432'}/${db}`
  } catch {
    return '(an IVRS_DATABASE_URL that is not a URL)'
  }
}

const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  // the database system is starting up / shutting down / admin shutdown / crash shutdown
  '57P03',
  '57P01',
  '57P02',
  // connection exceptions, too many connections
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '53300',
])

/** True for an error that says the database is away for now (worth waiting for), not a refusal. */
export function isTransient(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null
  if (e?.code && TRANSIENT_CODES.has(e.code)) return true
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable/i.test(
    e?.message ?? '',
  )
}

/** An error as a supervisor can read it: the code's meaning, never the URL or a password. */
export function describeDatabaseError(err: unknown): string {
  const e = err as { code?: string; message?: string } | null
  const code = e?.code
  const words: Record<string, string> = {
    ECONNREFUSED: 'nothing accepts connections there',
    ENOTFOUND: 'the host name is unknown',
    EAI_AGAIN: 'the host name could not be looked up',
    ETIMEDOUT: 'the connection timed out',
    ECONNRESET: 'the connection was reset',
    '57P03': 'the database is starting up',
    '57P01': 'the database was shut down',
    '28P01': 'the password was refused',
    '28000': 'the user may not connect',
    '3D000': 'the database does not exist',
    '53300': 'the server has too many connections',
  }
  if (code && words[code]) return `${words[code]} (${code})`
  return String(e?.message ?? err)
}

const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/**
 * The connection to the shared PostgreSQL database: a pool, the schema brought up to date at
 * start-up, and the storage problem "database unreachable" told while it lasts. Every instance
 * sharing the database has its own {@link instanceId}, so it can tell its own notifications.
 */
export class Database {
  readonly instanceId = randomUUID()
  readonly where: string
  private reporter: StorageReporter = silentReporter
  private unreachable = false
  private closed = false

  private constructor(
    readonly pool: pg.Pool,
    private readonly opts: DatabaseOptions,
  ) {
    this.where = describeDatabase(opts.url)
    // An idle connection dropped by a restarting server must not end the process.
    pool.on('error', (err) => {
      opts.logger.warn('database connection lost', {
        database: this.where,
        error: describeDatabaseError(err),
      })
    })
  }

  /**
   * Connects (waiting up to `waitMs` for a database that is not reachable yet, saying so in the
   * log), checks the server's version and migrates the schema. Fails at once, with a message
   * that says what to do, for what waiting cannot mend: a refused password, a missing database,
   * a server too old, a schema too new.
   */
  static async open(opts: DatabaseOptions): Promise<Database> {
    const pool = new pg.Pool({
      connectionString: opts.url,
      max: opts.poolSize ?? 10,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      keepAlive: true,
      application_name: 'ivr-supervisor',
    })
    const db = new Database(pool, opts)
    try {
      await db.connectAndMigrate()
      return db
    } catch (err) {
      await pool.end().catch(() => {})
      throw err
    }
  }

  private async connectAndMigrate(): Promise<void> {
    const { logger } = this.opts
    const sleep = this.opts.sleep ?? defaultSleep
    const deadline = Date.now() + (this.opts.waitMs ?? 60_000)
    let delay = 500
    for (;;) {
      let client: pg.PoolClient | null = null
      const ignore = (): void => {}
      try {
        client = await this.pool.connect()
        client.on('error', ignore)
        const { rows } = await client.query<{ v: string }>(
          "SELECT current_setting('server_version_num') AS v",
        )
        const version = Number(rows[0]?.v)
        if (version < MIN_SERVER_VERSION)
          throw new DatabaseError(
            `PostgreSQL at ${this.where} is version ${Math.floor(version / 10000)}, too old: IVR Supervisor needs PostgreSQL ${MIN_SERVER_VERSION / 10000} or newer.`,
          )
        const applied = await migrate(client)
        if (applied.length > 0)
          logger.info('database schema migrated', {
            database: this.where,
            steps: applied.map((m) => `${m.version} ${m.name}`).join('; '),
          })
        return
      } catch (err) {
        if (err instanceof DatabaseError) throw err
        if (err instanceof SchemaTooNewError) throw new DatabaseError(err.message)
        const why = describeDatabaseError(err)
        if (!isTransient(err))
          throw new DatabaseError(`Cannot use the database ${this.where}: ${why}.`)
        if (Date.now() + delay > deadline)
          throw new DatabaseError(
            `The database ${this.where} could not be reached (${why}); gave up after ${Math.round((this.opts.waitMs ?? 60_000) / 1000)} s. Check IVRS_DATABASE_URL and that PostgreSQL runs.`,
          )
        logger.warn('database not reachable yet; retrying', {
          database: this.where,
          error: why,
          retryInMs: delay,
        })
        await sleep(delay)
        delay = Math.min(delay * 2, 5_000)
      } finally {
        client?.off('error', ignore)
        client?.release()
      }
    }
  }

  /**
   * Whether the database answers now (`SELECT 1` within `timeoutMs`): what `/readyz` asks, since
   * a failed write tells it only when a push comes, and a load balancer sends none to an
   * instance that is not ready.
   */
  async ping(timeoutMs = 2_000): Promise<boolean> {
    if (this.closed) return false
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), timeoutMs)))
    try {
      const answered = await Promise.race([this.pool.query('SELECT 1').then(() => true), late])
      // Reachable: an "unreachable" told by a failed write is over, push or no push.
      if (answered) this.worked()
      return answered
    } catch {
      return false
    } finally {
      clearTimeout(timer)
    }
  }

  /** Where "database unreachable" is told (the storage problems of health and the banner). */
  setReporter(reporter: StorageReporter): void {
    this.reporter = reporter
  }

  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    params?: unknown[],
  ): Promise<pg.QueryResult<R>> {
    return this.pool.query<R>(text, params)
  }

  /** Runs `fn` in one transaction: COMMIT when it resolves, ROLLBACK when it throws. */
  async transaction<R>(fn: (client: pg.PoolClient) => Promise<R>): Promise<R> {
    const client = await this.pool.connect()
    let broken = false
    // A connection lost between two queries is emitted on the client, not thrown: unheard, it
    // would end the process. The next query fails anyway, and the client is not reused.
    const lost = (): void => void (broken = true)
    client.on('error', lost)
    try {
      await client.query('BEGIN')
      const result = await fn(client)
      await client.query('COMMIT')
      return result
    } catch (err) {
      broken = isTransient(err)
      if (!broken) await client.query('ROLLBACK').catch(() => (broken = true))
      throw err
    } finally {
      client.off('error', lost)
      // A connection that failed mid-transaction is not given to the next caller.
      client.release(broken)
    }
  }

  /** Sends a notification to every instance, on commit of `client`'s transaction. */
  async notify(client: pg.ClientBase, kind: string, data: unknown): Promise<void> {
    const payload = JSON.stringify({ i: this.instanceId, k: kind, d: data })
    if (Buffer.byteLength(payload) > MAX_NOTIFY_BYTES)
      throw new Error(`notification of ${kind} too large (${payload.length} bytes)`)
    await client.query('SELECT pg_notify($1, $2)', [CHANNEL, payload])
  }

  /** A write failed: when the database cannot be reached, that is a storage problem until it can. */
  failed(err: unknown): void {
    if (!isTransient(err) || this.closed) return
    if (!this.unreachable)
      this.opts.logger.error('database unreachable', {
        database: this.where,
        error: describeDatabaseError(err),
      })
    this.unreachable = true
    this.reporter.problem({
      id: DATABASE_PROBLEM,
      kind: 'database-unreachable',
      file: this.where,
      summary: `The database ${this.where} cannot be reached (${describeDatabaseError(err)}). Pushes are answered 503 Failure, so the vendor keeps them and retries; calls accepted before are safe in the database.`,
      advice:
        'Start PostgreSQL or mend the network to it; pushes are accepted again as soon as a write succeeds.',
      ongoing: true,
    })
  }

  /** A write succeeded: an earlier "unreachable" is over. */
  worked(): void {
    if (!this.unreachable) return
    this.unreachable = false
    this.opts.logger.info('database reachable again', { database: this.where })
    this.reporter.recovered(DATABASE_PROBLEM)
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.pool.end()
  }
}

/** Splits `items` into runs whose JSON stays under `maxBytes` (a NOTIFY payload's limit). */
export function chunkByJsonSize<T>(items: readonly T[], maxBytes: number): T[][] {
  const out: T[][] = []
  let run: T[] = []
  let size = 2
  for (const item of items) {
    const n = Buffer.byteLength(JSON.stringify(item)) + 1
    if (run.length > 0 && size + n > maxBytes) {
      out.push(run)
      run = []
      size = 2
    }
    run.push(item)
    size += n
  }
  if (run.length > 0) out.push(run)
  return out
}
