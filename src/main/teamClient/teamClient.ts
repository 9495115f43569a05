/**
 * The desktop app as a team server's client: the same `Core` the Electron layer drives (IPC
 * handlers, event subscription, tray, notifications), implemented over the server's HTTP API and
 * event stream. It runs no listener and no vendor client. What it cannot ask the server
 * synchronously (settings, "open now?", the webhook URL, the missed count) it keeps from the
 * server's answers and events.
 *
 * Alerts are this desktop's own: `notify`, `quietOutsideOfficeHours`, `alertsPaused`,
 * `alertSound` and `startAtLogin` are kept in its own settings (any role may change them, and one
 * supervisor pausing alerts does not pause everyone's); every other setting is the server's.
 */
import type { Dispatcher } from 'undici'
import {
  CHANNELS,
  type EventName,
  type Events,
  type OpenState,
  type RequestOf,
} from '../../shared/contract'
import type { Health, Settings } from '../../shared/domain'
import type { SettingsUpdate } from '../../shared/schemas'
import type { TeamState } from '../../shared/team'
import type { ContractEventHandler } from '../core/events'
import type { Core, Handlers } from '../core/core'
import type { Logger } from '../ground/logger'
import { ContractClient } from './contractClient'
import { EventStreamClient, type StreamState } from './eventStream'

/** The settings that belong to this desktop, not to the team server. */
export const DESK_FIELDS = [
  'notify',
  'quietOutsideOfficeHours',
  'alertsPaused',
  'alertSound',
  'startAtLogin',
] as const satisfies readonly (keyof Settings & keyof SettingsUpdate)[]

type DeskField = (typeof DESK_FIELDS)[number]

/** This desktop's own settings (its settings service). */
export interface DeskSettings {
  get(): Settings
  update(u: SettingsUpdate): Promise<Settings>
}

export interface TeamClientOptions {
  server: string
  token: string
  desk: DeskSettings
  logger: Logger
  dispatcher?: Dispatcher
  /** Reconnect backoff of the event stream (tests make it short). */
  minDelayMs?: number
  maxDelayMs?: number
}

/** What the Electron shell drives, whether the core is local or a team server's client. */
export type DesktopCore = Pick<Core, 'handlers' | 'exportCsv' | 'subscribe' | 'start' | 'stop'> & {
  settings(): Settings
  isOpenAt(ms: number): boolean
  webhookUrl(): string
  secretValues(): string[]
}

export class TeamClient implements DesktopCore {
  readonly handlers: Handlers
  private readonly client: ContractClient
  private readonly stream: EventStreamClient
  private readonly subscribers = new Set<ContractEventHandler>()
  private serverSettings: Settings | null = null
  private openState: OpenState | null = null
  private health: Health | null = null
  private state: TeamState
  /** True once the server's state was read since the stream (re)connected. */
  private loaded = false

  constructor(private readonly o: TeamClientOptions) {
    this.client = new ContractClient({
      baseUrl: o.server,
      token: o.token,
      dispatcher: o.dispatcher,
    })
    this.state = {
      mode: 'client',
      server: this.client.baseUrl,
      as: null,
      state: 'connecting',
      error: null,
    }
    this.stream = new EventStreamClient({
      baseUrl: this.client.baseUrl,
      token: o.token,
      dispatcher: o.dispatcher,
      minDelayMs: o.minDelayMs,
      maxDelayMs: o.maxDelayMs,
      onEvent: (event, payload) => this.fromServer(event, payload),
      onState: (s) => this.streamState(s),
    })
    this.handlers = this.buildHandlers()
  }

  /** How this desktop stands with its team server. */
  team(): TeamState {
    return this.state
  }

  subscribe(handler: ContractEventHandler): () => void {
    this.subscribers.add(handler)
    return () => this.subscribers.delete(handler)
  }

  exportCsv(query: RequestOf<'calls:exportCsv'>): AsyncIterable<string> {
    return this.client.exportCsv(query)
  }

  settings(): Settings {
    return this.merged(this.serverSettings ?? this.o.desk.get())
  }

  /**
   * Whether the office was open at `ms`, judged from the server's latest "open now?" and its next
   * change. Notifications ask it for calls that just ended, for which that is exact; the server's
   * full schedule stays on the server.
   */
  isOpenAt(ms: number): boolean {
    const s = this.openState
    if (!s) return true
    if (s.nextChangeAt !== null && ms >= Date.parse(s.nextChangeAt)) return !s.open
    return s.open
  }

  webhookUrl(): string {
    return this.health?.webhookUrl ?? ''
  }

  secretValues(): string[] {
    return [this.o.token]
  }

  async start(): Promise<void> {
    // Not reachable yet is no reason to fail: the stream keeps trying and loads once it answers.
    await this.refresh().catch((err: unknown) =>
      this.o.logger.warn('The team server did not answer at start', { error: String(err) }),
    )
    this.stream.start()
  }

  async stop(): Promise<void> {
    await this.stream.stop()
  }

  private buildHandlers(): Handlers {
    const forward: Record<string, unknown> = {}
    for (const channel of CHANNELS) {
      if (channel === 'calls:exportCsv') continue
      forward[channel] = (req: unknown) => this.client.call(channel, req as never)
    }
    const own: Partial<Handlers> = {
      'settings:get': async () => this.merged(await this.client.call('settings:get', undefined)),
      'settings:update': (u) => this.updateSettings(u),
      'team:get': async () => this.state,
    }
    return { ...forward, ...own } as Handlers
  }

  /** Desk fields change here, the rest on the server (where the role is checked). */
  private async updateSettings(u: SettingsUpdate): Promise<Settings> {
    const desk: SettingsUpdate = {}
    const server: SettingsUpdate = {}
    for (const [k, v] of Object.entries(u)) {
      const target = (DESK_FIELDS as readonly string[]).includes(k) ? desk : server
      ;(target as Record<string, unknown>)[k] = v
    }
    if (Object.keys(server).length > 0)
      this.serverSettings = await this.client.call('settings:update', server)
    if (Object.keys(desk).length > 0) await this.o.desk.update(desk)
    const settings = this.settings()
    this.emit('settings:updated', settings)
    return settings
  }

  private merged(server: Settings): Settings {
    const desk = this.o.desk.get()
    const own = Object.fromEntries(DESK_FIELDS.map((f) => [f, desk[f]])) as Pick<
      Settings,
      DeskField
    >
    return { ...server, ...own }
  }

  /** Reads what the client keeps of the server's state, and the session (its role may change). */
  private async refresh(): Promise<void> {
    const [session, settings, open, health, missed] = await Promise.all([
      this.client.call('session:get', undefined),
      this.client.call('settings:get', undefined),
      this.client.call('schedule:status', undefined),
      this.client.call('health:get', undefined),
      this.client.call('missed:list', undefined),
    ])
    this.serverSettings = settings
    this.openState = open
    this.health = health
    this.loaded = true
    this.setState({ ...this.state, as: session })
    // The tray's count follows the queue's event.
    this.emit('missed:updated', missed)
  }

  private fromServer(event: EventName, payload: unknown): void {
    switch (event) {
      case 'settings:updated':
        this.serverSettings = payload as Settings
        return this.emit('settings:updated', this.settings())
      case 'schedule:updated':
        this.openState = payload as OpenState
        break
      case 'health:changed':
        this.health = payload as Health
        break
      case 'app:reload':
        return void this.reload((payload as Events['app:reload']).reason)
    }
    this.emit(event, payload as Events[typeof event])
  }

  /** Reads the server's state again, then tells the screens to do the same. */
  private async reload(reason: string): Promise<void> {
    try {
      await this.refresh()
    } catch (err) {
      this.o.logger.warn('Reloading from the team server failed', { error: String(err) })
    }
    this.emit('app:reload', { reason })
  }

  private streamState(s: StreamState): void {
    if (s.state === 'connected') {
      const before = this.state.as
      this.setState({ ...this.state, state: 'connected', error: null })
      // Whatever happened before the first answer, or to this person's role while away (the
      // server tells open streams only), is read again.
      if (!this.loaded) void this.reload('Connected to the team server.')
      else
        void this.client.call('session:get', undefined).then(
          (session) => {
            this.setState({ ...this.state, as: session })
            if (before && session.role !== before.role)
              void this.reload(`${session.name} is now a ${session.role}.`)
          },
          () => {},
        )
      return
    }
    // Connecting again after a drop is still "unreachable" to the person looking at it.
    if (s.state === 'connecting' && this.state.state === 'unreachable') return
    this.setState({ ...this.state, state: s.state, error: s.error })
  }

  private setState(next: TeamState): void {
    const was = JSON.stringify(this.state)
    this.state = next
    if (JSON.stringify(next) !== was) this.emit('team:updated', next)
  }

  private emit<E extends EventName>(event: E, payload: Events[E]): void {
    for (const h of [...this.subscribers]) {
      try {
        h(event, payload)
      } catch (err) {
        this.o.logger.error('A subscriber of the team client failed', { event, err: String(err) })
      }
    }
  }
}
