import type { Channel, RequestOf, ResponseOf } from '../../shared/contract'
import type { Change } from '../../shared/domain'
import type { Clock } from '../ground/clock'
import type { Logger } from '../ground/logger'
import type { EventBus } from '../events/bus'
import type { VendorClient } from '../ivrApi/client'
import { Outbox, type OutboxOptions } from '../ivrApi/outbox'
import { testConnection } from '../ivrApi/connection'
import { AgentDirectory, type TodayStats } from './agents'
import { HolidayBook } from './holidays'
import { OfficeHoursBook } from './officeHours'
import { describeOpenState, isOpenAt, type OpenState, type ScheduleData } from './schedule'

export type { TodayStats } from './agents'
export type { OpenState } from './schedule'

export interface VendorModelDeps {
  dataDir: string
  client: VendorClient
  clock: Clock
  logger: Logger
  bus: EventBus
  /** The configured IANA zone (read on every use: settings can change it). */
  timezone: () => string
  /** Today's answered/missed/last call per normalised agent number (from the call store). */
  todayStats: TodayStats
  /** OS user name, the default `requestedBy` of changes. */
  user: string
  /** Test knobs for the outbox (sleep, random, submitWaitMs, backoff). */
  outbox?: Partial<Omit<OutboxOptions, 'dataDir' | 'sender' | 'bus' | 'clock' | 'logger'>>
}

type Res<C extends Channel> = Promise<ResponseOf<C>>

/** The facade the core calls: one method per contract channel, plus schedule and lifecycle. */
export interface VendorModel {
  agents: {
    list(): Res<'agents:list'>
    add(req: RequestOf<'agents:add'>): Res<'agents:add'>
    update(req: RequestOf<'agents:update'>): Res<'agents:update'>
    remove(req: RequestOf<'agents:remove'>): Res<'agents:remove'>
    import(req: RequestOf<'agents:import'>): Res<'agents:import'>
    setStatus(req: RequestOf<'agents:setStatus'>, user?: string): Res<'agents:setStatus'>
    setDepartmentStatus(
      req: RequestOf<'agents:setDepartmentStatus'>,
      user?: string,
    ): Res<'agents:setDepartmentStatus'>
  }
  holidays: {
    list(): Res<'holidays:list'>
    add(req: RequestOf<'holidays:add'>, user?: string): Res<'holidays:add'>
    remove(req: RequestOf<'holidays:remove'>): Res<'holidays:remove'>
    removeRule(req: RequestOf<'holidays:removeRule'>): Res<'holidays:removeRule'>
  }
  officeHours: {
    list(): Res<'officeHours:list'>
    set(req: RequestOf<'officeHours:set'>, user?: string): Res<'officeHours:set'>
  }
  changes: { list(): Promise<Change[]> }
  schedule: {
    /** Is the office open at `ms` (holidays included) in the configured zone? */
    isOpenAt(ms: number): boolean
    describeOpenState(ms: number): OpenState
  }
  /** `settings:testConnection`: see {@link testConnection} for what it can and cannot tell. */
  testConnection(): Res<'settings:testConnection'>
  /** Resumes sending queued changes and materialises yearly holidays. */
  start(): Promise<void>
  stop(): Promise<void>
}

/** Opens the agents / holidays / office-hours model and its outbox in `dataDir`. */
export async function createVendorModel(deps: VendorModelDeps): Promise<VendorModel> {
  const outbox = await Outbox.open({
    dataDir: deps.dataDir,
    sender: deps.client,
    bus: deps.bus,
    clock: deps.clock,
    logger: deps.logger,
    ...deps.outbox,
  })
  const agents = await AgentDirectory.open({
    dataDir: deps.dataDir,
    outbox,
    bus: deps.bus,
    logger: deps.logger,
    todayStats: deps.todayStats,
  })
  const holidays = await HolidayBook.open({
    dataDir: deps.dataDir,
    outbox,
    clock: deps.clock,
    timezone: deps.timezone,
  })
  const hours = await OfficeHoursBook.open({ dataDir: deps.dataDir, outbox })
  const scheduleData = (): ScheduleData => ({
    holidays: holidays.effectiveDates(),
    hours: hours.effective(),
  })
  let materialiseTimer: NodeJS.Timeout | null = null
  const materialise = (): void => {
    holidays.materialise(deps.user).catch((err) => {
      deps.logger.error('yearly holidays could not be materialised', { error: String(err) })
    })
  }

  return {
    agents: {
      list: () => agents.list(),
      add: (req) => agents.add(req),
      update: (req) => agents.update(req),
      remove: (req) => agents.remove(req),
      import: (req) => agents.import(req),
      setStatus: (req, user = deps.user) => agents.setStatus(req, user),
      setDepartmentStatus: (req, user = deps.user) => agents.setDepartmentStatus(req, user),
    },
    holidays: {
      list: async () => holidays.list(),
      add: (req, user = deps.user) => holidays.add(req, user),
      remove: (req) => holidays.remove(req),
      removeRule: (req) => holidays.removeRule(req),
    },
    officeHours: {
      list: async () => hours.list(),
      set: (req, user = deps.user) => hours.set(req, user),
    },
    changes: { list: async () => outbox.list() },
    schedule: {
      isOpenAt: (ms) => isOpenAt(ms, deps.timezone(), scheduleData()),
      describeOpenState: (ms) => describeOpenState(ms, deps.timezone(), scheduleData()),
    },
    testConnection: () => testConnection(deps.client),
    async start() {
      outbox.start()
      await agents.reconcile()
      materialise()
      // Yearly rules roll forward: look again every six hours (cheap when nothing is due).
      materialiseTimer = setInterval(materialise, 6 * 3600_000)
      materialiseTimer.unref()
    },
    async stop() {
      if (materialiseTimer) clearInterval(materialiseTimer)
      await outbox.stop()
    },
  }
}
