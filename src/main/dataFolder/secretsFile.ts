import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { SecretName, SecretStore } from '../ground/secrets'
import { writeFileDurable } from './durableFile'

/**
 * Headless mode's secret store: a JSON file readable by the owner only (mode 0600) in the data
 * folder. Plain text, and reported as such; the desktop app uses Electron's safeStorage instead.
 */
export class FileSecretStore implements SecretStore {
  readonly kind = 'plain-text' as const
  private readonly path: string

  constructor(dataDir: string) {
    this.path = join(dataDir, 'secrets.json')
  }

  private async readAll(): Promise<Partial<Record<SecretName, string>>> {
    let text: string
    try {
      text = await readFile(this.path, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {}
      throw new Error(`Cannot read ${this.path}: ${(err as Error).message}`, { cause: err })
    }
    try {
      return JSON.parse(text) as Partial<Record<SecretName, string>>
    } catch {
      // Not the parser's message nor its cause: V8 quotes a piece of the text, i.e. of a secret.
      throw new Error(`${this.path} is not valid JSON; fix or remove it and re-enter the secrets`)
    }
  }

  async get(name: SecretName): Promise<string | null> {
    return (await this.readAll())[name] ?? null
  }

  async set(name: SecretName, value: string | null): Promise<void> {
    const all = await this.readAll()
    if (value === null) delete all[name]
    else all[name] = value
    await writeFileDurable(this.path, JSON.stringify(all))
  }
}

/** A secret store kept in memory only (tests). */
export class MemorySecretStore implements SecretStore {
  readonly kind = 'encrypted' as const
  private readonly values = new Map<SecretName, string>()
  async get(name: SecretName): Promise<string | null> {
    return this.values.get(name) ?? null
  }
  async set(name: SecretName, value: string | null): Promise<void> {
    if (value === null) this.values.delete(name)
    else this.values.set(name, value)
  }
}
