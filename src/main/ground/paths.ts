import { homedir } from 'node:os'
import { join } from 'node:path'

/** Product name: also the folder Electron's `app.getPath('userData')` uses. */
export const PRODUCT_NAME = 'IVR Supervisor'

/**
 * The app's one identity on every platform: electron-builder's `appId` (the macOS bundle id, the
 * AppUserModelID of the Windows installer's shortcut, which toasts are attributed to), and on
 * Linux the `.desktop` file's name, the Wayland `app_id` and X11 `WM_CLASS` (`desktopName`).
 */
export const APP_ID = 'com.ivrsupervisor.IVRSupervisor'
/** The Linux `.desktop` file the packages install, named after {@link APP_ID}. */
export const DESKTOP_FILE = `${APP_ID}.desktop`
/** The executable's file name on Linux (`/opt/IVR Supervisor/ivr-supervisor`). */
export const LINUX_EXECUTABLE = 'ivr-supervisor'

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
/** The vendor audit trail's name among the logs, and its file in the data folder. */
export const VENDOR_AUDIT_LOG = 'vendor-audit'
export const VENDOR_AUDIT_FILE = 'vendor/vendor-audit.jsonl'
/** The missed-call queue's archive (settled items beyond the document's history). */
export const MISSED_ARCHIVE_LOG = 'missed-archive'
export const MISSED_ARCHIVE_FILE = 'missed/missed-archive.jsonl'
