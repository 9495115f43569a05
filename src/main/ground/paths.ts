import { homedir } from 'node:os'
import { join } from 'node:path'

/** Product name: also the folder Electron's `app.getPath('userData')` uses. */
export const PRODUCT_NAME = 'IVR Supervisor'

/**
 * The per-user application data folder, computed the way Electron does, so headless mode and the
 * desktop app share data by default.
 */
export function defaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  if (platform === 'win32')
    return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), PRODUCT_NAME)
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', PRODUCT_NAME)
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), PRODUCT_NAME)
}

/** The loopback admin channel's address for `npm run users` (mode 0600). */
export const ADMIN_CHANNEL_FILE = 'admin-channel.json'
/** The activity log: who changed what, through which transport. */
export const ACTIVITY_FILE = 'activity.jsonl'
/** The activity log's name among the database's logs (IVRS_DATABASE_URL). */
export const ACTIVITY_LOG = 'activity'
