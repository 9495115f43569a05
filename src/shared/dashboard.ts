/** Dashboard aggregates (day boundaries in the configured time zone). */
import type { CallCounts } from './domain'

export type DashboardRange = 'today' | '7d' | '30d'

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

export interface Dashboard {
  range: DashboardRange
  /** First and last local date covered, inclusive. */
  from: string
  to: string
  timezone: string
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
  /** Calls per local hour of day (0..23), by status, summed over the range. */
  perHour: ({ hour: number } & StatusBreakdown)[]
  perAgent: ({ agentNumber: string; name: string | null; talkSeconds: number } & StatusBreakdown)[]
  perDepartment: ({ department: string } & StatusBreakdown)[]
  perCircle: ({ circle: string } & StatusBreakdown)[]
  /** DROPPED calls by seconds spent in the IVR, in buckets like `0-10s`. */
  ivrDropoff: { bucket: string; dropped: number }[]
}
