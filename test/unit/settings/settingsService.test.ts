import { fileDocuments } from '../../../src/main/storage/folder/documents'
import { mkdtemp, readFile, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { readEnvConfig } from '../../../src/main/config/env'
import { EventBus } from '../../../src/main/events/bus'
import { UserError } from '../../../src/main/ground/errors'
import { FileSecretStore, MemorySecretStore } from '../../../src/main/dataFolder/secretsFile'
import { SettingsService } from '../../../src/main/settings/settingsService'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ivrs-settings-'))
})

describe('SettingsService', () => {
  it('generates a webhook token of at least 128 bits once and keeps it', async () => {
    const secrets = new FileSecretStore(dir)
    const a = await SettingsService.open({
      documents: fileDocuments(dir),
      env: readEnvConfig({}),
      secrets,
      bus: new EventBus(),
    })
    expect(a.webhookToken()).toMatch(/^[A-Za-z0-9_-]{32}$/)
    const b = await SettingsService.open({
      documents: fileDocuments(dir),
      env: readEnvConfig({}),
      secrets,
      bus: new EventBus(),
    })
    expect(b.webhookToken()).toBe(a.webhookToken())
    // The headless secrets file is readable by its owner only.
    expect((await stat(join(dir, 'secrets.json'))).mode & 0o077).toBe(0)
  })

  it('takes the token from IVRS_WEBHOOK_TOKEN when set', async () => {
    const token = 'T'.repeat(30)
    const s = await SettingsService.open({
      documents: fileDocuments(dir),
      env: readEnvConfig({ IVRS_WEBHOOK_TOKEN: token }),
      secrets: new MemorySecretStore(),
      bus: new EventBus(),
    })
    expect(s.webhookToken()).toBe(token)
  })

  it('runs against the simulator until vendor URL, customer id and key are all set', async () => {
    const s = await SettingsService.open({
      documents: fileDocuments(dir),
      env: readEnvConfig({}),
      secrets: new MemorySecretStore(),
      bus: new EventBus(),
    })
    expect(s.get().simulator).toBe(true)
    await s.update({ vendorUrl: 'http://125.16.147.182/', custId: '123' })
    expect(s.get().simulator).toBe(true)
    await s.update({ apiKey: 'secret-key' })
    expect(s.get()).toMatchObject({
      simulator: false,
      apiKeySet: true,
      vendorUrl: 'http://125.16.147.182',
    })
    expect(s.vendor()).toEqual({
      baseUrl: 'http://125.16.147.182',
      custId: '123',
      apiKey: 'secret-key',
    })
    // The key is write-only: it is in no field of what the renderer gets.
    expect(JSON.stringify(s.get())).not.toContain('secret-key')
    await s.update({ apiKey: '' })
    expect(s.get()).toMatchObject({ simulator: true, apiKeySet: false })
  })

  it('keeps the API key out of settings.json', async () => {
    const s = await SettingsService.open({
      documents: fileDocuments(dir),
      env: readEnvConfig({}),
      secrets: new MemorySecretStore(),
      bus: new EventBus(),
    })
    await s.update({ apiKey: 'very-secret', custId: '9', notify: 'all' })
    const text = await readFile(join(dir, 'settings.json'), 'utf8')
    expect(text).toContain('"notify":"all"')
    expect(text).not.toContain('very-secret')
  })

  it('announces every change as settings:updated, without the key', async () => {
    const bus = new EventBus()
    const seen: unknown[] = []
    bus.on('settings:updated', (s) => seen.push(s))
    const s = await SettingsService.open({
      documents: fileDocuments(dir),
      env: readEnvConfig({}),
      secrets: new MemorySecretStore(),
      bus,
    })
    await s.update({ apiKey: 'very-secret', publicUrl: 'https://abc.example/' })
    expect(seen).toEqual([s.get()])
    expect(seen[0]).toMatchObject({ apiKeySet: true, publicUrl: 'https://abc.example' })
    expect(JSON.stringify(seen)).not.toContain('very-secret')
  })

  it('lets what the user sets override the environment, and reports env secrets as such', async () => {
    const env = readEnvConfig({
      IVRS_TIMEZONE: 'UTC',
      IVRS_VENDOR_API_KEY: 'env-key',
      IVRS_VENDOR_URL: 'http://vendor.example',
      IVRS_VENDOR_CUST_ID: '1',
    })
    const s = await SettingsService.open({
      documents: fileDocuments(dir),
      env,
      secrets: new MemorySecretStore(),
      bus: new EventBus(),
    })
    expect(s.get()).toMatchObject({ timezone: 'UTC', secretStorage: 'env', simulator: false })
    expect(s.secretValues()).toContain('env-key')
    await s.update({ timezone: 'Asia/Kolkata' })
    expect(s.timezone()).toBe('Asia/Kolkata')
  })

  it('rejects bad input with a clear error and changes nothing', async () => {
    const s = await SettingsService.open({
      documents: fileDocuments(dir),
      env: readEnvConfig({}),
      secrets: new MemorySecretStore(),
      bus: new EventBus(),
    })
    await expect(s.update({ vendorUrl: 'ftp://x' })).rejects.toThrow(UserError)
    await expect(s.update({ publicUrl: 'nonsense' })).rejects.toThrow(/not a web address/)
    await expect(s.update({ timezone: 'Nowhere/City' })).rejects.toThrow(/Unknown time zone/)
    expect(s.get().vendorUrl).toBeNull()
  })
})
