/**
 * The "Missed & dropped" queue as every screen names, counts and filters it: one item per caller
 * whose MISSED or DROPPED call nobody has answered since, so the Missed tab's badge, the Live
 * header and the Dashboard count the same thing (callers waiting) under the same name. The
 * filter is shared by the screen and main's CSV export, so the export holds exactly the rows shown.
 */
import type { MissedItem } from './domain'
import { phoneMatches, phoneSearchDigits } from './phone'

/** The queue's one name. */
export const MISSED_QUEUE_NAME = 'Missed & dropped'

/** `3` → `3 callers waiting`, `1` → `1 caller waiting`. */
export function waitingText(openCount: number): string {
  return `${openCount} ${openCount === 1 ? 'caller' : 'callers'} waiting`
}

export interface MissedFilter {
  /** `open`: callers still waiting; `all`: also those settled in the last week. */
  show: 'open' | 'all'
  /** A number (any spelling, or part of one), or words found in the note, assignee or department. */
  text?: string
  /** Exact department name, any case. */
  department?: string
}

/** The items the filter keeps, longest waiting first. */
export function filterMissed(items: readonly MissedItem[], f: MissedFilter): MissedItem[] {
  const text = f.text?.trim() ?? ''
  const digits = text ? phoneSearchDigits(text) : null
  const words = text.toLowerCase()
  const dept = f.department?.trim().toLowerCase() ?? ''
  return items
    .filter((i) => f.show === 'all' || i.state === 'open')
    .filter((i) => !dept || (i.department ?? '').toLowerCase() === dept)
    .filter((i) => {
      if (!text) return true
      if (digits && phoneMatches(i.callerNumber, digits)) return true
      return [i.note, i.assignee, i.department].some((v) => v?.toLowerCase().includes(words))
    })
    .sort((a, b) =>
      a.firstMissedAt < b.firstMissedAt ? -1 : a.firstMissedAt > b.firstMissedAt ? 1 : 0,
    )
}
