import { stringify } from 'csv-stringify/sync'
import type { MissedExportResult } from '../../shared/contract'
import type { MissedItem } from '../../shared/domain'
import { filterMissed, type MissedFilter } from '../../shared/missedQueue'
import { localToday } from '../../shared/localTime'
import { safeCell, zonedInstant } from '../insight/callsCsv'

export const MISSED_CSV_COLUMNS = [
  'callerNumber',
  'calls',
  'firstMissedAt',
  'lastMissedAt',
  'department',
  'state',
  'settledAt',
  'settledBy',
  'assignee',
  'note',
] as const

/**
 * The queue's items kept by the screen's filter (the same rule, `shared/missedQueue.ts`), as CSV:
 * times in `zone` with their offset, `settledBy` in words (`supervisor`, or `answered call <id>`).
 */
export function missedCsv(
  items: readonly MissedItem[],
  filter: MissedFilter,
  zone: string,
  now: number,
): MissedExportResult {
  const rows = filterMissed(items, filter).map((i) =>
    [
      i.callerNumber,
      i.count,
      zonedInstant(i.firstMissedAt, zone),
      zonedInstant(i.lastMissedAt, zone),
      i.department,
      i.state,
      zonedInstant(i.settledAt, zone),
      i.settledBy === null
        ? ''
        : i.settledBy === 'user'
          ? 'supervisor'
          : `answered call ${i.settledBy}`,
      i.assignee,
      i.note,
    ].map(safeCell),
  )
  const csv = stringify([[...MISSED_CSV_COLUMNS], ...rows])
  return { fileName: `missed-and-dropped-${localToday(now, zone)}.csv`, csv, rows: rows.length }
}
