import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../src/main/ground/logger'
import {
  SAFE_SECRETS_FILE,
  SafeSecretStore,
  type SafeStorageLike,
} from '../../../src/main/electron/safeSecretStore'

/** A reversible stand-in for the OS keychain: XOR with a key, prefixed like Chromium's v10. */
function fakeSafeStorage(available: boolean, backend?: string): SafeStorageLike {
  const xor = (b: Buffer) => Buffer.from(b.map((x, i) => x ^ (0x5a + (i % 7))))
  return {
    isEncryptionAvailable: () => available,
    encryptString: (s) => {
      if (!available) throw new Error('Encryption is not available.')
      return Buffer.concat([Buffer.from('v10'), xor(Buffer.from(s, 'utf8'))])
    },
    decryptString: (b) => {
      if (!available) throw new Error('Decryption is not available.')
      if (b.subarray(0, 3).toString() !== 'v10') throw new Error('bad ciphertext')
      return xor(b.subarray(3)).toString('utf8')
    },
    ...(backend ? { getSelectedStorageBackend: () => backend } : {}),
  }
}

const SECRET = 'sk_live_4f9c2d1e8b7a6'

describe('SafeSecretStore', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ivrs-secrets-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })
  const fileText = () => readFile(join(dir, SAFE_SECRETS_FILE), 'utf8')

  it('encrypts with safeStorage, round-trips, and never writes the plain secret', async () => {
    const store = new SafeSecretStore(fakeSafeStorage(true, 'gnome_libsecret'), dir, silentLogger)
    expect(store.kind).toBe('encrypted')
    await store.set('vendorApiKey', SECRET)
    await store.set('webhookToken', 'tok_abcdefghijklmnopqrstuv')
    expect(await store.get('vendorApiKey')).toBe(SECRET)
    expect(await store.get('webhookToken')).toBe('tok_abcdefghijklmnopqrstuv')
    const text = await fileText()
    expect(text).not.toContain(SECRET)
    expect(text).not.toContain(Buffer.from(SECRET).toString('base64'))
    expect(JSON.parse(text).entries.vendorApiKey.encoding).toBe('safeStorage')
    // A fresh instance (next launch) reads the same values.
    const again = new SafeSecretStore(fakeSafeStorage(true), dir, silentLogger)
    expect(await again.get('vendorApiKey')).toBe(SECRET)
    if (process.platform !== 'win32')
      expect((await stat(join(dir, SAFE_SECRETS_FILE))).mode & 0o077).toBe(0)
  })

  it('removes a secret with null and answers null for unknown ones', async () => {
    const store = new SafeSecretStore(fakeSafeStorage(true), dir, silentLogger)
    expect(await store.get('vendorApiKey')).toBeNull()
    await store.set('vendorApiKey', SECRET)
    await store.set('vendorApiKey', null)
    expect(await store.get('vendorApiKey')).toBeNull()
    expect(JSON.parse(await fileText()).entries).toEqual({})
  })

  it("reports plain-text on Linux's basic_text backend (a hard-coded key)", async () => {
    const store = new SafeSecretStore(fakeSafeStorage(true, 'basic_text'), dir, silentLogger)
    expect(store.kind).toBe('plain-text')
    await store.set('vendorApiKey', SECRET)
    expect(await store.get('vendorApiKey')).toBe(SECRET)
  })

  it('falls back to plain text, and says so, when no encryption is available', async () => {
    const store = new SafeSecretStore(fakeSafeStorage(false), dir, silentLogger)
    expect(store.kind).toBe('plain-text')
    await store.set('vendorApiKey', SECRET)
    expect(await store.get('vendorApiKey')).toBe(SECRET)
    expect(JSON.parse(await fileText()).entries.vendorApiKey.encoding).toBe('plain')
  })

  it('encrypts a plain-text secret once encryption becomes available', async () => {
    await new SafeSecretStore(fakeSafeStorage(false), dir, silentLogger).set('vendorApiKey', SECRET)
    const store = new SafeSecretStore(fakeSafeStorage(true), dir, silentLogger)
    expect(await store.get('vendorApiKey')).toBe(SECRET)
    expect(JSON.parse(await fileText()).entries.vendorApiKey.encoding).toBe('safeStorage')
  })

  it('answers null (and logs no secret) when the keychain is gone or the data is corrupt', async () => {
    await new SafeSecretStore(fakeSafeStorage(true), dir, silentLogger).set('vendorApiKey', SECRET)
    const lines: string[] = []
    const logger = {
      ...silentLogger,
      warn: (m: string, c?: object) => void lines.push(m + JSON.stringify(c)),
    }
    expect(
      await new SafeSecretStore(fakeSafeStorage(false), dir, logger).get('vendorApiKey'),
    ).toBeNull()
    await writeFile(
      join(dir, SAFE_SECRETS_FILE),
      JSON.stringify({
        version: 1,
        entries: { vendorApiKey: { encoding: 'safeStorage', data: 'AAAA' } },
      }),
    )
    expect(
      await new SafeSecretStore(fakeSafeStorage(true), dir, logger).get('vendorApiKey'),
    ).toBeNull()
    expect(lines).toHaveLength(2)
    expect(lines.join('')).not.toContain(SECRET)
  })

  it('keeps both secrets when two sets race', async () => {
    const store = new SafeSecretStore(fakeSafeStorage(true), dir, silentLogger)
    await Promise.all([store.set('vendorApiKey', SECRET), store.set('webhookToken', 'tok')])
    expect(await store.get('vendorApiKey')).toBe(SECRET)
    expect(await store.get('webhookToken')).toBe('tok')
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('refuses a corrupt file with a clear message', async () => {
    await writeFile(join(dir, SAFE_SECRETS_FILE), '{not json')
    const store = new SafeSecretStore(fakeSafeStorage(true), dir, silentLogger)
    await expect(store.get('vendorApiKey')).rejects.toThrow(/not valid JSON/)
  })

  it('carries no piece of a damaged file in the error or its cause', async () => {
    const data = Buffer.from(SECRET).toString('base64')
    await writeFile(
      join(dir, SAFE_SECRETS_FILE),
      `{"version":1,"entries":{"vendorApiKey":{"encoding":"plain","data":${data}}}}`,
    )
    const store = new SafeSecretStore(fakeSafeStorage(true), dir, silentLogger)
    const err = (await store.get('vendorApiKey').catch((e: unknown) => e)) as Error
    expect(err.message).toMatch(/not valid JSON/)
    expect(String(err.cause ?? '')).not.toContain(data.slice(0, 8))
  })
})
