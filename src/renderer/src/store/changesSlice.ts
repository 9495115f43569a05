import type { Change } from '../../../shared/domain'
import type { SliceCreator } from './types'

export const CHANGES_LIMIT = 200

export interface ChangesSlice {
  /** The outbox and its history, newest first. */
  changes: Change[]
  changesLoadedFrom: (changes: Change[]) => void
  changeUpdated: (change: Change) => void
}

export const createChangesSlice: SliceCreator<ChangesSlice> = (set) => ({
  changes: [],
  changesLoadedFrom: (changes) => set({ changes: changes.slice(0, CHANGES_LIMIT) }),
  changeUpdated: (change) =>
    set((s) => ({
      changes: [change, ...s.changes.filter((c) => c.id !== change.id)].slice(0, CHANGES_LIMIT),
    })),
})
