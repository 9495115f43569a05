import type { Health, RejectedPush } from '../../../shared/domain'
import type { SliceCreator } from './types'

export const REJECTED_LIMIT = 200

export interface HealthSlice {
  health: Health | null
  /** The rejected-pushes log, newest first. */
  rejected: RejectedPush[]
  healthChanged: (health: Health) => void
  rejectedLoadedFrom: (rejected: RejectedPush[]) => void
  pushRejected: (push: RejectedPush) => void
}

export const createHealthSlice: SliceCreator<HealthSlice> = (set) => ({
  health: null,
  rejected: [],
  healthChanged: (health) => set({ health }),
  rejectedLoadedFrom: (rejected) => set({ rejected: rejected.slice(0, REJECTED_LIMIT) }),
  pushRejected: (push) =>
    set((s) => ({
      rejected: [push, ...s.rejected.filter((r) => r.id !== push.id)].slice(0, REJECTED_LIMIT),
    })),
})
