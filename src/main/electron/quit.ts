import type { App, BrowserWindow } from 'electron'
import type { Logger } from '../ground/logger'

/**
 * How long Quit waits for the core's orderly stop (in-flight pushes answered, the journal
 * flushed, the data folder's lock released) before quitting anyway. Every push answered
 * `Accepted` is on disk before its answer, so a stop cut short loses nothing acknowledged: what
 * is in flight is not answered, and the vendor sends it again.
 */
export const STOP_LIMIT_MS = 8_000

/** `powerMonitor` as far as quitting goes: its `shutdown` event (Linux, macOS). */
export interface ShutdownSource {
  on(event: 'shutdown', listener: (event?: { preventDefault(): void }) => void): unknown
}

export interface QuitDeps {
  app: Pick<App, 'on' | 'quit'>
  /** `powerMonitor` on Linux and macOS (its `shutdown` event exists there only); null elsewhere. */
  powerMonitor: ShutdownSource | null
  platform: NodeJS.Platform
  /** The core's orderly stop. */
  stop: () => Promise<void>
  /** Told once quitting begins, whatever started it: closing the window then really closes. */
  onQuitting: () => void
  logger: Logger
  limitMs?: number
}

export interface QuitController {
  /**
   * Windows sends no `before-quit` at a shutdown or log-off: the window's `query-session-end`
   * and `session-end` (Windows only) are the only notice, so they start the stop.
   */
  watchWindow(win: Pick<BrowserWindow, 'on'>): void
}

/**
 * Quit, shutdown and log-off, each with one bounded orderly stop of the core:
 * - Quit (tray, Cmd+Q): `before-quit` is held while the core stops, at most `limitMs`; a second
 *   Quit while it stops is not held (the user insists: the app quits at once).
 * - Linux and macOS shutdown or log-out (`powerMonitor` `shutdown`): the stop starts at once and
 *   Electron is asked to delay the shutdown meanwhile; on macOS `before-quit` is then never held,
 *   because holding it there cancels the user's shutdown or log-out.
 * - Windows shutdown or log-off: the window's session-end events start the stop, which runs as
 *   far as Windows lets it (the session is not held up: nothing acknowledged is at risk).
 */
export function wireQuit(deps: QuitDeps): QuitController {
  const limit = deps.limitMs ?? STOP_LIMIT_MS
  let stopping: Promise<void> | null = null
  let stopped = false
  let quitAsked = false
  let sessionEnding = false

  const stopOnce = (): Promise<void> => {
    deps.onQuitting()
    stopping ??= new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        deps.logger.warn('The core did not stop in time: quitting anyway', { limitMs: limit })
        resolve()
      }, limit)
      deps
        .stop()
        .catch((err: unknown) =>
          deps.logger.error('Stopping the core failed', { error: String(err) }),
        )
        .finally(() => {
          clearTimeout(timer)
          resolve()
        })
    }).then(() => {
      stopped = true
    })
    return stopping
  }
  const stopThenQuit = (): void => {
    void stopOnce().then(() => deps.app.quit())
  }

  deps.app.on('before-quit', (event) => {
    deps.onQuitting()
    if (stopped) return
    if (sessionEnding && deps.platform === 'darwin') {
      // Holding the quit here would cancel the user's shutdown or log-out.
      void stopOnce()
      return
    }
    if (quitAsked) {
      deps.logger.warn('Quit asked again while the core stops: quitting now')
      return
    }
    quitAsked = true
    event.preventDefault()
    stopThenQuit()
  })

  deps.powerMonitor?.on('shutdown', (event) => {
    sessionEnding = true
    deps.logger.info('The system is shutting down or logging out: stopping')
    // Electron then delays the shutdown (logind's delay lock on Linux) until the app quits.
    event?.preventDefault()
    stopThenQuit()
  })

  return {
    watchWindow(win) {
      if (deps.platform !== 'win32') return
      const ending = (): void => {
        sessionEnding = true
        void stopOnce()
      }
      // Asked first (the session may still be cancelled by another app): start early, never
      // refuse it. Then told it ends, after which Windows may end the process at any time.
      win.on('query-session-end', ending)
      win.on('session-end', () => {
        deps.logger.info('Windows is ending the session: stopping')
        ending()
      })
    },
  }
}
