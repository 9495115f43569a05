import type { BrowserWindow } from 'electron'
import type { Logger } from '../ground/logger'
import type { TrayController } from './tray'

export interface AlertFallbackDeps {
  /** The main window, while it exists. */
  window: () => Pick<BrowserWindow, 'isDestroyed' | 'isFocused' | 'flashFrame'> | null
  /** The tray, once it exists. */
  tray: () => Pick<TrayController, 'attention'> | null
  logger: Logger
}

/**
 * What stands in for a notification that did not show (the platform has none, or the system
 * refused it): the window's frame flashes (the taskbar button on Windows and Linux, the Dock icon
 * on macOS) unless the window has the focus, and the tray switches to its attention icon with the
 * reason in its tooltip, beside the count of callers waiting. Both stop when the window is
 * focused ({@link AlertFallback.seen}). The reason is logged when it changes, not per call.
 */
export interface AlertFallback {
  notShown(reason: string): void
  /** The user looked (the window got the focus): stop flashing, back to the plain tray icon. */
  seen(): void
}

export function alertFallback(deps: AlertFallbackDeps): AlertFallback {
  let logged: string | null = null
  return {
    notShown(reason) {
      if (logged !== reason) {
        deps.logger.warn('Notifications are not showing: the tray and the window frame stand in', {
          reason,
        })
        logged = reason
      }
      const win = deps.window()
      if (win && !win.isDestroyed() && !win.isFocused()) win.flashFrame(true)
      deps.tray()?.attention(reason)
    },
    seen() {
      const win = deps.window()
      if (win && !win.isDestroyed()) win.flashFrame(false)
      deps.tray()?.attention(null)
    },
  }
}
