import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { SecretName, SecretStore } from '../ground/secrets'
import type { Logger } from '../ground/logger'
import { writeFileDurable } from '../storage/durableFile'

/** What we use of Electron's `safeStorage` (a fake in tests). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean
  encryptString(plainText: string): Buffer
  decryptString(encrypted: Buffer): string
  /** Linux only: which keyring backs it; `basic_text` is a hard-coded key, i.e. no real protection. */
  getSelectedStorageBackend?: () => string
}

/** One stored secret: `safeStorage` ciphertext, or the plain value when nothing can encrypt it. */
interface Entry {
  encoding: 'safeStorage' | 'plain'
  /** base64 of the ciphertext, or of the UTF-8 value for `plain`. */
  data: string
}
type SecretsFile = { version: 1; entries: Partial<Record<SecretName, Entry>> }

/** File name in the data folder (headless mode's plain `secrets.json` is a different file). */
export const SAFE_SECRETS_FILE = 'secrets.safe.json'

/**
 * The desktop app's secret store: values encrypted with Electron's `safeStorage` (OS keychain,
 * DPAPI, libsecret/kwallet) and kept base64 in a 0600 file in the data folder. When the platform
 * offers no encryption, or only Chromium's `basic_text` fallback, `kind` says `plain-text` so the
 * settings screen can tell the user. Must be created after the app is ready (safeStorage needs it).
 */
export class SafeSecretStore implements SecretStore {
  readonly kind: 'encrypted' | 'plain-text'
  private readonly path: string
  private readonly canEncrypt: boolean
  private queue: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly safeStorage: SafeStorageLike,
    dataDir: string,
    private readonly logger: Logger,
  ) {
    this.path = join(dataDir, SAFE_SECRETS_FILE)
    this.canEncrypt = safeStorage.isEncryptionAvailable()
    const backend = safeStorage.getSelectedStorageBackend?.()
    this.kind = this.canEncrypt && backend !== 'basic_text' ? 'encrypted' : 'plain-text'
  }

  get(name: SecretName): Promise<string | null> {
    return this.serial(async () => {
      const entry = (await this.readAll()).entries[name]
      if (!entry) return null
      if (entry.encoding === 'plain') {
        const value = Buffer.from(entry.data, 'base64').toString('utf8')
        // Encryption became available since it was stored: upgrade the file in place.
        if (this.canEncrypt) await this.write(name, value)
        return value
      }
      if (!this.canEncrypt) {
        this.logger.warn('A stored secret cannot be decrypted: the OS keychain is unavailable', {
          secret: name,
        })
        return null
      }
      try {
        return this.safeStorage.decryptString(Buffer.from(entry.data, 'base64'))
      } catch (err) {
        this.logger.warn('A stored secret could not be decrypted', {
          secret: name,
          error: (err as Error).message,
        })
        return null
      }
    })
  }

  set(name: SecretName, value: string | null): Promise<void> {
    return this.serial(() => this.write(name, value))
  }

  private async write(name: SecretName, value: string | null): Promise<void> {
    const all = await this.readAll()
    if (value === null) delete all.entries[name]
    else
      all.entries[name] = this.canEncrypt
        ? {
            encoding: 'safeStorage',
            data: this.safeStorage.encryptString(value).toString('base64'),
          }
        : { encoding: 'plain', data: Buffer.from(value, 'utf8').toString('base64') }
    await writeFileDurable(this.path, JSON.stringify(all))
  }

  private async readAll(): Promise<SecretsFile> {
    let text: string
    try {
      text = await readFile(this.path, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, entries: {} }
      throw new Error(`Cannot read ${this.path}: ${(err as Error).message}`, { cause: err })
    }
    try {
      const parsed = JSON.parse(text) as SecretsFile
      return { version: 1, entries: parsed.entries ?? {} }
    } catch {
      // No `cause`: V8's parse message quotes a piece of the file, i.e. of a (base64) secret.
      throw new Error(`${this.path} is not valid JSON; fix or remove it and re-enter the secrets`)
    }
  }

  /** One read-modify-write at a time, so two `set`s never lose each other's secret. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn)
    this.queue = run.catch(() => {})
    return run
  }
}
