import type { BrowserWindow, BrowserWindowConstructorOptions, Session } from 'electron'
import type { Logger } from '../ground/logger'
import type { RendererLocation } from './appUrl'
import {
  cspHeaderListener,
  denyWindowOpen,
  guardNavigation,
  permissionCheckHandler,
  permissionRequestHandler,
} from './security'

/**
 * The main window's options: an isolated, sandboxed renderer with no Node, web security on,
 * no webview tag and no insecure content. The preload is the only bridge (see src/preload).
 */
export function windowOptions(opts: {
  preloadPath: string
  iconPath?: string
}): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'IVR Supervisor',
    autoHideMenuBar: true,
    ...(opts.iconPath ? { icon: opts.iconPath } : {}),
    webPreferences: {
      preload: opts.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      experimentalFeatures: false,
      spellcheck: false,
    },
  }
}

/** Session-wide protections: permissions refused, CSP on every response (dev server included). */
export function secureSession(
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'> & {
    webRequest: Pick<Session['webRequest'], 'onHeadersReceived'>
  },
  location: RendererLocation,
  csp: string,
): void {
  session.setPermissionRequestHandler(permissionRequestHandler(location.origin))
  session.setPermissionCheckHandler(permissionCheckHandler(location.origin))
  // Pages served by `app://` carry the header from the protocol handler; this covers the dev
  // server (http) during `electron-vite dev`.
  session.webRequest.onHeadersReceived(cspHeaderListener(csp))
}

export interface WindowDeps {
  /** `(opts) => new BrowserWindow(opts)`. */
  createBrowserWindow: (opts: BrowserWindowConstructorOptions) => BrowserWindow
  location: RendererLocation
  preloadPath: string
  iconPath?: string
  /** `shell.openExternal`, used for http(s) links only. */
  openExternal: (url: string) => void
  /** True once the user chose Quit: closing then really closes. */
  isQuitting: () => boolean
  /** Started at login: the app runs in the tray and the window waits until it is opened. */
  startHidden?: boolean
  logger: Logger
}

/**
 * Creates the main window and wires its guards: navigation stays on the app, new windows are
 * refused (http(s) links go to the system browser), and closing hides to the tray so the
 * listener keeps receiving pushes (a closed app would lose calls).
 */
export function createMainWindow(deps: WindowDeps): BrowserWindow {
  const win = deps.createBrowserWindow(
    windowOptions({ preloadPath: deps.preloadPath, iconPath: deps.iconPath }),
  )
  const wc = win.webContents
  const navigate = guardNavigation(deps.location.origin, deps.openExternal)
  wc.on('will-navigate', (event, url) => navigate(event, url))
  wc.on('will-redirect', (event, url) => navigate(event, url))
  wc.on('will-attach-webview', (event) => event.preventDefault())
  wc.setWindowOpenHandler(denyWindowOpen(deps.openExternal))
  wc.on('render-process-gone', (_event, details) =>
    deps.logger.error('Renderer process gone', { reason: details.reason }),
  )

  win.once('ready-to-show', () => {
    if (!deps.startHidden) win.show()
  })
  win.on('close', (event) => {
    if (deps.isQuitting()) return
    event.preventDefault()
    win.hide()
  })
  win.loadURL(deps.location.entryUrl).catch((err: unknown) => {
    deps.logger.error('Could not load the app page', { error: String(err) })
  })
  return win
}

/** Brings the window to the front (tray "Open", second instance, notification click). */
export function showWindow(win: Pick<BrowserWindow, 'isMinimized' | 'restore' | 'show' | 'focus'>) {
  if (win.isMinimized()) win.restore()
  win.show()
  win.focus()
}
