/** Dashboard aggregates (day boundaries in the configured time zone). */
import type { CallCounts } from './domain'

export type DashboardRange = 'today' | '7d' | '30d'

export interface StatusBreakdown {
  answered: number
  missed: number
  dropped: number
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
    /** Missed-call items in the range marked called back (or resolved by an answered call). */
    calledBack: number
    /** Median minutes from the last missed call to the call-back, null when none. */
    medianCallbackMinutes: number | null
  }
  /** Calls per local hour of day (0..23), by status, summed over the range. */
  perHour: ({ hour: number } & StatusBreakdown)[]
  perAgent: ({ agentNumber: string; name: string | null; talkSeconds: number } & StatusBreakdown)[]
  perDepartment: ({ department: string } & StatusBreakdown)[]
  perCircle: ({ circle: string } & StatusBreakdown)[]
  /** DROPPED calls by seconds spent in the IVR, in buckets like `0-10s`. */
  ivrDropoff: { bucket: string; dropped: number }[]
}
