import type { MissedItem } from '../../../shared/domain'
import type { SliceCreator } from './types'

export interface MissedSlice {
  missed: MissedItem[]
  missedOpenCount: number
  missedLoaded: boolean
  /** The service sent the queue (first load, or `missed:updated`). */
  missedQueueChanged: (queue: { items: MissedItem[]; openCount: number }) => void
}

export const createMissedSlice: SliceCreator<MissedSlice> = (set) => ({
  missed: [],
  missedOpenCount: 0,
  missedLoaded: false,
  missedQueueChanged: ({ items, openCount }) =>
    set({ missed: items, missedOpenCount: openCount, missedLoaded: true }),
})
