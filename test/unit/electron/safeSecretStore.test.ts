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

/**
 * A reversible stand-in for the OS keychain: XOR with a key, prefixed like Chromium's v10 (v11
 * once `rotated`: values under v10 then ask to be encrypted again).
 */
function fakeSafeStorage(available: boolean, backend?: string, rotated = false): SafeStorageLike {
  const xor = (b: Buffer) => Buffer.from(b.map((x, i) => x ^ (0x5a + (i % 7))))
  const version = rotated ? 'v11' : 'v10'
  return {
    isAsyncEncryptionAvailable: async () => available,
    encryptStringAsync: async (s) => {
      if (!available) throw new Error('Encryption is not available.')
      return Buffer.concat([Buffer.from(version), xor(Buffer.from(s, 'utf8'))])
    },
    decryptStringAsync: async (b) => {
      if (!available) throw new Error('Decryption is not available.')
      const v = b.subarray(0, 3).toString()
      if (v !== 'v10' && v !== 'v11') throw new Error('bad ciphertext')
      return { shouldReEncrypt: v !== version, result: xor(b.subarray(3)).toString('utf8') }
    },
    ...(backend ? { getSelectedStorageBackend: () => backend } : {}),
  }
}

const open = (s: SafeStorageLike, dir: string, logger = silentLogger) =>
  SafeSecretStore.open(s, dir, logger)

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
    const store = await open(fakeSafeStorage(true, 'gnome_libsecret'), dir)
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
    const again = await open(fakeSafeStorage(true), dir, silentLogger)
    expect(await again.get('vendorApiKey')).toBe(SECRET)
    if (process.platform !== 'win32')
      expect((await stat(join(dir, SAFE_SECRETS_FILE))).mode & 0o077).toBe(0)
  })

  it('removes a secret with null and answers null for unknown ones', async () => {
    const store = await open(fakeSafeStorage(true), dir, silentLogger)
    expect(await store.get('vendorApiKey')).toBeNull()
    await store.set('vendorApiKey', SECRET)
    await store.set('vendorApiKey', null)
    expect(await store.get('vendorApiKey')).toBeNull()
    expect(JSON.parse(await fileText()).entries).toEqual({})
  })

  it("reports plain-text on Linux's basic_text backend (a hard-coded key)", async () => {
    const store = await open(fakeSafeStorage(true, 'basic_text'), dir)
    expect(store.kind).toBe('plain-text')
    await store.set('vendorApiKey', SECRET)
    expect(await store.get('vendorApiKey')).toBe(SECRET)
  })

  it('falls back to plain text, and says so, when no encryption is available', async () => {
    const store = await open(fakeSafeStorage(false), dir, silentLogger)
    expect(store.kind).toBe('plain-text')
    await store.set('vendorApiKey', SECRET)
    expect(await store.get('vendorApiKey')).toBe(SECRET)
    expect(JSON.parse(await fileText()).entries.vendorApiKey.encoding).toBe('plain')
  })

  it('encrypts a plain-text secret once encryption becomes available', async () => {
    await (await open(fakeSafeStorage(false), dir, silentLogger)).set('vendorApiKey', SECRET)
    const store = await open(fakeSafeStorage(true), dir, silentLogger)
    expect(await store.get('vendorApiKey')).toBe(SECRET)
    expect(JSON.parse(await fileText()).entries.vendorApiKey.encoding).toBe('safeStorage')
  })

  it('answers null (and logs no secret) when the keychain is gone or the data is corrupt', async () => {
    await (await open(fakeSafeStorage(true), dir, silentLogger)).set('vendorApiKey', SECRET)
    const lines: string[] = []
    const logger = {
      ...silentLogger,
      warn: (m: string, c?: object) => void lines.push(m + JSON.stringify(c)),
    }
    expect(await (await open(fakeSafeStorage(false), dir, logger)).get('vendorApiKey')).toBeNull()
    await writeFile(
      join(dir, SAFE_SECRETS_FILE),
      JSON.stringify({
        version: 1,
        entries: { vendorApiKey: { encoding: 'safeStorage', data: 'AAAA' } },
      }),
    )
    expect(await (await open(fakeSafeStorage(true), dir, logger)).get('vendorApiKey')).toBeNull()
    expect(lines).toHaveLength(2)
    expect(lines.join('')).not.toContain(SECRET)
  })

  it('stores a value again under a rotated key when safeStorage asks to', async () => {
    await (await open(fakeSafeStorage(true), dir)).set('vendorApiKey', SECRET)
    const before = JSON.parse(await fileText()).entries.vendorApiKey.data
    const store = await open(fakeSafeStorage(true, undefined, true), dir)
    expect(await store.get('vendorApiKey')).toBe(SECRET)
    const after = JSON.parse(await fileText()).entries.vendorApiKey.data
    expect(Buffer.from(before, 'base64').subarray(0, 3).toString()).toBe('v10')
    expect(Buffer.from(after, 'base64').subarray(0, 3).toString()).toBe('v11')
  })

  it('keeps both secrets when two sets race', async () => {
    const store = await open(fakeSafeStorage(true), dir, silentLogger)
    await Promise.all([store.set('vendorApiKey', SECRET), store.set('webhookToken', 'tok')])
    expect(await store.get('vendorApiKey')).toBe(SECRET)
    expect(await store.get('webhookToken')).toBe('tok')
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('refuses a corrupt file with a clear message', async () => {
    await writeFile(join(dir, SAFE_SECRETS_FILE), '{not json')
    const store = await open(fakeSafeStorage(true), dir, silentLogger)
    await expect(store.get('vendorApiKey')).rejects.toThrow(/not valid JSON/)
  })

  it('carries no piece of a damaged file in the error or its cause', async () => {
    const data = Buffer.from(SECRET).toString('base64')
    await writeFile(
      join(dir, SAFE_SECRETS_FILE),
      `{"version":1,"entries":{"vendorApiKey":{"encoding":"plain","data":${data}}}}`,
    )
    const store = await open(fakeSafeStorage(true), dir, silentLogger)
    const err = (await store.get('vendorApiKey').catch((e: unknown) => e)) as Error
    expect(err.message).toMatch(/not valid JSON/)
    expect(String(err.cause ?? '')).not.toContain(data.slice(0, 8))
  })
})
