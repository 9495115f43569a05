import type { CallPage, CallQuery } from '../../../shared/domain'
import type { SliceCreator } from './types'

/** Call history (issue 5: filled in by the History screen's owner). */
export interface HistorySlice {
  historyQuery: CallQuery
  historyPage: CallPage | null
  historyQueryChanged: (query: CallQuery) => void
  historyPageLoaded: (page: CallPage) => void
}

export const createHistorySlice: SliceCreator<HistorySlice> = (set) => ({
  historyQuery: {},
  historyPage: null,
  historyQueryChanged: (historyQuery) => set({ historyQuery }),
  historyPageLoaded: (historyPage) => set({ historyPage }),
})
