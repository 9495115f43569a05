/**
 * The composition root: builds every service from the settings and wires them together. Both the
 * Electron shell (`src/main/index.ts`) and headless mode (`src/main/headless/serve.ts`) call it.
 */
import { join } from 'node:path'
import { DateTime } from 'luxon'
import type { Call, Settings } from '../../shared/domain'
import type { EnvConfig } from '../config/env'
import { EventBus } from '../events/bus'
import { ListenerServer } from '../listener/server'
import { MissedQueue } from '../missed/queue'
import { FileSecretStore } from '../settings/fileSecretStore'
import { SettingsService } from '../settings/settingsService'
import { FileCallStore } from '../storage/fileCallStore'
import { FileRejectedLog } from '../storage/rejectedLog'
import type { Core } from './core'
import { subscribeContractEvents } from './events'
import { buildHandlers } from './handlers'
import type { SecretStore } from './secrets'
import { systemClock, type Clock, type Logger } from './types'
import { VendorRuntime } from './vendorRuntime'
import { buildHealth, webhookUrl } from './health'
import { Throttle } from './throttle'
import { LocalDays } from '../storage/localDay'
import { csvChunks } from './csv'

/** While pushes only move its counts, health is published at most this often. */
export const HEALTH_EVERY_MS = 250

export interface CoreOptions {
  env: EnvConfig
  dataDir: string
  secrets?: SecretStore
  logger: Logger
  /** OS user name, recorded in the audit log. */
  user: string
  clock?: Clock
  appVersion: string
  /**
   * Whether the simulator's call generator runs while it stands in for the vendor: `true` for
   * headless `--demo`; `until-configured` for the desktop app, which stops generating as soon as
   * a vendor or a tunnel address is set, so simulated calls never mix with real pushes.
   */
  demo?: boolean | 'until-configured'
  transport?: 'electron' | 'http'
}

export interface AppCore extends Core {
  settings(): Settings
  isOpenAt(ms: number): boolean
  /** Secret values the logger must redact. */
  secretValues(): string[]
  /** Where the simulator listens, when it stands in for the vendor. */
  simulatorInfo(): { handlerUrl: string; generating: boolean } | null
  openMissedCount(): number
}

export async function createCore(opts: CoreOptions): Promise<AppCore> {
  const { env, dataDir, logger } = opts
  const clock = opts.clock ?? systemClock
  const bus = new EventBus((err) => logger.error('Event subscriber failed', { err: String(err) }))
  const settings = await SettingsService.open({
    dataDir,
    env,
    secrets: opts.secrets ?? new FileSecretStore(dataDir),
  })
  const timezone = settings.timezone()
  const store = await FileCallStore.open({ dir: join(dataDir, 'calls'), timezone, clock, logger })
  const rejected = await FileRejectedLog.open({ dir: join(dataDir, 'rejected'), clock })
  const missed = await MissedQueue.open({ dir: join(dataDir, 'missed'), clock, bus, logger })

  const listener = new ListenerServer({
    store,
    rejected,
    bus,
    token: settings.webhookToken(),
    timezone,
    clock,
    logger,
    host: env.webhookHost,
    port: env.webhookPort,
    trustProxy: env.trustProxy,
  })

  const vendor = await VendorRuntime.create({
    dataDir,
    env,
    settings,
    store,
    bus,
    clock,
    logger,
    user: opts.user,
    timezone,
    demo: opts.demo ?? false,
  })

  // Every stored call feeds the missed-call queue; a failure there is logged, never lost silently
  // (the call itself is already durable in the store and the queue can be rebuilt from it).
  bus.on('call:stored', ({ call }) => {
    missed.onCall(call).catch((err: unknown) => {
      logger.error('Missed-call queue update failed', { callId: call.id, err: String(err) })
    })
  })

  const url = (): string =>
    webhookUrl(settings.publicUrl(), listener.status(), settings.webhookToken())

  const days = new LocalDays(timezone)
  const health = () =>
    buildHealth({
      listener: listener.status(),
      store,
      rejected,
      clock,
      days,
      timezone,
      webhookUrl: url(),
      simulator: settings.get().simulator,
    })

  const handlers = buildHandlers({
    store,
    rejected,
    settings,
    vendor,
    missed,
    health,
    clock,
    timezone,
    pushUrl: url,
    appInfo: { version: opts.appVersion, transport: opts.transport ?? 'http', dataDir },
  })

  /**
   * A call is durable before the missed-call queue hears of it; after a crash between the two the
   * queue catches up here from the last week's calls (repeats change nothing).
   */
  const catchUpMissedQueue = async (): Promise<void> => {
    const from = DateTime.fromMillis(clock.now(), { zone: timezone }).minus({ days: 7 }).toISODate()
    const recent: Call[] = []
    for await (const call of store.iterate({ from: from ?? undefined })) recent.push(call)
    for (const call of recent.reverse()) await missed.onCall(call)
  }

  let healthTimer: NodeJS.Timeout | null = null
  const healthUpdates = new Throttle(() => {
    health()
      .then((h) => bus.emit('health:changed', h))
      .catch((err: unknown) => logger.warn('Health check failed', { err: String(err) }))
  }, HEALTH_EVERY_MS)
  // What a user acts on (listener state, the first push, a new day) goes out at once; counts and
  // the time of the last push, which every push moves, a few times a second at most.
  let healthState = ''
  const publishHealth = (): void => {
    const l = listener.status()
    const state = `${l.state}|${l.port}|${l.error}|${store.lastPushAt() === null}|${days.at(clock.now()).date}`
    if (state === healthState) return healthUpdates.request()
    healthState = state
    healthUpdates.now()
  }

  return {
    bus,
    handlers,
    exportCsv: (query) => csvChunks(store.iterate(query)),
    subscribe: (handler) => subscribeContractEvents(bus, handler),
    webhookUrl: url,
    health,
    settings: () => settings.get(),
    isOpenAt: (ms) => vendor.model.schedule.isOpenAt(ms),
    secretValues: () => settings.secretValues(),
    simulatorInfo: () => vendor.simulatorInfo(),
    openMissedCount: () => missed.openCount(),
    async start() {
      await listener.start()
      await catchUpMissedQueue()
      // The listener's own address (no public URL): where the simulator pushes.
      await vendor.start(webhookUrl(null, listener.status(), settings.webhookToken()))
      bus.on('call:stored', publishHealth)
      healthTimer = setInterval(publishHealth, 30_000)
      healthTimer.unref()
      publishHealth()
    },
    async stop() {
      if (healthTimer) clearInterval(healthTimer)
      healthUpdates.cancel()
      await vendor.stop()
      await listener.stop()
      // Logged by the queue; the stored calls rebuild it at the next start anyway.
      await missed.flush().catch(() => {})
      await store.close()
      await rejected.close()
    },
  }
}
