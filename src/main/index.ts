/**
 * The Electron shell: app lifecycle and wiring only. Every service is built by `createCore`
 * (shared with headless mode); the modules in ./electron receive the Electron objects they drive.
 */
import { userInfo } from 'node:os'
import { join } from 'node:path'
import {
  BrowserWindow,
  Menu,
  Notification,
  Tray,
  app,
  clipboard,
  dialog,
  ipcMain,
  protocol,
  safeStorage,
  session,
  shell,
} from 'electron'
import { ConfigError, environmentSecrets, readEnvConfig, type EnvConfig } from './config/env'
import { createCore } from './core/createCore'
import { createClientCore } from './teamClient/createClientCore'
import type { DesktopCore } from './teamClient/teamClient'
import { ContractClient } from './teamClient/contractClient'
import type { TeamState } from '../shared/team'
import { PRODUCT_NAME } from './ground/paths'
import { contentSecurityPolicy } from '../shared/csp'
import { localDateTime } from '../shared/localTime'
import type { Logger } from './ground/logger'
import { APP_SCHEME, isTrustedFrame, rendererLocation } from './electron/appUrl'
import { APP_SCHEME_PRIVILEGES, appRequestHandler } from './electron/appProtocol'
import { appLogger } from './electron/appLogger'
import { forwardEvents, registerIpc } from './electron/ipc'
import { wireNotifications } from './electron/notifications'
import { SafeSecretStore } from './electron/safeSecretStore'
import { startupFailureDialog, wireFolderLost, wireStorageAlerts } from './electron/storageAlerts'
import { createTrayController, type TrayController } from './electron/tray'
import { openTeamDocument, readTeamConnection, teamHandlers } from './electron/teamConnection'
import { createMainWindow, secureSession, showWindow } from './electron/window'

const here = import.meta.dirname
let win: BrowserWindow | null = null
/** Held here so the tray icon is never garbage-collected away. */
let tray: TrayController | null = null
let quitting = false

function resource(name: string): string {
  // Packaged: electron-builder copies resources/ next to app.asar (extraResources).
  return app.isPackaged
    ? join(process.resourcesPath, 'resources', name)
    : join(app.getAppPath(), 'resources', name)
}

function userName(): string {
  try {
    return userInfo().username
  } catch {
    return 'desktop-user'
  }
}

function main(): void {
  let env: EnvConfig
  try {
    env = readEnvConfig(process.env)
  } catch (err) {
    const message = err instanceof ConfigError ? err.message : String(err)
    dialog.showErrorBox(`${PRODUCT_NAME}: configuration error`, message)
    app.exit(2)
    return
  }
  // One data folder for both modes: IVRS_DATA_DIR, else the userData folder Electron would pick
  // for the product name (env.dataDir computes it the same way). Chromium's own files go in a
  // sub-folder so the data folder holds our data.
  app.setName(PRODUCT_NAME)
  app.setPath('userData', env.dataDir)
  app.setPath('sessionData', join(env.dataDir, 'chromium'))

  if (!app.requestSingleInstanceLock()) {
    app.quit()
    return
  }
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES])
  app.on('second-instance', () => {
    if (win) showWindow(win)
  })
  app.on('activate', () => {
    if (win) showWindow(win)
  })
  // Closing the window hides it; with no window left we still run (the listener must not stop).
  app.on('window-all-closed', () => {})
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (e) => e.preventDefault())
  })

  // Secrets given in the environment are redacted from the first line on; the core adds the
  // stored ones once it has read them.
  const envSecrets = environmentSecrets(env)
  let secrets: string[] = envSecrets
  const logger = appLogger({
    file: join(env.dataDir, 'logs', 'main.log'),
    secrets: () => secrets,
  })
  app.on('will-quit', () => void logger.close())
  app
    .whenReady()
    .then(() =>
      start(env, logger, (values) => {
        secrets = [...envSecrets, ...values]
      }),
    )
    .catch((err: unknown) => {
      logger.error('Start-up failed', { error: err instanceof Error ? err.stack : String(err) })
      const failure = startupFailureDialog(err, PRODUCT_NAME)
      dialog.showErrorBox(failure.title, failure.body)
      app.exit(1)
    })
}

async function start(
  env: EnvConfig,
  logger: Logger,
  setSecrets: (values: string[]) => void,
): Promise<void> {
  const location = rendererLocation(
    app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL'],
  )
  const csp = contentSecurityPolicy(location)
  secureSession(session.defaultSession, location, csp)
  protocol.handle(APP_SCHEME, appRequestHandler({ rootDir: join(here, '../renderer'), csp }))

  const user = userName()
  const secrets = new SafeSecretStore(safeStorage, env.dataDir, logger)
  // Connected to a team server: its client, with no listener nor vendor client of its own.
  const teamDoc = await openTeamDocument(env.dataDir)
  const team = await readTeamConnection(teamDoc, secrets)
  const client = team
    ? await createClientCore({ env, dataDir: env.dataDir, secrets, logger, ...team })
    : null
  const appCore = client
    ? null
    : await createCore({
        env,
        dataDir: env.dataDir,
        secrets,
        logger,
        user,
        appVersion: app.getVersion(),
        // Without a configured vendor the built-in simulator stands in (every screen says so) and,
        // until a vendor or tunnel is set, pushes calls so a new user sees the app working.
        demo: process.env['IVRS_DEMO'] === '0' ? false : 'until-configured',
        transport: 'electron',
      })
  const own: DesktopCore = client ?? appCore!
  if (appCore)
    wireFolderLost({
      onFolderLost: (fn) => appCore.onFolderLost(fn),
      showErrorBox: (title, body) => dialog.showErrorBox(title, body),
      exit: (code) => app.exit(code),
      product: PRODUCT_NAME,
    })
  const alone: TeamState = {
    mode: 'local',
    server: null,
    as: null,
    state: 'connected',
    error: null,
  }
  const core: DesktopCore = {
    ...own,
    handlers: {
      ...own.handlers,
      ...teamHandlers({
        doc: teamDoc,
        secrets,
        probe: (server, token) =>
          new ContractClient({ baseUrl: server, token }).call('session:get', undefined),
        restart: () => {
          app.relaunch()
          app.quit()
        },
        current: () => client?.client.team() ?? alone,
      }),
    },
  }
  setSecrets(core.secretValues())
  await core.start()
  handleQuit(core, logger)

  const applyLoginItem = (): void => {
    // Only the installed app registers itself; in development it would register bare Electron.
    if (app.isPackaged) app.setLoginItemSettings({ openAtLogin: core.settings().startAtLogin })
  }
  applyLoginItem()

  win = createMainWindow({
    createBrowserWindow: (opts) => new BrowserWindow(opts),
    location,
    preloadPath: join(here, '../preload/index.cjs'),
    iconPath: resource('icon.png'),
    openExternal: (url) => void shell.openExternal(url),
    isQuitting: () => quitting,
    logger,
  })
  const window = win
  forwardEvents(core, () => (window.isDestroyed() ? null : window.webContents))

  registerIpc({
    ipcMain,
    core,
    isTrustedSender: (frame) => isTrustedFrame(frame, location.origin),
    today: () => localDateTime(Date.now(), core.settings().timezone).date,
    saveCsv: async (name) => {
      const res = await dialog.showSaveDialog(window, {
        defaultPath: join(app.getPath('downloads'), name),
        filters: [{ name: 'CSV', extensions: ['csv'] }],
      })
      return res.canceled || !res.filePath ? null : res.filePath
    },
    user,
    logger,
    onHandled: (channel) => {
      if (channel !== 'settings:update') return
      setSecrets(core.secretValues())
      tray?.refresh()
      applyLoginItem()
    },
  })

  tray = createTrayController({
    tray: new Tray(resource(process.platform === 'darwin' ? 'trayTemplate.png' : 'tray.png')),
    buildMenu: (template) => Menu.buildFromTemplate(template),
    setBadgeCount: (n) => app.setBadgeCount(n),
    core,
    settings: () => core.settings(),
    webhookUrl: () => core.webhookUrl(),
    writeClipboard: (text) => clipboard.writeText(text),
    showWindow: () => showWindow(window),
    quit: () => app.quit(),
    user,
    logger,
  })

  wireNotifications({
    core,
    settings: () => core.settings(),
    isOpenAt: (ms) => core.isOpenAt(ms),
    isSupported: () => Notification.isSupported(),
    createNotification: (opts) => new Notification(opts),
    openCall: (id) => {
      showWindow(window)
      window.webContents.send('app:openCall', { id })
    },
    logger,
  })

  wireStorageAlerts({
    core,
    isSupported: () => Notification.isSupported(),
    createNotification: (opts) => new Notification(opts),
    showWindow: () => showWindow(window),
    logger,
  })
}

/** Quit waits for the core to stop (in-flight pushes finish, the journal is flushed). */
function handleQuit(core: Pick<DesktopCore, 'stop'>, logger: Logger): void {
  let stopped = false
  let stopping = false
  app.on('before-quit', (event) => {
    quitting = true
    if (stopped) return
    event.preventDefault()
    if (stopping) return
    stopping = true
    core
      .stop()
      .catch((err: unknown) => logger.error('Stopping the core failed', { error: String(err) }))
      .finally(() => {
        stopped = true
        app.quit()
      })
  })
}

main()
