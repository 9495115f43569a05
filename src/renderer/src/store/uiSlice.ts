import { MISSED_QUEUE_NAME } from '../../../shared/missedQueue'
import type { StreamState } from '../api/http'
import type { SliceCreator } from './types'

/** Every screen, in tab order; the id is also the hash route (`#/live`). */
export const SCREENS = [
  { id: 'live', label: 'Live' },
  { id: 'missed', label: MISSED_QUEUE_NAME },
  { id: 'agents', label: 'Agents' },
  { id: 'connection', label: 'Connection' },
  { id: 'settings', label: 'Settings' },
  { id: 'history', label: 'History' },
  { id: 'dashboard', label: 'Dashboard' },
  { id: 'holidays', label: 'Holidays' },
  { id: 'office-hours', label: 'Office hours' },
] as const
export type ScreenId = (typeof SCREENS)[number]['id']

export function isScreenId(value: string): value is ScreenId {
  return SCREENS.some((s) => s.id === value)
}

export interface UiSlice {
  screen: ScreenId
  /** A call the user asked to see (a notification was clicked). */
  openCallId: string | null
  /** The browser-mode event stream; `open` in the desktop app. */
  stream: StreamState
  /** Why the first load failed, if it did. */
  loadError: string | null
  navigated: (screen: ScreenId) => void
  callOpenRequested: (id: string | null) => void
  streamStateChanged: (state: StreamState) => void
  loadFailed: (message: string | null) => void
}

export const createUiSlice: SliceCreator<UiSlice> = (set) => ({
  screen: 'live',
  openCallId: null,
  stream: 'connecting',
  loadError: null,
  navigated: (screen) => set({ screen }),
  callOpenRequested: (id) => set({ openCallId: id }),
  streamStateChanged: (stream) => set({ stream }),
  loadFailed: (loadError) => set({ loadError }),
})
