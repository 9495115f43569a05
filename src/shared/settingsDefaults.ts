import { DEFAULT_SERVICE_LEVEL_SECONDS } from './dashboard'
import type { Settings } from './domain'

/**
 * What the user sets in the app: the settings but those known only at run time (whether a key is
 * stored, how secrets are kept, whether the simulator stands in). A null zone: the environment's,
 * or the default.
 */
export type UserSettings = Omit<
  Settings,
  'apiKeySet' | 'secretStorage' | 'simulator' | 'timezone'
> & {
  timezone: string | null
}

/** The settings of a fresh data folder. */
export const SETTINGS_DEFAULTS: Readonly<UserSettings> = {
  vendorUrl: null,
  custId: null,
  timezone: null,
  publicUrl: null,
  notify: 'missed',
  quietOutsideOfficeHours: false,
  alertsPaused: false,
  alertSound: false,
  startAtLogin: false,
  backupDaily: true,
  backupKeepDays: 7,
  backupDir: null,
  serviceLevelSeconds: DEFAULT_SERVICE_LEVEL_SECONDS,
}
