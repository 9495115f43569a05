/**
 * The Electron shell: app lifecycle and wiring only. Every service is built by `createCore`
 * (shared with headless mode); the modules in ./electron receive the Electron objects they drive.
 */
import { fileDocuments } from './storage/folder/documents'
import { homedir, userInfo } from 'node:os'
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
  powerMonitor,
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
import { APP_ID, PRODUCT_NAME } from './ground/paths'
import { contentSecurityPolicy } from '../shared/csp'
import { localDateTime } from '../shared/localTime'
import type { Logger } from './ground/logger'
import { APP_SCHEME, isTrustedFrame, rendererLocation } from './electron/appUrl'
import { APP_SCHEME_PRIVILEGES, appRequestHandler } from './electron/appProtocol'
import { alertFallback } from './electron/alertFallback'
import { appLogger } from './electron/appLogger'
import { forwardEvents, pendingCore, registerIpc } from './electron/ipc'
import { noSandboxNotice, tellNoSandbox, usernsRestricted } from './electron/linuxSandbox'
import { applyLoginItem, startedAtLogin } from './electron/loginItem'
import { wireNotifications } from './electron/notifications'
import { wireQuit } from './electron/quit'
import { restartApp } from './electron/relaunch'
import { SafeSecretStore, electronSafeStorage } from './electron/safeSecretStore'
import { startupFailureDialog, wireFolderLost, wireStorageAlerts } from './electron/storageAlerts'
import { createTrayController, type TrayController } from './electron/tray'
import {
  askAboutUnreadableToken,
  openTeamDocument,
  readTeamConnection,
  teamHandlers,
} from './electron/teamConnection'
import { createMainWindow, secureSession, showWindow } from './electron/window'

const here = import.meta.dirname
const platform = process.platform
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
  // Before any window or notification: Windows attributes toasts (and the user's per-app switch
  // for them) to this id, which the installer gives its Start menu shortcut. A development run
  // has no shortcut: Electron's notification guide uses the executable's path there.
  if (platform === 'win32') app.setAppUserModelId(app.isPackaged ? APP_ID : process.execPath)

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
  let core: DesktopCore | null = null
  const quit = wireQuit({
    app,
    powerMonitor: platform === 'win32' ? null : powerMonitor,
    platform,
    stop: () => core?.stop() ?? Promise.resolve(),
    onQuitting: () => {
      quitting = true
    },
    logger,
  })
  const location = rendererLocation(
    app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL'],
  )
  const csp = contentSecurityPolicy(location)
  secureSession(session.defaultSession, location, csp)
  protocol.handle(APP_SCHEME, appRequestHandler({ rootDir: join(here, '../renderer'), csp }))

  // The window first: a supervisor sees the app while the core starts (and while macOS may ask
  // for the Keychain); its requests wait for the core (pendingCore).
  const user = userName()
  let coreReady!: (c: DesktopCore) => void
  const ready = new Promise<DesktopCore>((resolve) => (coreReady = resolve))
  win = createMainWindow({
    createBrowserWindow: (opts) => new BrowserWindow(opts),
    location,
    preloadPath: join(here, '../preload/index.cjs'),
    iconPath: resource('icon.png'),
    openExternal: (url) => void shell.openExternal(url),
    isQuitting: () => quitting,
    startHidden: startedAtLogin({
      platform,
      argv: process.argv,
      wasOpenedAtLogin: () => app.getLoginItemSettings().wasOpenedAtLogin,
    }),
    logger,
  })
  const window = win
  quit.watchWindow(window)
  const fallback = alertFallback({ window: () => window, tray: () => tray, logger })
  window.on('focus', () => fallback.seen())
  const loginItem = {
    platform,
    isPackaged: app.isPackaged,
    app,
    execPath: process.execPath,
    env: process.env,
    home: homedir(),
    logger,
  }
  registerIpc({
    ipcMain,
    core: pendingCore(ready),
    isTrustedSender: (frame) => isTrustedFrame(frame, location.origin),
    today: () => localDateTime(Date.now(), core?.settings().timezone ?? env.timezone).date,
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
      if (channel !== 'settings:update' || !core) return
      setSecrets(core.secretValues())
      tray?.refresh()
      void applyLoginItem(loginItem, core.settings().startAtLogin)
    },
  })

  const secrets = await SafeSecretStore.open(
    electronSafeStorage(safeStorage, platform),
    env.dataDir,
    logger,
  )
  // Connected to a team server: its client, with no listener nor vendor client of its own.
  const teamDoc = await openTeamDocument(env.dataDir)
  let team = await readTeamConnection(teamDoc, secrets)
  if (team.mode === 'token-unreadable') {
    const choice = await askAboutUnreadableToken({
      server: team.server,
      doc: teamDoc,
      showMessageBox: (opts) => dialog.showMessageBox(opts),
    })
    if (choice === 'quit') return app.quit()
    team = { mode: 'local' }
  }
  const client =
    team.mode === 'client'
      ? await createClientCore({
          env,
          dataDir: env.dataDir,
          // Client mode keeps only this desktop's settings, as files in its data folder.
          documents: fileDocuments(env.dataDir),
          secrets,
          logger,
          server: team.server,
          token: team.token,
        })
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
  // Another program took the data folder over: a dialog, then the app ends (nothing written).
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
  const running: DesktopCore = {
    ...own,
    handlers: {
      ...own.handlers,
      ...teamHandlers({
        doc: teamDoc,
        secrets,
        probe: (server, token) =>
          new ContractClient({ baseUrl: server, token }).call('session:get', undefined),
        restart: () =>
          restartApp(app, {
            platform,
            isPackaged: app.isPackaged,
            env: process.env,
            argv: process.argv,
          }),
        current: () => client?.client.team() ?? alone,
      }),
    },
  }
  setSecrets(running.secretValues())
  core = running
  await running.start()
  coreReady(running)
  forwardEvents(running, () => (window.isDestroyed() ? null : window.webContents))
  void applyLoginItem(loginItem, running.settings().startAtLogin)

  const darwin = platform === 'darwin'
  const trayIcon = new Tray(resource(darwin ? 'trayTemplate.png' : 'tray.png'))
  tray = createTrayController({
    tray: trayIcon,
    buildMenu: (template) => Menu.buildFromTemplate(template),
    // Each documented for some platforms only (electron.d.ts @platform): not passed elsewhere.
    setBadgeCount: darwin || platform === 'linux' ? (n) => app.setBadgeCount(n) : undefined,
    setTitle: darwin ? (title) => trayIcon.setTitle(title) : undefined,
    // macOS shows the count as text beside its template icon instead of an attention icon.
    setImage: darwin
      ? undefined
      : (icon) =>
          trayIcon.setImage(resource(icon === 'attention' ? 'trayAttention.png' : 'tray.png')),
    core: running,
    settings: () => running.settings(),
    webhookUrl: () => running.webhookUrl(),
    writeClipboard: (text) => clipboard.writeText(text),
    showWindow: () => showWindow(window),
    quit: () => app.quit(),
    user,
    logger,
  })

  wireNotifications({
    core: running,
    settings: () => running.settings(),
    isOpenAt: (ms) => running.isOpenAt(ms),
    isSupported: () => Notification.isSupported(),
    createNotification: (opts) => new Notification(opts),
    openCall: (id) => {
      showWindow(window)
      window.webContents.send('app:openCall', { id })
    },
    notShown: (reason) => fallback.notShown(reason),
    handleActivation:
      platform === 'win32' ? (callback) => Notification.handleActivation(callback) : undefined,
    showWindow: () => showWindow(window),
    logger,
  })

  wireStorageAlerts({
    core: running,
    isSupported: () => Notification.isSupported(),
    createNotification: (opts) => new Notification(opts),
    showWindow: () => showWindow(window),
    notShown: (reason) => fallback.notShown(reason),
    logger,
  })

  void tellNoSandbox({
    notice: noSandboxNotice({
      platform,
      noSandbox: app.commandLine.hasSwitch('no-sandbox'),
      appImage: app.isPackaged ? (process.env['APPIMAGE'] ?? null) : null,
      usernsRestricted: platform === 'linux' && usernsRestricted(),
    }),
    dataDir: env.dataDir,
    showMessageBox: (opts) => dialog.showMessageBox(opts),
    logger,
  }).catch((err: unknown) =>
    logger.warn('Could not show the sandbox notice', { error: String(err) }),
  )
}

main()
