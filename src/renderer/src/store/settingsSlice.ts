import type { Settings } from '../../../shared/domain'
import type { SliceCreator } from './types'

export interface SettingsSlice {
  settings: Settings | null
  settingsChanged: (settings: Settings) => void
}

export const createSettingsSlice: SliceCreator<SettingsSlice> = (set) => ({
  settings: null,
  settingsChanged: (settings) => set({ settings }),
})
