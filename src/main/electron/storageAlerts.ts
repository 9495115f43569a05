import type { EventName, Events } from '../../shared/contract'
import type { StorageProblem } from '../../shared/storage'
import type { Core } from '../core/core'
import type { AppCore } from '../core/createCore'
import type { Logger } from '../ground/logger'
import { DataFolderInUseError } from '../dataFolder/lock'
import {
  NOTIFICATIONS_UNAVAILABLE,
  type NotificationLike,
  type NotificationOptions,
} from './notifications'

/** Title and body of the tray notification for a storage problem: what, and what to do. */
export function storageNotificationContent(p: Pick<StorageProblem, 'summary' | 'advice'>): {
  title: string
  body: string
} {
  return { title: 'IVR Supervisor: a storage problem', body: `${p.summary} ${p.advice}` }
}

export interface StorageAlertDeps {
  core: Pick<Core, 'subscribe'>
  isSupported: () => boolean
  createNotification: (opts: NotificationOptions) => NotificationLike
  /** Shows the window (the Connection screen's banner lists the problem). */
  showWindow: () => void
  /** The notification did not show (see `NotificationDeps.notShown`). */
  notShown?: (reason: string) => void
  logger: Logger
}

/**
 * A native notification for every storage problem found (alerts paused or not: this is not a
 * call alert, it is the app telling that a promise to the vendor is at risk). Clicking it shows
 * the window; the Connection screen's banner stays until the problem is acknowledged.
 */
export function wireStorageAlerts(deps: StorageAlertDeps): () => void {
  const live = new Set<NotificationLike>()
  return deps.core.subscribe(<E extends EventName>(event: E, payload: Events[E]) => {
    if (event !== 'storage:problem') return
    if (!deps.isSupported()) return deps.notShown?.(NOTIFICATIONS_UNAVAILABLE)
    try {
      const n = deps.createNotification(storageNotificationContent(payload as StorageProblem))
      live.add(n)
      n.on('click', () => {
        live.delete(n)
        deps.showWindow()
      })
      n.on('close', () => live.delete(n))
      n.on('failed', (_event, error) => {
        live.delete(n)
        deps.logger.warn('A storage notification was refused by the system', { error })
        deps.notShown?.(`the system refused it (${error})`)
      })
      n.show()
    } catch (err) {
      deps.logger.warn('Could not show a storage notification', { error: String(err) })
      deps.notShown?.(`it could not be created (${String(err)})`)
    }
  })
}

export interface FolderLostDeps {
  /** The core's {@link AppCore.onFolderLost}. */
  onFolderLost: AppCore['onFolderLost']
  /** Electron's `dialog.showErrorBox`: modal, so the user reads it before the app ends. */
  showErrorBox: (title: string, body: string) => void
  /** Ends the app without its graceful stop (`app.exit`): the folder is not its to write. */
  exit: (code: number) => void
  product: string
}

/**
 * When another program takes the data folder over while the app runs (it was suspended or
 * frozen, or a network share's lock went stale), every writer has already stopped: the app says
 * so in a dialog and ends, leaving the folder to the program that holds it now.
 */
export function wireFolderLost(deps: FolderLostDeps): () => void {
  return deps.onFolderLost((err) => {
    try {
      deps.showErrorBox(
        `${deps.product} stopped: another program took over its data folder`,
        `${err.message}\n\nNothing more was written to the folder. Keep the program that holds it now, or quit both and start one.`,
      )
    } finally {
      deps.exit(3)
    }
  })
}

/** The dialog the desktop app shows when it cannot start: a folder in use gets its own title. */
export function startupFailureDialog(
  err: unknown,
  product: string,
): { title: string; body: string } {
  if (err instanceof DataFolderInUseError)
    return { title: `${product}: the data folder is in use`, body: err.message }
  return { title: `${product} could not start`, body: (err as Error)?.message ?? String(err) }
}
