import type { OpenState, TestResult } from '../../shared/contract'
import type { Change } from '../../shared/domain'
import type { Clock } from '../ground/clock'
import type { Logger } from '../ground/logger'
import type { EventBus } from '../events/bus'
import type { VendorClient } from '../ivrApi/client'
import { Outbox, type OutboxOptions } from '../ivrApi/outbox'
import type { AuditEntry } from '../ivrApi/audit'
import type { AppendLog } from '../storage/logs'
import type { DocumentSource } from '../storage/documents'
import type { ExclusiveRole } from '../storage/types'
import { testConnection } from '../ivrApi/connection'
import { AgentDirectory, type TodayStats } from './agents'
import { HolidayBook } from './holidays'
import { OfficeHoursBook } from './officeHours'
import { describeOpenState, isOpenAt, type ScheduleData } from './schedule'
import { ScheduleHistory, type ClosedAt } from './scheduleHistory'
import { AgentAvailability, type AvailableAt } from './agentAvailability'

export type { TodayStats } from './agents'

export interface VendorModelDeps {
  /** Where the model's documents are kept. */
  documents: DocumentSource
  /** Where the outbox's audit trail goes. */
  audit: AppendLog<AuditEntry>
  /** Held by the one instance that sends changes (default: this process alone). */
  senderRole?: ExclusiveRole
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
  outbox?: Partial<
    Omit<OutboxOptions, 'documents' | 'audit' | 'sender' | 'bus' | 'clock' | 'logger'>
  >
}

/**
 * The facade the core calls: the agent directory, the holiday and office-hours books (their
 * methods, typed once, are what the handlers call), the outbox's history, the schedule they make,
 * and the lifecycle.
 */
export interface VendorModel {
  agents: AgentDirectory
  /**
   * A judge of each agent's confirmed status over time (see {@link AgentAvailability}): was the
   * agent available at an instant? Build one per question.
   */
  availableAt(): AvailableAt
  holidays: HolidayBook
  officeHours: OfficeHoursBook
  changes: { list(): Change[] }
  schedule: {
    /** Is the office open at `ms` (holidays included) in the configured zone? */
    isOpenAt(ms: number): boolean
    describeOpenState(ms: number): OpenState
    /**
     * A judge of instants by the schedule in force at each (see {@link ScheduleHistory}): closed,
     * open, or null when nothing was set then. Build one per question.
     */
    closedAt(): ClosedAt
  }
  /** `settings:testConnection`: see {@link testConnection} for what it can and cannot tell. */
  testConnection(): Promise<TestResult>
  /** Resumes sending queued changes and materialises yearly holidays. */
  start(): Promise<void>
  stop(): Promise<void>
}

/** Opens the agents / holidays / office-hours model and its outbox on `deps.documents`. */
export async function createVendorModel(deps: VendorModelDeps): Promise<VendorModel> {
  const outbox = await Outbox.open({
    documents: deps.documents,
    audit: deps.audit,
    senderRole: deps.senderRole,
    sender: deps.client,
    bus: deps.bus,
    clock: deps.clock,
    logger: deps.logger,
    ...deps.outbox,
  })
  const agents = await AgentDirectory.open({
    documents: deps.documents,
    outbox,
    bus: deps.bus,
    logger: deps.logger,
    todayStats: deps.todayStats,
    user: deps.user,
  })
  const holidays = await HolidayBook.open({
    documents: deps.documents,
    outbox,
    clock: deps.clock,
    bus: deps.bus,
    timezone: deps.timezone,
    user: deps.user,
  })
  const hours = await OfficeHoursBook.open({
    documents: deps.documents,
    outbox,
    bus: deps.bus,
    user: deps.user,
  })
  const scheduleData = (): ScheduleData => ({
    holidays: holidays.effectiveDates(),
    hours: hours.effective(),
  })
  const history = await ScheduleHistory.open({
    documents: deps.documents,
    clock: deps.clock,
    logger: deps.logger,
  })
  const recordSchedule = (): void => void history.record(scheduleData(), deps.timezone())
  // Every confirmed status of an agent is kept with its time, for "missed while available".
  const availability = await AgentAvailability.open({
    documents: deps.documents,
    clock: deps.clock,
    logger: deps.logger,
  })
  deps.bus.on('agent:updated', (a) => void availability.record(a))
  // "Open now?" is decided here only: everyone else gets it as `schedule:updated`, sent when the
  // hours or holidays change and when the clock passes an opening or closing (looked at each
  // minute; sent only when the answer changed).
  let lastOpenState = ''
  const publishOpenState = (): void => {
    const state = describeOpenState(deps.clock.now(), deps.timezone(), scheduleData())
    const key = JSON.stringify(state)
    if (key === lastOpenState) return
    lastOpenState = key
    deps.bus.emit('schedule:updated', state)
  }
  deps.bus.on('holidays:updated', publishOpenState)
  deps.bus.on('officeHours:updated', publishOpenState)
  // Every change of the schedule is kept with its time, so calls are judged by the one in force.
  deps.bus.on('holidays:updated', recordSchedule)
  deps.bus.on('officeHours:updated', recordSchedule)
  let openStateTimer: NodeJS.Timeout | null = null
  let materialiseTimer: NodeJS.Timeout | null = null
  const materialise = (): void => {
    holidays.materialise().catch((err) => {
      deps.logger.error('yearly holidays could not be materialised', { error: String(err) })
    })
  }

  return {
    agents,
    availableAt: () => availability.availableAt(),
    holidays,
    officeHours: hours,
    changes: { list: () => outbox.list() },
    schedule: {
      isOpenAt: (ms) => isOpenAt(ms, deps.timezone(), scheduleData()),
      describeOpenState: (ms) => describeOpenState(ms, deps.timezone(), scheduleData()),
      closedAt: () => history.closedAt(deps.timezone()),
    },
    testConnection: () => testConnection(deps.client),
    async start() {
      outbox.start()
      await agents.reconcile()
      // The history starts with each agent's last confirmed status, from when it was confirmed.
      for (const a of agents.directory()) void availability.record(a)
      recordSchedule()
      materialise()
      // Yearly rules roll forward: look again every six hours (cheap when nothing is due).
      materialiseTimer = setInterval(materialise, 6 * 3600_000)
      materialiseTimer.unref()
      publishOpenState()
      openStateTimer = setInterval(publishOpenState, 60_000)
      openStateTimer.unref()
    },
    async stop() {
      if (materialiseTimer) clearInterval(materialiseTimer)
      if (openStateTimer) clearInterval(openStateTimer)
      agents.stop()
      await outbox.stop()
      await history.flushed()
      await availability.flushed()
    },
  }
}
