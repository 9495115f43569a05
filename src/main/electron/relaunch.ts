import type { App, RelaunchOptions } from 'electron'
import { HIDDEN_SWITCH } from './loginItem'

/**
 * How to start this app again (team connect/disconnect restarts it). Inside an AppImage,
 * `process.execPath` lies in the AppImage's temporary mount, which is gone once this process
 * exits, so a plain `app.relaunch()` starts nothing and the app never comes back
 * (electron-builder#1727, #4650): the AppImage file itself (`$APPIMAGE`) is started instead.
 * The new instance shows its window: the user asked for the restart from it.
 */
export function relaunchOptions(p: {
  platform: NodeJS.Platform
  isPackaged: boolean
  env: NodeJS.ProcessEnv
  argv: readonly string[]
}): RelaunchOptions {
  const args = p.argv.slice(1).filter((a) => a !== HIDDEN_SWITCH)
  const appImage = p.env['APPIMAGE']
  // Only the packaged app: a development run started from inside some other AppImage inherits
  // its variable.
  if (p.platform === 'linux' && p.isPackaged && appImage) return { execPath: appImage, args }
  return { args }
}

/** Relaunches and quits (through `before-quit`, so the core stops in order first). */
export function restartApp(
  app: Pick<App, 'relaunch' | 'quit'>,
  p: Parameters<typeof relaunchOptions>[0],
): void {
  app.relaunch(relaunchOptions(p))
  app.quit()
}
