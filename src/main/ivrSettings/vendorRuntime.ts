import { stringify } from 'csv-stringify/sync'
import type { TestResult } from '../../shared/contract'
import type { Agent } from '../../shared/domain'
import { localToday } from '../../shared/localTime'
import { VENDOR_HANDLER_PATH } from '../../shared/vendorPaths'
import type { EnvConfig } from '../config/env'
import type { EventBus } from '../events/bus'
import { createVendorModel, type VendorModel, type VendorModelDeps } from './'
import { soleHolder, type ExclusiveRole } from '../storage/types'
import type { SettingsService } from '../settings/settingsService'
import { SIMULATED_AGENTS, startSimulation, type Simulation } from '../simulator'
import type { CallStore } from '../storage/types'
import { VendorClient, type VendorSettings } from '../ivrApi/client'
import { testConnection } from '../ivrApi/connection'
import type { TestConnectionRequest } from '../../shared/schemas'
import { loadSummaries } from '../insight/dashboard'
import type { Clock } from '../ground/clock'
import type { Logger } from '../ground/logger'

export interface VendorRuntimeOptions {
  /** Where the model's documents, audit trail and sender's role are (`vendor/` of the storage). */
  shared: Pick<VendorModelDeps, 'documents' | 'audit' | 'senderRole'>
  /** Held by the one instance whose simulator generates calls (default: this process alone). */
  generatorRole?: ExclusiveRole
  env: EnvConfig
  settings: SettingsService
  store: CallStore
  bus: EventBus
  clock: Clock
  logger: Logger
  user: string
  /** The zone in force for this run (a change in Settings applies after a restart). */
  timezone: string
  /**
   * Let the simulator generate calls (it always answers the settings API when it stands in);
   * `until-configured`: only while neither a vendor nor a tunnel address is set.
   */
  demo: boolean | 'until-configured'
}

/**
 * The vendor side of the app: the settings client, the agents/holidays/office-hours model with its
 * outbox, and — while no vendor is configured — the built-in simulator standing in for it. The
 * client reads its target per request, so configuring a real vendor takes effect at once.
 */
export class VendorRuntime {
  private simulation: Simulation | null = null
  private readonly names = new Map<string, string>()
  private readonly stopping = new AbortController()

  private constructor(
    private readonly o: VendorRuntimeOptions,
    readonly client: VendorClient,
    readonly model: VendorModel,
  ) {}

  static async create(o: VendorRuntimeOptions): Promise<VendorRuntime> {
    let runtime: VendorRuntime | null = null
    const client = new VendorClient({
      settings: (): VendorSettings | null => {
        const user = o.settings.vendor()
        if (user) return user
        const sim = runtime?.simulation
        return sim
          ? { baseUrl: sim.vendor.url, apiKey: sim.vendor.apiKey, custId: sim.vendor.custId }
          : null
      },
      clock: o.clock,
      logger: o.logger,
    })
    const model = await createVendorModel({
      ...o.shared,
      client,
      clock: o.clock,
      logger: o.logger,
      bus: o.bus,
      timezone: () => o.timezone,
      todayStats: () => todayStats(o.store, o.clock, o.timezone),
      user: o.user,
    })
    runtime = new VendorRuntime(o, client, model)
    return runtime
  }

  /**
   * Starts the simulator when no vendor is configured, seeds its agents once, starts the outbox.
   * `listenerUrl` is this app's own listener; null when it is not listening, and then the
   * simulator generates no calls (the port it would push to is another program's).
   */
  async start(listenerUrl: string | null): Promise<void> {
    const { env, settings, logger } = this.o
    if (settings.vendor() === null) {
      this.simulation = await startSimulation({
        listenerUrl,
        timezone: this.o.timezone,
        port: env.simulatorPort,
        callsPerMinute: env.simulatorRate,
        awkwardShare: env.simulatorAwkwardShare,
        logger,
        generate: listenerUrl !== null && this.shouldGenerate() && this.alone(),
      })
      await this.seedSimulatedAgents()
      if (listenerUrl !== null && this.shouldGenerate() && !this.alone())
        this.generateWhileHeld(this.o.generatorRole!)
    }
    for (const a of await this.model.agents.list()) this.names.set(a.normalizedNumber, a.name)
    // Today's answered calls, talk time and last call follow the day.
    this.o.bus.on('call:stored', ({ call }) => {
      if (call.agentNumber) this.model.agents.todayChanged(call.agentNumber)
    })
    this.o.bus.on('agent:updated', (a) => this.names.set(a.normalizedNumber, a.name))
    this.o.bus.on('agent:removed', () => {
      void this.model.agents.list().then((list) => {
        this.names.clear()
        for (const a of list) this.names.set(a.normalizedNumber, a.name)
      })
    })
    await this.model.start()
  }

  /**
   * Several instances on one database: only the holder of the generator's role pushes simulated
   * calls (one stream of calls, not one per instance); another takes over if it ends.
   */
  private generateWhileHeld(role: ExclusiveRole): void {
    void role.acquire(this.stopping.signal).then((held) => {
      const generator = this.simulation?.generator
      if (held && generator && !generator.generating && this.shouldGenerate()) generator.start()
    })
  }

  async stop(): Promise<void> {
    this.stopping.abort()
    await this.o.generatorRole?.release()
    await this.model.stop()
    await this.simulation?.stop()
    this.simulation = null
    await this.client.close()
  }

  /** The only process there is generates at once, without asking for the role. */
  private alone(): boolean {
    return !this.o.generatorRole || this.o.generatorRole === soleHolder
  }

  private shouldGenerate(): boolean {
    const { demo, settings } = this.o
    if (demo === 'until-configured')
      return settings.vendor() === null && settings.publicUrl() === null
    return demo
  }

  /**
   * Called after the settings change: once the user configures a vendor (or, in the desktop app,
   * a tunnel address), simulated calls stop so they never mix with real pushes.
   */
  async settingsChanged(): Promise<void> {
    const generator = this.simulation?.generator
    if (generator && !this.shouldGenerate()) {
      this.o.logger.info('Settings configured: the simulator stops generating calls')
      await generator.stop()
    }
  }

  /**
   * The first time the simulator stands in, the directory gets its agents so screens are alive:
   * one import, written as a proper CSV (quoted where a value needs it) that the importer reads.
   */
  private async seedSimulatedAgents(): Promise<void> {
    if ((await this.model.agents.list()).length > 0) return
    const csv = stringify([
      ['number', 'name', 'department'],
      ...SIMULATED_AGENTS.map((a) => [a.number, a.name, a.department]),
    ])
    await this.model.agents.import({ csv })
  }

  agentName(normalizedNumber: string): string | null {
    return this.names.get(normalizedNumber) ?? null
  }

  /** Numbers of the agents whose name contains `text` (any case): a history search by name. */
  agentsNamed(text: string): string[] {
    const needle = text.trim().toLowerCase()
    if (!needle) return []
    return [...this.names].filter(([, name]) => name.toLowerCase().includes(needle)).map(([n]) => n)
  }

  simulatorInfo(): { handlerUrl: string; generating: boolean } | null {
    const sim = this.simulation
    if (!sim || this.o.settings.vendor() !== null) return null
    const q = new URLSearchParams({ apikey: sim.vendor.apiKey, custid: sim.vendor.custId })
    return {
      handlerUrl: `${sim.vendor.url}${VENDOR_HANDLER_PATH}?${q}`,
      generating: sim.generator.generating,
    }
  }

  /**
   * `settings:testConnection`: the values given (what is on screen, saved or not) through a
   * client of their own, else what the app uses now. The answer says which was tested.
   */
  async testConnection(typed: TestConnectionRequest = {}): Promise<TestResult> {
    const given = Object.values(typed).some((v) => v !== undefined)
    if (!given) {
      const user = this.o.settings.vendor()
      const tested = user
        ? `${user.baseUrl}: the saved settings`
        : this.simulation
          ? 'the built-in simulator (no vendor is saved)'
          : 'nothing: no vendor is saved'
      return { ...(await this.model.testConnection()), tested }
    }
    const { target, described } = this.o.settings.vendorToTest(typed)
    const client = new VendorClient({
      settings: () => target,
      clock: this.o.clock,
      logger: this.o.logger,
    })
    try {
      return { ...(await testConnection(client)), tested: described }
    } finally {
      await client.close()
    }
  }
}

/**
 * Today's answered calls, talk time and last call per agent number, in the configured zone, from
 * the store's compact rows (no call is read whole).
 */
export async function todayStats(store: CallStore, clock: Clock, timezone: string) {
  const today = localToday(clock.now(), timezone)
  const stats = new Map<string, { answered: number; talkSeconds: number; lastCallAt: number }>()
  for (const call of await loadSummaries(store, today, today, timezone)) {
    if (!call.agentNumber) continue
    let s = stats.get(call.agentNumber)
    if (!s)
      stats.set(call.agentNumber, (s = { answered: 0, talkSeconds: 0, lastCallAt: -Infinity }))
    if (call.status === 'ANSWER') {
      s.answered++
      s.talkSeconds += call.talkSeconds ?? 0
    }
    if (call.startedAtMs > s.lastCallAt) s.lastCallAt = call.startedAtMs
  }
  const out = new Map<string, Agent['today']>()
  for (const [agent, s] of stats)
    out.set(agent, { ...s, lastCallAt: new Date(s.lastCallAt).toISOString() })
  return out
}
