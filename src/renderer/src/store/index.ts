import { useStore } from 'zustand'
import { createStore, type StoreApi } from 'zustand/vanilla'
import { createAgentsSlice } from './agentsSlice'
import { createCallsSlice } from './callsSlice'
import { createChangesSlice } from './changesSlice'
import { createDashboardSlice } from './dashboardSlice'
import { createHealthSlice } from './healthSlice'
import { createHistorySlice } from './historySlice'
import { createMissedSlice } from './missedSlice'
import { createScheduleSlice } from './scheduleSlice'
import { createSettingsSlice } from './settingsSlice'
import { createTeamSlice } from './teamSlice'
import type { AppState } from './types'
import { createUiSlice } from './uiSlice'

export type { AppState } from './types'

/** Builds a fresh store (the app makes one; tests make their own). */
export function createAppStore(): StoreApi<AppState> {
  return createStore<AppState>()((...a) => ({
    ...createCallsSlice(...a),
    ...createMissedSlice(...a),
    ...createAgentsSlice(...a),
    ...createChangesSlice(...a),
    ...createHealthSlice(...a),
    ...createSettingsSlice(...a),
    ...createUiSlice(...a),
    ...createHistorySlice(...a),
    ...createDashboardSlice(...a),
    ...createScheduleSlice(...a),
    ...createTeamSlice(...a),
  }))
}

/** The app's store. */
export const appStore = createAppStore()

/** Back to the initial state (tests). */
export function resetAppStore(store: StoreApi<AppState> = appStore): void {
  store.setState(store.getInitialState(), true)
}

/** Reads one atomic piece of state; use `useShallow` when a component needs several. */
export function useApp<T>(selector: (state: AppState) => T): T {
  return useStore(appStore, selector)
}
