/** Dashboard aggregates (day boundaries in the configured time zone). */
import type { CallCounts } from './domain'
import type { PeriodPreset } from './periods'

/** A preset period, or `custom`: the `from`..`to` of the request. */
export type DashboardRange = PeriodPreset | 'custom'

export interface StatusBreakdown {
  answered: number
  missed: number
  dropped: number
}

/** Calls of one part of the day (in or after office hours) and their answer rate. */
export interface HoursSplit extends CallCounts {
  /** answered / total, 0..1, null when there were no calls. */
  answerRate: number | null
}

/** The team's service-level target until an admin sets one: the usual 20 seconds. */
export const DEFAULT_SERVICE_LEVEL_SECONDS = 20

/**
 * Service level: the share of calls answered within `seconds` of waiting in the IVR (the team's
 * target, a setting). A call whose wait the vendor did not report is not counted as within.
 */
export interface ServiceLevel {
  seconds: number
  /** ANSWER calls with an IVR wait of at most `seconds`. */
  answeredWithin: number
  /** Every call of the period (answered, missed and dropped). */
  total: number
  /** answeredWithin / total, 0..1, null when there were no calls. */
  rate: number | null
}

/** The headline figures of one period: the chosen one, or the one before it. */
export interface PeriodFigures {
  /** First and last local date covered, inclusive. */
  from: string
  to: string
  /**
   * ISO instant the period is counted up to, when it ends before the end of `to`: a period that
   * runs until now, and the one before it, cut at the same time of day. Null: whole days.
   */
  until: string | null
  totals: CallCounts & {
    /** answered / total, 0..1, null when there were no calls. */
    answerRate: number | null
    avgIvrSeconds: number | null
    avgTalkSeconds: number | null
    /** Missed/dropped callers of the range the staff marked "called back". */
    calledBackByUs: number
    /** Missed/dropped callers of the range who rang again and were answered (no mark needed). */
    rangAgainAnswered: number
    /** Median minutes from the last missed call to our call-back (marked ones only); null when none. */
    medianCallbackMinutes: number | null
  }
  /**
   * The calls split by the office hours in force when each arrived: `afterHours` while the
   * schedule said closed (holidays included), `inHours` otherwise (also when nothing was set).
   */
  inHours: HoursSplit
  afterHours: HoursSplit
  serviceLevel: ServiceLevel
  /** The same over the calls in office hours. */
  serviceLevelInHours: ServiceLevel
}

/** One agent's figures over the period. */
export interface AgentFigures extends StatusBreakdown {
  agentNumber: string
  name: string | null
  /** Talk time of the agent's calls (seconds). */
  talkSeconds: number
  /**
   * Talk time per answered call (seconds), null when none: the vendor reports no hold or
   * after-call work, so handling time here is the conversation.
   */
  avgHandlingSeconds: number | null
  /**
   * MISSED calls that named this agent, plus MISSED calls of the agent's department that named
   * no agent and arrived in office hours while the agent was Available by the confirmed status
   * then (the vendor puts a call through to an available agent of the department).
   */
  missedWhileAvailable: number
  /** ISO instant the agent's newest call of the period started; null when none. */
  lastCallAt: string | null
}

export interface Dashboard extends PeriodFigures {
  range: DashboardRange
  timezone: string
  /** The same number of days right before, cut at the same time of day when this runs until now. */
  previous: PeriodFigures
  /** Calls per local hour of day (0..23), by status, summed over the range. */
  perHour: ({ hour: number } & StatusBreakdown)[]
  /** Agents with calls in the period or missed calls while available, most calls first. */
  perAgent: AgentFigures[]
  perDepartment: ({ department: string } & StatusBreakdown)[]
  perCircle: ({ circle: string } & StatusBreakdown)[]
  /** DROPPED calls by seconds spent in the IVR, in buckets like `0-10s`. */
  ivrDropoff: { bucket: string; dropped: number }[]
}
