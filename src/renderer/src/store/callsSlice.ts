import type { Call } from '../../../shared/domain'
import type { SliceCreator } from './types'

/** The live feed keeps this many calls in memory; older ones are in History. */
export const FEED_LIMIT = 500

export interface CallsSlice {
  /** Newest first (by first receipt), at most FEED_LIMIT. */
  feed: Call[]
  feedLoaded: boolean
  /** The first page arrived from the service. */
  feedLoadedFrom: (calls: Call[]) => void
  /** A push was stored (new call, or a new revision of one already in the feed). */
  callReceived: (call: Call, outcome: 'created' | 'updated') => void
}

function newestFirst(a: Call, b: Call): number {
  return a.firstReceivedAt < b.firstReceivedAt ? 1 : a.firstReceivedAt > b.firstReceivedAt ? -1 : 0
}

export const createCallsSlice: SliceCreator<CallsSlice> = (set) => ({
  feed: [],
  feedLoaded: false,
  feedLoadedFrom: (calls) =>
    set((s) => {
      // Keep pushes that raced ahead of the first page.
      const byId = new Map(calls.map((c) => [c.id, c]))
      for (const c of s.feed) byId.set(c.id, c)
      const feed = [...byId.values()].sort(newestFirst).slice(0, FEED_LIMIT)
      return { feed, feedLoaded: true }
    }),
  callReceived: (call) =>
    set((s) => {
      const i = s.feed.findIndex((c) => c.id === call.id)
      if (i >= 0) {
        const feed = s.feed.slice()
        feed[i] = call
        return { feed }
      }
      return { feed: [call, ...s.feed].slice(0, FEED_LIMIT) }
    }),
})
