import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { SafeStorage } from 'electron'
import type { SecretName, SecretStore } from '../ground/secrets'
import type { Logger } from '../ground/logger'
import { writeFileDurable } from '../dataFolder/durableFile'

/**
 * What we use of Electron's `safeStorage` (a fake in tests): its asynchronous API. The
 * synchronous one (deprecated in Electron 45) blocks the main process while macOS shows its
 * Keychain prompt, so start-up would hang with no window; the asynchronous one waits off it.
 */
export interface SafeStorageLike {
  isAsyncEncryptionAvailable(): Promise<boolean>
  encryptStringAsync(plainText: string): Promise<Buffer>
  /** `shouldReEncrypt`: the key was rotated; the value is stored again with the new one. */
  decryptStringAsync(encrypted: Buffer): Promise<{ shouldReEncrypt: boolean; result: string }>
  /**
   * Linux only (documented there alone: pass it on Linux only): which keyring backs it;
   * `basic_text` is a hard-coded key, i.e. no real protection.
   */
  getSelectedStorageBackend?: () => string
}

/** Electron's `safeStorage` as {@link SafeStorageLike}: the Linux-only backend query on Linux only. */
export function electronSafeStorage(
  safeStorage: Pick<
    SafeStorage,
    | 'isAsyncEncryptionAvailable'
    | 'encryptStringAsync'
    | 'decryptStringAsync'
    | 'getSelectedStorageBackend'
  >,
  platform: NodeJS.Platform,
): SafeStorageLike {
  return {
    isAsyncEncryptionAvailable: () => safeStorage.isAsyncEncryptionAvailable(),
    encryptStringAsync: (plainText) => safeStorage.encryptStringAsync(plainText),
    decryptStringAsync: (encrypted) => safeStorage.decryptStringAsync(encrypted),
    ...(platform === 'linux'
      ? { getSelectedStorageBackend: () => safeStorage.getSelectedStorageBackend() }
      : {}),
  }
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
 * settings screen can tell the user. Opened after the app is ready (safeStorage needs it).
 */
export class SafeSecretStore implements SecretStore {
  private queue: Promise<unknown> = Promise.resolve()

  static async open(
    safeStorage: SafeStorageLike,
    dataDir: string,
    logger: Logger,
  ): Promise<SafeSecretStore> {
    const canEncrypt = await safeStorage.isAsyncEncryptionAvailable()
    const backend = safeStorage.getSelectedStorageBackend?.()
    const kind = canEncrypt && backend !== 'basic_text' ? 'encrypted' : 'plain-text'
    return new SafeSecretStore(
      safeStorage,
      join(dataDir, SAFE_SECRETS_FILE),
      canEncrypt,
      kind,
      logger,
    )
  }

  private constructor(
    private readonly safeStorage: SafeStorageLike,
    private readonly path: string,
    private readonly canEncrypt: boolean,
    readonly kind: 'encrypted' | 'plain-text',
    private readonly logger: Logger,
  ) {}

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
      let decrypted: { shouldReEncrypt: boolean; result: string }
      try {
        decrypted = await this.safeStorage.decryptStringAsync(Buffer.from(entry.data, 'base64'))
      } catch (err) {
        this.logger.warn('A stored secret could not be decrypted', {
          secret: name,
          error: (err as Error).message,
        })
        return null
      }
      if (decrypted.shouldReEncrypt) await this.write(name, decrypted.result)
      return decrypted.result
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
            data: (await this.safeStorage.encryptStringAsync(value)).toString('base64'),
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
