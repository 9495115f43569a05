import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto'
import type { SecretName, SecretStore } from '../../ground/secrets'
import type { Database } from './database'

/** Shortest `IVRS_SECRET_KEY` taken: a passphrase of at least 128 bits' worth of characters. */
export const MIN_SECRET_KEY_LENGTH = 24

/**
 * Secrets (vendor API key, webhook token) in the database, sealed with AES-256-GCM under a key
 * derived (scrypt) from `IVRS_SECRET_KEY` and a random salt kept in the database: the database
 * and its backups hold only ciphertext, and every instance given the same key reads them. Each
 * secret's name is bound to its ciphertext (additional data), so one cannot be swapped for another.
 */
export class PgSecretStore implements SecretStore {
  readonly kind = 'encrypted' as const

  private constructor(
    private readonly db: Database,
    private readonly key: Buffer,
  ) {}

  static async open(db: Database, passphrase: string): Promise<PgSecretStore> {
    if (passphrase.length < MIN_SECRET_KEY_LENGTH)
      throw new Error(`IVRS_SECRET_KEY must be at least ${MIN_SECRET_KEY_LENGTH} characters`)
    await db.query(
      "INSERT INTO ivrs_meta (key, value) VALUES ('secret_salt', $1) ON CONFLICT (key) DO NOTHING",
      [randomBytes(16).toString('base64')],
    )
    const { rows } = await db.query<{ value: string }>(
      "SELECT value FROM ivrs_meta WHERE key = 'secret_salt'",
    )
    const salt = Buffer.from(rows[0]!.value, 'base64')
    return new PgSecretStore(db, scryptSync(passphrase, salt, 32))
  }

  async get(name: SecretName): Promise<string | null> {
    const { rows } = await this.db.query<{ sealed: string }>(
      'SELECT sealed FROM secrets WHERE name = $1',
      [name],
    )
    return rows[0] ? this.open(name, rows[0].sealed) : null
  }

  async set(name: SecretName, value: string | null): Promise<void> {
    if (value === null) await this.db.query('DELETE FROM secrets WHERE name = $1', [name])
    else
      await this.db.query(
        `INSERT INTO secrets (name, sealed) VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE SET sealed = EXCLUDED.sealed`,
        [name, this.seal(name, value)],
      )
  }

  async create(name: SecretName, value: string): Promise<string> {
    await this.db.query(
      'INSERT INTO secrets (name, sealed) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING',
      [name, this.seal(name, value)],
    )
    return (await this.get(name)) ?? value
  }

  /** `value` sealed for the row of `name` (for a writer in a transaction of its own). */
  seal(name: string, value: string): string {
    const iv = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', this.key, iv)
    cipher.setAAD(Buffer.from(name))
    const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()])
    return `v1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`
  }

  private open(name: string, sealed: string): string {
    const raw = Buffer.from(sealed.replace(/^v1:/, ''), 'base64')
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12))
      decipher.setAAD(Buffer.from(name))
      decipher.setAuthTag(raw.subarray(12, 28))
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')
    } catch {
      // Never the ciphertext nor the key in the message.
      throw new Error(
        `The secret "${name}" in the database cannot be opened with this IVRS_SECRET_KEY: every instance must be given the key the secrets were sealed with.`,
      )
    }
  }
}
