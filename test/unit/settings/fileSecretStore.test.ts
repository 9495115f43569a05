import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FileSecretStore } from '../../../src/main/dataFolder/secretsFile'

describe('FileSecretStore', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'secrets-'))
  })
  afterEach(() => rm(dir, { recursive: true, force: true }))

  it('keeps secrets in a 0600 file and removes them on null', async () => {
    const store = new FileSecretStore(dir)
    await store.set('vendorApiKey', 'key-1')
    expect(await new FileSecretStore(dir).get('vendorApiKey')).toBe('key-1')
    if (process.platform !== 'win32')
      expect((await stat(join(dir, 'secrets.json'))).mode & 0o777).toBe(0o600)
    await store.set('vendorApiKey', null)
    expect(await store.get('vendorApiKey')).toBeNull()
  })

  it('never quotes a damaged file in its error (JSON.parse messages carry a piece of it)', async () => {
    await writeFile(join(dir, 'secrets.json'), '{"vendorApiKey":sk_live_TOPSECRET99}')
    const err = await new FileSecretStore(dir).get('vendorApiKey').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(Error)
    expect((err as Error).message).toContain('secrets.json')
    expect((err as Error).message).not.toMatch(/sk_live|TOPSECRET/)
  })
})
