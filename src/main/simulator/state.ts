import { DateTime } from 'luxon'
import { WEEKDAYS, type AgentStatus, type OfficeDay, type Weekday } from '../../shared/domain'
import {
  from12Hour,
  hourMinuteOf,
  INVALID_TIME,
  officeTimeError,
  parseHourMinute,
} from '../../shared/officeTime'
import { normalizePhone } from '../../shared/phone'
import type { SimulatedAgent } from './roster'

/** The vendor's answer when a settings request was applied. */
export const SUCCESS = 'Success'

/** An agent as the simulated vendor knows it. */
export interface SimAgent extends SimulatedAgent {
  status: AgentStatus
}

/** Office hours of one weekday, 24-hour `HH:MM`, start inclusive, end exclusive. */
export interface OfficeSpan {
  start: string
  end: string
}

/** A copy of everything the simulated vendor holds (what tests and the demo inspect). */
export interface SimulatorSnapshot {
  agents: SimAgent[]
  /** Holiday dates `YYYY-MM-DD`, sorted. */
  holidays: string[]
  /** Days without an entry have no office-hours restriction (the vendor's default). */
  officeHours: Partial<Record<Weekday, OfficeSpan>>
}

/** Why the IVR would not route a call at some instant. */
export type ClosedReason = 'holiday' | 'closed'

/**
 * Parses the vendor's `HH:MI AM|PM` (two-digit hour 01-12, two-digit minute, one space, AM/PM in
 * any case) into minutes after midnight; null when malformed. `12:00 AM` is midnight and
 * `12:00 PM` noon. Strict on purpose: a sloppy client format should fail here, not at the vendor.
 */
export function parseVendorTime(text: string): number | null {
  const hhmm = from12Hour(text)
  return hhmm === null ? null : parseHourMinute(hhmm)
}

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isVendorDate(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && DateTime.fromISO(text).isValid
}

/** `Daily` or a weekday name, any case, in the document's spelling; null otherwise. */
export function parseOfficeDay(text: string): OfficeDay | null {
  const t = text.trim().toLowerCase()
  if (t === 'daily') return 'Daily'
  return WEEKDAYS.find((d) => d.toLowerCase() === t) ?? null
}

/**
 * The simulated vendor's state: the agent roster with AVAIL/OFF, the holiday set and office
 * hours per weekday. The settings endpoint changes it; the call generator reads it to route calls.
 */
export class SimulatorState {
  private readonly agents: SimAgent[]
  private readonly holidays = new Set<string>()
  private readonly office = new Map<Weekday, { start: number; end: number }>()

  constructor(roster: readonly SimulatedAgent[], initialStatus: AgentStatus = 'AVAIL') {
    this.agents = roster.map((a) => ({ ...a, status: initialStatus }))
  }

  /**
   * `ManageAgent`. The agent is looked up by normalised number, so `9876543210`, `09876543210`
   * and `+919876543210` name the same agent (the vendor knows each agent once).
   */
  setAgentStatus(agentnum: string, status: string): string {
    const wanted = normalizePhone(agentnum)
    const agent = wanted ? this.agents.find((a) => normalizePhone(a.number) === wanted) : undefined
    if (!agent) return 'Invalid Agent Number'
    const s = status.trim().toUpperCase()
    if (s !== 'AVAIL' && s !== 'OFF') return 'Invalid Status'
    agent.status = s
    return SUCCESS
  }

  /** `holiday`: adds one date (adding it again is a no-op that still answers Success). */
  addHoliday(hdate: string): string {
    const d = hdate.trim()
    if (!isVendorDate(d)) return 'Invalid Date'
    this.holidays.add(d)
    return SUCCESS
  }

  /** `OfficeTime`: `Daily` sets all seven days. Start must be before end on the same day. */
  setOfficeTime(day: string, stTime: string, enTime: string): string {
    const d = parseOfficeDay(day)
    if (!d) return 'Invalid Day'
    const start = from12Hour(stTime)
    const end = from12Hour(enTime)
    if (start === null || end === null) return INVALID_TIME
    const refusal = officeTimeError(start, end)
    if (refusal) return refusal
    const span = { start: parseHourMinute(start)!, end: parseHourMinute(end)! }
    for (const w of d === 'Daily' ? WEEKDAYS : [d]) this.office.set(w, span)
    return SUCCESS
  }

  /** Adds an agent the vendor knows (tests, or a demo that grows the roster). */
  addAgent(agent: SimulatedAgent, status: AgentStatus = 'AVAIL'): void {
    this.agents.push({ ...agent, status })
  }

  /** Why the IVR is closed at `instant` in `zone`, or null when it routes calls. */
  closedReason(instant: number, zone: string): ClosedReason | null {
    const t = DateTime.fromMillis(instant, { zone })
    if (this.holidays.has(t.toFormat('yyyy-MM-dd'))) return 'holiday'
    const span = this.office.get(WEEKDAYS[t.weekday - 1]!)
    if (!span) return null
    const minute = t.hour * 60 + t.minute
    return minute >= span.start && minute < span.end ? null : 'closed'
  }

  /** Agents currently AVAIL in `department` (exact name, any case). */
  availableAgents(department: string): SimAgent[] {
    const dep = department.toLowerCase()
    return this.agents.filter((a) => a.status === 'AVAIL' && a.department.toLowerCase() === dep)
  }

  snapshot(): SimulatorSnapshot {
    const officeHours: SimulatorSnapshot['officeHours'] = {}
    for (const [day, span] of this.office)
      officeHours[day] = { start: hourMinuteOf(span.start), end: hourMinuteOf(span.end) }
    return {
      agents: this.agents.map((a) => ({ ...a })),
      holidays: [...this.holidays].sort(),
      officeHours,
    }
  }

  /** Office hours of `day` in 24-hour form, for assertions; undefined when unrestricted. */
  officeSpan(day: Weekday): OfficeSpan | undefined {
    const s = this.office.get(day)
    return s && { start: hourMinuteOf(s.start), end: hourMinuteOf(s.end) }
  }
}
