import pg from 'pg'
import type { Logger } from '../../ground/logger'
import { sleepUnlessAborted } from '../../ground/sleep'
import type { ExclusiveRole } from '../types'
import { describeDatabaseError } from './database'

/** Advisory lock keys of the roles (in the app's own range, beside the schema's and months'). */
export const ROLE_KEYS = {
  outboxSender: 0x1715_0010,
  simulatorGenerator: 0x1715_0011,
} as const

/**
 * A role held through a session advisory lock on a connection of its own: PostgreSQL releases
 * it the moment that connection ends, so when the holder dies (SIGKILL, a lost machine once TCP
 * gives up) another instance takes the role over within a poll. `holds` asks the connection
 * itself, so a holder whose connection dropped stops acting at once instead of racing the next.
 */
export class AdvisoryRole implements ExclusiveRole {
  private client: pg.Client | null = null
  private held = false

  constructor(
    private readonly url: string,
    private readonly key: number,
    private readonly name: string,
    private readonly logger: Logger,
    private readonly pollMs = 1_000,
  ) {}

  async acquire(signal: AbortSignal): Promise<boolean> {
    while (!signal.aborted) {
      try {
        if (await this.holds()) return true
        const client = await this.connection()
        const { rows } = await client.query<{ ok: boolean }>(
          'SELECT pg_try_advisory_lock($1) AS ok',
          [this.key],
        )
        if (rows[0]?.ok) {
          this.held = true
          this.logger.info(`this instance now holds the role: ${this.name}`)
          return true
        }
      } catch (err) {
        this.drop()
        this.logger.warn(`role ${this.name}: database not reachable`, {
          error: describeDatabaseError(err),
        })
      }
      await sleepUnlessAborted(this.pollMs, signal)
    }
    return false
  }

  async holds(): Promise<boolean> {
    if (!this.held || !this.client) return false
    try {
      await this.client.query('SELECT 1')
      return true
    } catch {
      this.drop()
      return false
    }
  }

  async release(): Promise<void> {
    const client = this.client
    this.client = null
    this.held = false
    if (client) await client.end().catch(() => {})
  }

  private async connection(): Promise<pg.Client> {
    if (this.client) return this.client
    const client = new pg.Client({ connectionString: this.url, keepAlive: true })
    client.on('error', () => {
      if (this.client === client) this.drop()
    })
    await client.connect()
    this.client = client
    return client
  }

  private drop(): void {
    if (this.held) this.logger.warn(`role ${this.name} lost with the database connection`)
    const client = this.client
    this.client = null
    this.held = false
    client?.end().catch(() => {})
  }
}
