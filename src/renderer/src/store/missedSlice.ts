import type { MissedItem } from '../../../shared/domain'
import type { SliceCreator } from './types'

export interface MissedSlice {
  missed: MissedItem[]
  missedOpenCount: number
  missedLoaded: boolean
  /** The service sent the queue (first load, or `missed:updated`). */
  missedQueueChanged: (queue: { items: MissedItem[]; openCount: number }) => void
  /** The supervisor's mark was stored. */
  missedItemMarked: (item: MissedItem) => void
}

export const createMissedSlice: SliceCreator<MissedSlice> = (set) => ({
  missed: [],
  missedOpenCount: 0,
  missedLoaded: false,
  missedQueueChanged: ({ items, openCount }) =>
    set({ missed: items, missedOpenCount: openCount, missedLoaded: true }),
  missedItemMarked: (item) =>
    set((s) => {
      const missed = s.missed.some((m) => m.callerNumber === item.callerNumber)
        ? s.missed.map((m) => (m.callerNumber === item.callerNumber ? item : m))
        : [item, ...s.missed]
      return { missed, missedOpenCount: missed.filter((m) => m.state === 'open').length }
    }),
})
