import type { StateCreator } from 'zustand'
import type { AgentsSlice } from './agentsSlice'
import type { CallsSlice } from './callsSlice'
import type { ChangesSlice } from './changesSlice'
import type { DashboardSlice } from './dashboardSlice'
import type { HealthSlice } from './healthSlice'
import type { HistorySlice } from './historySlice'
import type { MissedSlice } from './missedSlice'
import type { ScheduleSlice } from './scheduleSlice'
import type { SettingsSlice } from './settingsSlice'
import type { TeamSlice } from './teamSlice'
import type { UiSlice } from './uiSlice'

/** The whole renderer state: one store made of one slice per domain. */
export type AppState = CallsSlice &
  MissedSlice &
  AgentsSlice &
  ChangesSlice &
  HealthSlice &
  SettingsSlice &
  UiSlice &
  HistorySlice &
  DashboardSlice &
  ScheduleSlice &
  TeamSlice

/** How each slice is declared: it sees (and may read) the whole state. */
export type SliceCreator<S> = StateCreator<AppState, [], [], S>
