import type { Dashboard, DashboardRange, PeriodFigures } from '../../../src/shared/dashboard'
import {
  agentTarget,
  type Agent,
  type Call,
  type Change,
  type MissedItem,
  type Settings,
} from '../../../src/shared/domain'
import { SETTINGS_DEFAULTS } from '../../../src/shared/settingsDefaults'

/** The settings as main sends them, with the defaults a fresh data folder has. */
export const settings = (over: Partial<Settings> = {}): Settings => ({
  ...SETTINGS_DEFAULTS,
  timezone: 'Asia/Kolkata',
  apiKeySet: false,
  secretStorage: 'plain-text',
  simulator: true,
  ...over,
})

export function call(id: string, over: Partial<Call> = {}): Call {
  const at = over.firstReceivedAt ?? '2026-01-05T10:00:00.000Z'
  return {
    id,
    callerNumber: '+919876543210',
    agentNumber: '+919800000001',
    status: 'ANSWER',
    date: '2026-01-05',
    time: '15:30:00',
    startedAt: '2026-01-05T15:30:00+05:30',
    ivrSeconds: 12,
    talkSeconds: 75,
    circle: 'Karnataka',
    virtualNumber: null,
    department: 'Sales',
    recordingUrl: null,
    callType: null,
    receivedAt: at,
    firstReceivedAt: at,
    revision: 1,
    raw: {},
    history: [],
    ...over,
  }
}

export function agent(number: string, name: string, over: Partial<Agent> = {}): Agent {
  return {
    number,
    normalizedNumber: `+91${number}`,
    name,
    department: 'Sales',
    status: 'AVAIL',
    statusConfirmedAt: null,
    statusChangedBy: null,
    change: null,
    today: { answered: 0, talkSeconds: 0, lastCallAt: null },
    ...over,
  }
}

/**
 * A pending change of an agent's status, for the agent registered as `number` (10 digits): its
 * target names the agent as main does, by the normalised number, not by the digits sent.
 */
export function change(id: string, number: string, over: Partial<Change> = {}): Change {
  return {
    id,
    kind: 'agent-status',
    target: agentTarget(`+91${number}`),
    params: { action: 'ManageAgent', agentnum: number, status: 'OFF' },
    summary: `Agent ${number} → OFF`,
    requestedAt: '2026-01-05T10:00:00.000Z',
    requestedBy: 'sup',
    state: 'pending',
    attempts: [],
    vendorAnswer: null,
    settledAt: null,
    nextAttemptAt: null,
    ...over,
  }
}

export function missed(callerNumber: string, over: Partial<MissedItem> = {}): MissedItem {
  return {
    callerNumber,
    callIds: ['c1'],
    count: 1,
    firstMissedAt: '2026-01-05T10:00:00.000Z',
    lastMissedAt: '2026-01-05T10:00:00.000Z',
    state: 'open',
    note: null,
    settledAt: null,
    settledBy: null,
    department: null,
    assignee: null,
    ...over,
  }
}

/** A period's figures with `total` calls, all answered within the target, and `over` on top. */
export function periodFigures(total: number, over: Partial<PeriodFigures> = {}): PeriodFigures {
  const rate = total ? 1 : null
  const level = { seconds: 20, answeredWithin: total, total, rate }
  return {
    from: '2026-01-01',
    to: '2026-01-01',
    until: null,
    totals: {
      total,
      answered: total,
      missed: 0,
      dropped: 0,
      answerRate: rate,
      avgIvrSeconds: null,
      avgTalkSeconds: null,
      calledBackByUs: 0,
      rangAgainAnswered: 0,
      medianCallbackMinutes: null,
    },
    inHours: { total, answered: total, missed: 0, dropped: 0, answerRate: rate },
    afterHours: { total: 0, answered: 0, missed: 0, dropped: 0, answerRate: null },
    serviceLevel: level,
    serviceLevelInHours: level,
    ...over,
  }
}

/** A dashboard of `range` whose figures are {@link periodFigures} (`now`), beside `before`. */
export function dashboardOf(
  range: DashboardRange,
  now: PeriodFigures,
  before: PeriodFigures = periodFigures(0),
): Dashboard {
  return {
    range,
    timezone: 'Asia/Kolkata',
    ...now,
    previous: before,
    perHour: [],
    perAgent: [],
    perDepartment: [],
    perCircle: [],
    ivrDropoff: [],
  }
}
