/**
 * The composition root: builds every service from the settings and wires them together. Both the
 * Electron shell (`src/main/index.ts`) and headless mode (`src/main/headless/serve.ts`) call it.
 */
import type { MissedItem, Settings } from '../../shared/domain'
import type { EnvConfig } from '../config/env'
import { EventBus } from '../events/bus'
import { ListenerServer } from '../listener/server'
import { MissedQueue } from '../missed/queue'
import { SettingsService } from '../settings/settingsService'
import type { Core } from './core'
import { subscribeContractEvents } from './events'
import { announceStoredCalls } from './storedCalls'
import { judgeStoredCalls } from '../ivrSettings/judgedCalls'
import { buildHandlers, withAgentNames } from './handlers'
import type { SecretStore } from '../ground/secrets'
import { systemClock, type Clock } from '../ground/clock'
import { type Logger } from '../ground/logger'
import { VendorRuntime } from '../ivrSettings/vendorRuntime'
import { buildHealth, HealthPublisher, webhookUrl } from './health'
import { csvChunks } from '../insight/callsCsv'
import { takeDataFolder, type DataFolderLock } from '../dataFolder/lock'
import { lockLostProblem, StorageProblems } from '../maintenance/problems'
import { containDamagedDocuments } from '../maintenance/documents'
import { checkFolderAccess } from '../maintenance/folderAccess'
import { MaintenanceService } from '../maintenance/service'
import { LocalDays } from '../storage/localDay'
import { AccountService, openAccountsDocument } from '../accounts/accounts'
import { recordChanges, type ActivityEntry } from './changeLog'
import { ACTIVITY_LOG, MISSED_ARCHIVE_LOG, VENDOR_AUDIT_LOG } from '../ground/paths'
import type { Storage } from '../storage/storage'
import type { AuditEntry } from '../ivrApi/audit'
import { chooseStorage } from './backends'
import { LogRetention } from '../maintenance/retention'
import { CoreMetrics } from '../metrics/metrics'

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
  /**
   * Headless mode: `start` fails with `ListenerUnavailableError` (listener/server.ts) when the listener cannot
   * listen (a port taken, an address not here), instead of running on without it as the desktop
   * app does (which shows it on the Connection screen).
   */
  listenerRequired?: boolean
  /**
   * The data folder's lock when the caller took it already (the desktop app takes it before
   * Chromium starts); otherwise createCore takes it before reading anything. Released by `stop`.
   */
  lock?: DataFolderLock
  /**
   * Where people open the app (headless mode, once its API listens): a new account's answer
   * carries the address that opens it as that person. Null or absent: unknown.
   */
  appUrl?: () => string | null
}

export interface AppCore extends Core {
  settings(): Settings
  isOpenAt(ms: number): boolean
  /** Secret values the logger must redact. */
  secretValues(): string[]
  /** Where the simulator listens, when it stands in for the vendor. */
  simulatorInfo(): { handlerUrl: string; generating: boolean } | null
  openMissedCount(): number
  /** The team server's people: the local API verifies personal tokens with it. */
  readonly accounts: AccountService
  /**
   * Calls `fn` once if another process takes the data folder over while this one runs (it was
   * frozen, suspended, or its lock went stale on a network share). By then every writer has
   * stopped and nothing more is written to the folder: the shell tells the user and ends the
   * process (a dialog in the desktop app, a non-zero exit in headless mode). Returns the
   * unsubscribe function.
   */
  onFolderLost(fn: (err: Error) => void): () => void
  /** What `/metrics` shows; the listener counts every push into it. */
  readonly metrics: CoreMetrics
  /** Whether pushes can be taken now: listening, and storage (or the database) taking writes. */
  ready(): Promise<boolean>
}

export async function createCore(opts: CoreOptions): Promise<AppCore> {
  const lock =
    opts.lock ??
    (await takeDataFolder(
      opts.dataDir,
      opts.transport === 'electron' ? 'desktop' : 'headless',
      (err) => opts.logger.error(String(err)),
      opts.env.lockStaleMs,
    ))
  try {
    // Before anything is read: a file it may not read would otherwise look damaged.
    await checkFolderAccess(opts.dataDir)
    return await buildCore(opts, lock)
  } catch (err) {
    await lock.release()
    throw err
  }
}

async function buildCore(opts: CoreOptions, lock: DataFolderLock): Promise<AppCore> {
  const { env, dataDir, logger } = opts
  const clock = opts.clock ?? systemClock
  const bus = new EventBus((err) => logger.error('Event subscriber failed', { err: String(err) }))
  const problems = await StorageProblems.open({ dataDir, clock, logger })
  problems.onChange((problem) => {
    if (problem) bus.emit('storage:problem', problem)
  })
  await containDamagedDocuments(dataDir, problems, clock.now())
  // The settings are documents of the storage, and the zone the calls are kept in is a setting.
  const storage = await chooseStorage(env)({
    dataDir,
    secrets: opts.secrets,
    clock,
    logger,
    reporter: problems,
    settings: (documents, secrets) => SettingsService.open({ env, secrets, bus, documents }),
  })
  try {
    return await buildServices(opts, lock, { bus, problems, storage })
  } catch (err) {
    await storage.close().catch(() => {})
    throw err
  }
}

interface Foundation {
  bus: EventBus
  problems: StorageProblems
  storage: Storage<SettingsService>
}

async function buildServices(
  opts: CoreOptions,
  lock: DataFolderLock,
  { bus, problems, storage }: Foundation,
): Promise<AppCore> {
  const { env, dataDir, logger } = opts
  const clock = opts.clock ?? systemClock
  const { calls: store, rejected, settings } = storage
  const timezone = settings.timezone()
  // Every stored call, this instance's or another's, goes on the bus from the store.
  announceStoredCalls(store, bus)
  // Pushes another instance rejected are announced here too.
  rejected.onRemoteRejected?.((push) => bus.emit('push:rejected', push))
  const maintenance = new MaintenanceService({
    dataDir,
    store: storage.maintenance,
    problems,
    settings: () => settings.get(),
    clock,
    logger,
  })
  const missed = await MissedQueue.open({
    documents: storage.documents('missed/'),
    archive: storage.log<MissedItem>(MISSED_ARCHIVE_LOG),
    clock,
    bus,
    logger,
    saveEveryMs: storage.missedSaveEveryMs,
  })
  // On a database every instance shares the accounts, and hears another's change at once.
  const accounts = new AccountService(
    await openAccountsDocument(storage.documents()),
    clock,
    logger,
  )
  accounts.onChange((_change, all) => bus.emit('accounts:updated', all))

  /** Whether pushes can be taken now: what `/readyz` answers. */
  const ready = async (): Promise<boolean> => {
    if (listener.status().state !== 'listening') return false
    if (problems.list().some((p) => p.ongoing && p.kind === 'lock-lost')) return false
    // Asked of the storage itself: a problem told by a failed write lasts until the next write.
    return storage.canWrite()
  }
  const metrics = new CoreMetrics(
    {
      lastPushAt: () => store.lastPushAt(),
      outboxPending: () => vendor.model.changes.list().filter((c) => c.state === 'pending').length,
      storageProblems: () => problems.list(),
      ready,
      version: opts.appVersion,
    },
    logger,
  )

  const listener = new ListenerServer({
    meter: metrics,
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

  // The append-only logs, made here so that the retention prunes the ones the services write.
  const vendorAudit = storage.log<AuditEntry>(VENDOR_AUDIT_LOG)
  const activity = storage.log<ActivityEntry>(ACTIVITY_LOG)
  const retention = new LogRetention({
    days: env.logRetentionDays,
    logs: [
      { name: 'activity log', prune: (before) => activity.prune(before) },
      { name: 'vendor audit trail', prune: (before) => vendorAudit.prune(before) },
      { name: 'rejected pushes', prune: (before) => rejected.prune(before) },
    ],
    clock,
    logger,
  })

  const vendor = await VendorRuntime.create({
    shared: {
      documents: storage.documents('vendor/'),
      audit: vendorAudit,
      senderRole: storage.roles.sender,
    },
    generatorRole: storage.roles.generator,
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

  missed.followStoredCalls()

  // Another process took the folder over (this one was frozen past the lock's stale time, or a
  // network share's lock went stale): every writer stops at once. The fence already refuses
  // every write into the folder (the problem below stays in memory: the folder is not ours to
  // write); the listener stops taking pushes, so the vendor retries them into the process that
  // holds the folder now, and the shell ends this process (see onFolderLost).
  const folderLost = new Set<(err: Error) => void>()
  let lostWith: Error | null = null
  const stopWriting = (err: Error): void => {
    lostWith = err
    logger.error('the data folder was taken over: every writer stopped', { error: err.message })
    storage.abandon()
    problems.problem(lockLostProblem(dataDir, err))
    listener.stop().catch(() => {})
    vendor.stop().catch(() => {})
    maintenance.stop().catch(() => {})
    for (const fn of folderLost) fn(err)
  }

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
      storage: maintenance.health(),
    })

  // Calls leave main judged by the schedule in force when they started.
  const judged = judgeStoredCalls(() => vendor.model.schedule.closedAt())

  const handlers = recordChanges(
    buildHandlers({
      store,
      rejected,
      settings,
      vendor,
      missed,
      health,
      clock,
      timezone,
      pushUrl: () =>
        listener.status().state === 'listening' || settings.publicUrl() !== null ? url() : null,
      appInfo: { version: opts.appVersion, transport: opts.transport ?? 'http', dataDir },
      maintenance,
      problems,
      accounts,
      teamMode: opts.transport === 'electron' ? 'local' : 'server',
      appUrl: opts.appUrl ?? (() => null),
    }),
    activity,
    clock,
    logger,
  )

  const healthUpdates = new HealthPublisher({
    bus,
    logger,
    health,
    listener: () => listener.status(),
    store,
    days,
    clock,
  })
  // A storage problem (found, acknowledged, over) is a change of state: announced at once, as a
  // backup made is (the Settings screen shows the last one from health:changed). A problem found
  // while opening the stores is in the first health published anyway.
  problems.onChange(() => healthUpdates.announce())
  maintenance.onBackup(() => healthUpdates.announce())

  lock.fence.onLost(stopWriting)

  return {
    bus,
    handlers,
    onFolderLost(fn) {
      if (lostWith) fn(lostWith)
      else folderLost.add(fn)
      return () => void folderLost.delete(fn)
    },
    exportCsv: (query) =>
      csvChunks(store.iterate(withAgentNames(query, vendor)), timezone, (n) => vendor.agentName(n)),
    unreadable: (query) => store.unreadableIn?.(query) ?? [],
    subscribe: (handler) => subscribeContractEvents(bus, handler, { 'call:stored': judged }),
    webhookUrl: url,
    health,
    settings: () => settings.get(),
    // By the schedule in force at `ms` (nothing set then: open).
    isOpenAt: (ms) => vendor.model.schedule.closedAt()(ms) !== true,
    secretValues: () => settings.secretValues(),
    simulatorInfo: () => vendor.simulatorInfo(),
    openMissedCount: () => missed.openCount(),
    accounts,
    metrics,
    ready,
    async start() {
      await listener.start()
      const unavailable = opts.listenerRequired ? listener.unavailable() : null
      if (unavailable) throw unavailable
      await missed.catchUpLastWeek(store, timezone)
      const own = listener.status()
      // The listener's own address (no public URL): where the simulator pushes; none when it
      // could not listen, since its port is then another program's.
      await vendor.start(
        own.state === 'listening' ? webhookUrl(null, own, settings.webhookToken()) : null,
      )
      healthUpdates.start()
      await maintenance.start()
      metrics.startSummary()
      retention.start()
    },
    async stop() {
      healthUpdates.stop()
      // A folder taken over is not this process's to flush or checkpoint.
      if (lostWith) return lock.release()
      try {
        await retention.stop()
        await maintenance.stop()
        await vendor.stop()
        await listener.stop()
        // The last pushes counted, in the log.
        metrics.stop()
        // Logged by the queue; the stored calls rebuild it at the next start anyway.
        await missed.flush().catch(() => {})
        await storage.close()
        await problems.flushed()
      } finally {
        await lock.release()
      }
    },
  }
}
