/** The History screen's filters and the `CallQuery` they become (the same for page and CSV). */
import type { CallQuery, CallStatus } from '../../../../shared/domain'

export interface HistoryFilters {
  /** Local dates in the configured zone, inclusive. */
  from: string | null
  to: string | null
  status: CallStatus | null
  /** Agent number. */
  agent: string | null
  department: string | null
  circle: string | null
  /** Number or free text. */
  text: string
}

export const EMPTY_FILTERS: HistoryFilters = {
  from: null,
  to: null,
  status: null,
  agent: null,
  department: null,
  circle: null,
  text: '',
}

/** Only the filters that are set, trimmed; no paging fields. */
export function queryFromFilters(f: HistoryFilters): CallQuery {
  const q: CallQuery = {}
  if (f.from) q.from = f.from
  if (f.to) q.to = f.to
  // A range picked backwards still means the days between.
  if (q.from && q.to && q.to < q.from) [q.from, q.to] = [q.to, q.from]
  if (f.status) q.status = f.status
  const set = (key: 'agent' | 'department' | 'circle' | 'q', value: string | null): void => {
    const v = value?.trim()
    if (v) q[key] = v
  }
  set('agent', f.agent)
  set('department', f.department)
  set('circle', f.circle)
  set('q', f.text)
  return q
}

/** Whether any filter is set (the screen offers "Clear filters" then). */
export function hasFilters(f: HistoryFilters): boolean {
  return Object.keys(queryFromFilters(f)).length > 0
}

/** The filters a query came from (the store keeps the query; the screen rebuilds its fields). */
export function filtersFromQuery(q: CallQuery): HistoryFilters {
  return {
    from: q.from ?? null,
    to: q.to ?? null,
    status: q.status ?? null,
    agent: q.agent ?? null,
    department: q.department ?? null,
    circle: q.circle ?? null,
    text: q.q ?? '',
  }
}
