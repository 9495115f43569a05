import { randomBytes } from 'node:crypto'
import { isAbsolute } from 'node:path'
import type { Settings, SettingsUpdate } from '../../shared/domain'
import type { TestConnectionRequest } from '../../shared/schemas'
import { canonicalZone } from '../../shared/timeZones'
import { readPublicUrl } from '../../shared/publicUrl'
import { SETTINGS_DEFAULTS, type UserSettings } from '../../shared/settingsDefaults'
import type { EnvConfig } from '../config/env'
import { isValidTimeZone } from '../config/env'
import { UserError } from '../ground/errors'
import type { SecretStore } from '../ground/secrets'
import type { EventBus } from '../events/bus'
import { type Document, type DocumentSource } from '../storage/documents'

/** The vendor the client talks to: the user's, or the built-in simulator. */
export interface VendorTarget {
  baseUrl: string
  apiKey: string
  custId: string
}

/** Vendor settings to test and, in words, which they are (never the key itself). */
export interface VendorToTest {
  target: VendorTarget
  /** `http://… as customer "C-1" with the API key typed here, not saved yet`. */
  described: string
}

/**
 * The user's settings: non-secret values in `settings.json`, secrets (vendor API key, webhook
 * token) in the {@link SecretStore}. Values from the environment are the defaults; what the user
 * sets in the app wins. The API key is write-only: it never leaves this service except to the
 * vendor client.
 */
export class SettingsService {
  private apiKey: string | null = null
  private token = ''

  private constructor(
    private readonly doc: Document<UserSettings>,
    private readonly env: EnvConfig,
    private readonly secrets: SecretStore,
    private readonly bus: EventBus,
  ) {
    // Another instance changed the settings (its API key too, perhaps): read and announce them.
    doc.onExternalChange(() => {
      void this.secrets
        .get('vendorApiKey')
        .catch(() => this.apiKey)
        .then((key) => {
          this.apiKey = key ?? null
          this.bus.emit('settings:updated', this.get())
        })
    })
  }

  /** `bus` hears `settings:updated` after every change. */
  static async open(opts: {
    env: EnvConfig
    secrets: SecretStore
    bus: EventBus
    /** Where `settings.json` is kept. */
    documents: DocumentSource
  }): Promise<SettingsService> {
    const docs = opts.documents
    const doc = await docs.open<UserSettings>('settings.json', SETTINGS_DEFAULTS)
    const service = new SettingsService(doc, opts.env, opts.secrets, opts.bus)
    service.apiKey = (await opts.secrets.get('vendorApiKey')) ?? null
    service.token = opts.env.webhookToken ?? (await service.loadOrCreateToken())
    return service
  }

  /** At least 128 random bits (we use 192), generated on first run and kept as a secret. */
  private async loadOrCreateToken(): Promise<string> {
    const stored = await this.secrets.get('webhookToken')
    if (stored) return stored
    const token = randomBytes(24).toString('base64url')
    // Instances starting together on one shared store agree on the first token stored.
    if (this.secrets.create) return this.secrets.create('webhookToken', token)
    await this.secrets.set('webhookToken', token)
    return token
  }

  webhookToken(): string {
    return this.token
  }

  /** Secrets the logger must redact. */
  secretValues(): string[] {
    return [this.token, this.effectiveApiKey() ?? ''].filter((s) => s.length > 0)
  }

  private effectiveApiKey(): string | null {
    return this.apiKey ?? this.env.vendorApiKey
  }

  timezone(): string {
    return canonicalZone(this.doc.data.timezone ?? this.env.timezone)
  }

  publicUrl(): string | null {
    return this.doc.data.publicUrl ?? this.env.publicUrl
  }

  /** The user's vendor, or null when it is not fully configured (the simulator stands in). */
  vendor(): VendorTarget | null {
    const baseUrl = this.doc.data.vendorUrl ?? this.env.vendorUrl
    const custId = this.doc.data.custId ?? this.env.vendorCustId
    const apiKey = this.effectiveApiKey()
    if (!baseUrl || !custId || !apiKey) return null
    return { baseUrl, custId, apiKey }
  }

  /**
   * The vendor settings on screen, to test before (or without) saving them: the URL and customer
   * id given, the key typed or else the stored one. A field not given is the saved value.
   * @throws UserError naming the field that is missing or not an address.
   */
  vendorToTest(typed: TestConnectionRequest): VendorToTest {
    const saved = this.get()
    const url =
      typed.vendorUrl === undefined
        ? saved.vendorUrl
        : cleanUrl(typed.vendorUrl, 'Vendor URL', 'vendorUrl')
    const custId = typed.custId === undefined ? saved.custId : typed.custId?.trim() || null
    const typedKey = typed.apiKey?.trim() || null
    const apiKey = typedKey ?? this.effectiveApiKey()
    if (!url) throw new UserError('Enter the vendor URL to test it.', 400, ['vendorUrl'])
    if (!custId) throw new UserError('Enter the customer id to test it.', 400, ['custId'])
    if (!apiKey)
      throw new UserError('Type the API key to test it: none is stored.', 400, ['apiKey'])
    const isSaved =
      url === saved.vendorUrl &&
      custId === saved.custId &&
      (!typedKey || typedKey === this.effectiveApiKey())
    const key = typedKey ? 'the API key typed here' : 'the stored API key'
    return {
      target: { baseUrl: url, custId, apiKey },
      described: `${url} as customer "${custId}" with ${key}: ${isSaved ? 'the saved settings' : 'not saved yet (Save to use them)'}`,
    }
  }

  get(): Settings {
    const d = this.doc.data
    return {
      vendorUrl: d.vendorUrl ?? this.env.vendorUrl,
      custId: d.custId ?? this.env.vendorCustId,
      apiKeySet: this.effectiveApiKey() !== null,
      timezone: this.timezone(),
      publicUrl: this.publicUrl(),
      notify: d.notify,
      quietOutsideOfficeHours: d.quietOutsideOfficeHours,
      alertsPaused: d.alertsPaused,
      alertSound: d.alertSound,
      startAtLogin: d.startAtLogin,
      secretStorage: this.apiKey === null && this.env.vendorApiKey ? 'env' : this.secrets.kind,
      simulator: this.vendor() === null,
      backupDaily: d.backupDaily,
      backupKeepDays: d.backupKeepDays,
      backupDir: d.backupDir,
      serviceLevelSeconds: d.serviceLevelSeconds,
    }
  }

  async update(u: SettingsUpdate): Promise<Settings> {
    const vendorUrl =
      u.vendorUrl === undefined ? undefined : cleanUrl(u.vendorUrl, 'Vendor URL', 'vendorUrl')
    const publicUrl = u.publicUrl === undefined ? undefined : cleanPublicUrl(u.publicUrl)
    if (u.timezone !== undefined && !isValidTimeZone(u.timezone)) {
      throw new UserError(`Unknown time zone: ${u.timezone}`, 400, ['timezone'])
    }
    if (u.backupDir && !isAbsolute(u.backupDir.trim()))
      throw new UserError('The backup folder must be a full path', 400, ['backupDir'])
    if (u.apiKey !== undefined) {
      const key = u.apiKey.trim()
      await this.secrets.set('vendorApiKey', key === '' ? null : key)
      this.apiKey = key === '' ? null : key
    }
    await this.doc.update((d) => {
      if (vendorUrl !== undefined) d.vendorUrl = vendorUrl
      if (publicUrl !== undefined) d.publicUrl = publicUrl
      if (u.custId !== undefined) d.custId = u.custId?.trim() || null
      // Both names of a renamed zone are accepted; the current one is kept (Asia/Calcutta → Asia/Kolkata).
      if (u.timezone !== undefined) d.timezone = canonicalZone(u.timezone)
      if (u.notify !== undefined) d.notify = u.notify
      if (u.quietOutsideOfficeHours !== undefined)
        d.quietOutsideOfficeHours = u.quietOutsideOfficeHours
      if (u.alertsPaused !== undefined) d.alertsPaused = u.alertsPaused
      if (u.alertSound !== undefined) d.alertSound = u.alertSound
      if (u.startAtLogin !== undefined) d.startAtLogin = u.startAtLogin
      if (u.backupDaily !== undefined) d.backupDaily = u.backupDaily
      if (u.backupKeepDays !== undefined) d.backupKeepDays = u.backupKeepDays
      if (u.backupDir !== undefined) d.backupDir = u.backupDir?.trim() || null
      if (u.serviceLevelSeconds !== undefined) d.serviceLevelSeconds = u.serviceLevelSeconds
    })
    const settings = this.get()
    this.bus.emit('settings:updated', settings)
    return settings
  }
}

/** The tunnel's address by the shared rule (a pasted webhook path taken off, https assumed). */
function cleanPublicUrl(value: string | null): string | null {
  const read = readPublicUrl(value ?? '')
  if ('error' in read) throw new UserError(read.error, 400, ['publicUrl'])
  return read.url
}

function cleanUrl(value: string | null, label: string, field: string): string | null {
  if (value === null || value.trim() === '') return null
  let url: URL
  try {
    url = new URL(value.trim())
  } catch {
    throw new UserError(`${label} must be an http(s) address, e.g. https://example.com`, 400, [
      field,
    ])
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UserError(`${label} must start with http:// or https://`, 400, [field])
  }
  return url.origin + url.pathname.replace(/\/+$/, '')
}
