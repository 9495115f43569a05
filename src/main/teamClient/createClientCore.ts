/**
 * The composition root of the desktop app as a team server's client: its own data folder (locked
 * as ever: it keeps this desktop's settings, secrets and logs), its own alert settings, and the
 * team client in place of the listener, the storage and the vendor client, which the server runs.
 */
import type { Dispatcher } from 'undici'
import type { EnvConfig } from '../config/env'
import { EventBus } from '../events/bus'
import type { Logger } from '../ground/logger'
import type { DocumentSource } from '../storage/documents'
import type { SecretStore } from '../ground/secrets'
import { SettingsService } from '../settings/settingsService'
import type { DataFolderLock } from '../dataFolder/lock'
import { TeamClient, type DesktopCore } from './teamClient'
import { takeDataFolder } from '../dataFolder/lock'

export interface ClientCoreOptions {
  env: EnvConfig
  dataDir: string
  /** Where this desktop's own documents are (its settings): files in its data folder. */
  documents: DocumentSource
  secrets: SecretStore
  logger: Logger
  server: string
  token: string
  dispatcher?: Dispatcher
  /** The data folder's lock when the caller took it already; released by `stop` either way. */
  lock?: DataFolderLock
  /** Reconnect backoff of the event stream (tests make it short). */
  minDelayMs?: number
  maxDelayMs?: number
}

export interface ClientCore extends DesktopCore {
  readonly client: TeamClient
}

export async function createClientCore(opts: ClientCoreOptions): Promise<ClientCore> {
  const lock =
    opts.lock ??
    (await takeDataFolder(opts.dataDir, 'desktop', (err) => opts.logger.error(String(err))))
  try {
    // This desktop's settings: only its alert settings are read (see DESK_FIELDS); the bus hears
    // nothing, the team client announces the merged settings itself.
    const desk = await SettingsService.open({
      documents: opts.documents,
      env: opts.env,
      secrets: opts.secrets,
      bus: new EventBus(),
    })
    const client = new TeamClient({
      server: opts.server,
      token: opts.token,
      desk,
      logger: opts.logger,
      dispatcher: opts.dispatcher,
      minDelayMs: opts.minDelayMs,
      maxDelayMs: opts.maxDelayMs,
    })
    return {
      client,
      handlers: client.handlers,
      exportCsv: (q) => client.exportCsv(q),
      subscribe: (h) => client.subscribe(h),
      settings: () => client.settings(),
      isOpenAt: (ms) => client.isOpenAt(ms),
      webhookUrl: () => client.webhookUrl(),
      secretValues: () => [...desk.secretValues(), ...client.secretValues()],
      start: () => client.start(),
      async stop() {
        try {
          await client.stop()
        } finally {
          await lock.release()
        }
      },
    }
  } catch (err) {
    await lock.release()
    throw err
  }
}
