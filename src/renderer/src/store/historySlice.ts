import type { Call, CallPage, CallQuery } from '../../../shared/domain'
import type { SliceCreator } from './types'

/**
 * Most rows the History screen keeps in memory. The history itself stays in main: beyond this
 * the screen asks for narrower filters (the CSV export still holds every filtered row).
 */
export const HISTORY_MAX_ROWS = 20_000

/**
 * Call history: the filters on screen and the pages loaded so far for them. Pages carry the
 * query they answer; one that arrives after the filters changed is dropped (compared by
 * identity: every filter change sets a new query object).
 */
export interface HistorySlice {
  /** Filters only: no `limit` or `cursor` (the loader adds those). */
  historyQuery: CallQuery
  historyCalls: Call[]
  /** Rows matching the filters, per the last page; null before the first page. */
  historyTotal: number | null
  historyNextCursor: string | null
  /** Months of the filters whose damaged file lost calls (from the last page), when any. */
  historyUnreadable: NonNullable<CallPage['unreadable']>
  historyLoading: boolean
  historyError: string | null
  historyQueryChanged: (query: CallQuery) => void
  historyMoreRequested: () => void
  historyPageLoaded: (query: CallQuery, page: CallPage, append: boolean) => void
  historyPageFailed: (query: CallQuery, message: string) => void
}

export const createHistorySlice: SliceCreator<HistorySlice> = (set, get) => ({
  historyQuery: {},
  historyCalls: [],
  historyTotal: null,
  historyNextCursor: null,
  historyUnreadable: [],
  historyLoading: false,
  historyError: null,
  historyQueryChanged: (query) =>
    set({
      historyQuery: query,
      historyCalls: [],
      historyTotal: null,
      historyNextCursor: null,
      historyLoading: true,
      historyError: null,
    }),
  historyMoreRequested: () => set({ historyLoading: true, historyError: null }),
  historyPageLoaded: (query, page, append) => {
    if (get().historyQuery !== query) return
    let calls = page.calls
    if (append) {
      // A call stored between two pages may shift them: never show the same row twice.
      const seen = new Set(get().historyCalls.map((c) => c.id))
      calls = [...get().historyCalls, ...page.calls.filter((c) => !seen.has(c.id))]
    }
    set({
      historyCalls: calls.slice(0, HISTORY_MAX_ROWS),
      historyTotal: page.total,
      historyNextCursor: page.nextCursor,
      historyUnreadable: page.unreadable ?? [],
      historyLoading: false,
      historyError: null,
    })
  },
  historyPageFailed: (query, message) => {
    if (get().historyQuery !== query) return
    set({ historyLoading: false, historyError: message })
  },
})
