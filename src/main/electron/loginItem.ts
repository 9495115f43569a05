import { mkdir, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { App } from 'electron'
import { DESKTOP_FILE, LINUX_EXECUTABLE, PRODUCT_NAME } from '../ground/paths'
import type { Logger } from '../ground/logger'

/** The switch a login start carries on Windows and Linux: start in the tray, no window. */
export const HIDDEN_SWITCH = '--hidden'

/** Where Linux desktops look for programs to start at login (XDG Autostart). */
export function autostartFile(env: NodeJS.ProcessEnv, home: string): string {
  return join(env['XDG_CONFIG_HOME'] || join(home, '.config'), 'autostart', DESKTOP_FILE)
}

/**
 * One argument of a desktop entry's `Exec` key: quoted when it holds anything but plain
 * characters, with `"`, `` ` ``, `$` and `\` escaped inside the quotes, then `\` escaped again
 * and `%` doubled, as the Desktop Entry Specification's two escaping rules ask.
 */
export function execArgument(arg: string): string {
  const quoted = /^[A-Za-z0-9_./:=,+@-]+$/.test(arg)
    ? arg
    : `"${arg.replace(/(["`$\\])/g, '\\$1')}"`
  return quoted.replace(/\\/g, '\\\\').replace(/%/g, '%%')
}

/** The autostart entry that starts `program` hidden in the tray. */
export function autostartEntry(program: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    `Name=${PRODUCT_NAME}`,
    `Comment=Starts ${PRODUCT_NAME} in the tray at login (Settings: Start at login)`,
    `Exec=${execArgument(program)} ${HIDDEN_SWITCH}`,
    `Icon=${LINUX_EXECUTABLE}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n')
}

export interface LoginItemDeps {
  platform: NodeJS.Platform
  /** Only the installed app registers itself; in development it would register bare Electron. */
  isPackaged: boolean
  /** `app.setLoginItemSettings`, documented for macOS and Windows only. */
  app: Pick<App, 'setLoginItemSettings'>
  /** `process.execPath`; inside an AppImage, `$APPIMAGE` is the file to start instead. */
  execPath: string
  env: NodeJS.ProcessEnv
  home: string
  logger: Logger
  writeFile?: (path: string, text: string) => Promise<void>
  remove?: (path: string) => Promise<void>
}

/**
 * Applies Settings → "Start at login": macOS and Windows through `setLoginItemSettings` (Windows
 * with {@link HIDDEN_SWITCH}; macOS says `wasOpenedAtLogin` itself), Linux through an XDG
 * autostart entry, which is what Linux desktops read (`setLoginItemSettings` does nothing there).
 */
export async function applyLoginItem(deps: LoginItemDeps, openAtLogin: boolean): Promise<void> {
  if (!deps.isPackaged) return
  if (deps.platform === 'darwin') return deps.app.setLoginItemSettings({ openAtLogin })
  if (deps.platform === 'win32')
    return deps.app.setLoginItemSettings({ openAtLogin, args: [HIDDEN_SWITCH] })
  const file = autostartFile(deps.env, deps.home)
  try {
    if (openAtLogin) {
      const program = deps.env['APPIMAGE'] || deps.execPath
      const write =
        deps.writeFile ??
        (async (path: string, text: string) => {
          await mkdir(dirname(path), { recursive: true })
          await writeFile(path, text, { mode: 0o644 })
        })
      await write(file, autostartEntry(program))
    } else {
      await (deps.remove ?? ((path: string) => rm(path, { force: true })))(file)
    }
  } catch (err) {
    deps.logger.warn('Could not change the autostart entry', { file, error: String(err) })
  }
}

/**
 * Whether this start came from the login: then the app starts in the tray, without a window.
 * macOS tells (`getLoginItemSettings().wasOpenedAtLogin`); elsewhere the entry passed
 * {@link HIDDEN_SWITCH}.
 */
export function startedAtLogin(p: {
  platform: NodeJS.Platform
  argv: readonly string[]
  /** `() => app.getLoginItemSettings().wasOpenedAtLogin`, macOS. */
  wasOpenedAtLogin: () => boolean
}): boolean {
  if (p.platform === 'darwin') return p.wasOpenedAtLogin()
  return p.argv.includes(HIDDEN_SWITCH)
}
