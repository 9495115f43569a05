/**
 * A stand-in for the `electron` module, for running the real built main bundle
 * (out/main/index.js) in plain Node as linux, win32 or darwin. It records every call, and holds
 * the bundle to Electron 45's documented rules, read from Electron's own type declarations
 * (./apiRules.ts): a method documented for other platforms (`@platform`) or called on the wrong
 * side of the app's `ready` event is a violation (recorded, and thrown, as a missing method
 * would be). Four rules Electron enforces at run time but its declarations do not state are
 * added, each labelled: `new BrowserWindow`, `new Tray` and `session.defaultSession` need the app
 * ready, and a tray icon's image must exist.
 *
 * Behaviour is modelled where the bundle depends on it: `app.quit()` emits `before-quit`, closes
 * the windows (each `close` may refuse) and `will-quit`, then ends the process; a window's
 * `loadURL` of an `app://` page goes through the handler the bundle gave `protocol.handle`.
 * The test process drives it through ./child.ts.
 */
import { EventEmitter } from 'node:events'
import { existsSync } from 'node:fs'
import { ruleFor, type ApiRule, type ApiRules, type Platform } from './rules'

export interface StandInConfig {
  platform: Platform
  rules: [string, ApiRule][]
  appPath: string
  version: string
  isPackaged: boolean
  argv: string[]
  notificationsSupported: boolean
  wasOpenedAtLogin: boolean
  /** What every `dialog.showMessageBox` answers. */
  messageBox: { response: number; checkboxChecked: boolean }
  downloads: string
}

export interface RecordedCall {
  seq: number
  api: string
  args: unknown[]
  afterReady: boolean
}
export interface Violation {
  seq: number
  api: string
  why: string
}

type Listener = (...args: unknown[]) => unknown

/** A preventable event, as Electron passes to `before-quit`, `close`, `shutdown`... */
export function electronEvent(): { preventDefault(): void; defaultPrevented: boolean } {
  const e = {
    defaultPrevented: false,
    preventDefault() {
      e.defaultPrevented = true
    },
  }
  return e
}

/** JSON-safe summary of arguments for the record (functions named, long text cut). */
function summary(value: unknown, depth = 0): unknown {
  if (typeof value === 'function') return `[function ${value.name || 'anonymous'}]`
  if (typeof value === 'string') return value.length > 400 ? value.slice(0, 400) + '…' : value
  if (value === null || typeof value !== 'object') return value
  if (Buffer.isBuffer(value)) return `[buffer ${value.length}]`
  if (depth > 3) return '[…]'
  if (Array.isArray(value)) return value.slice(0, 20).map((v) => summary(v, depth + 1))
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value).slice(0, 40)) out[k] = summary(v, depth + 1)
  return out
}

const LISTENING = new Set(['on', 'once', 'addListener', 'prependListener'])
const EMITTER_OWN = new Set([
  'emit',
  'off',
  'removeListener',
  'removeAllListeners',
  'listeners',
  'listenerCount',
  'rawListeners',
  'eventNames',
  'setMaxListeners',
  'getMaxListeners',
  'prependOnceListener',
])

export class StandIn {
  readonly calls: RecordedCall[] = []
  readonly violations: Violation[] = []
  /** Listeners the bundle registered, `Owner#event`. */
  readonly listening: string[] = []
  ready = false
  private seq = 0
  private readonly rules: ApiRules
  readonly windows: StandInWindow[] = []
  readonly trays: StandInTray[] = []
  readonly notifications: StandInNotification[] = []
  readonly ipcHandlers = new Map<string, Listener>()
  readonly protocolHandlers = new Map<string, (request: Request) => Promise<Response>>()
  activation: Listener | null = null
  onExit: (code: number) => void = () => {}
  readonly module: Record<string, unknown>

  constructor(readonly config: StandInConfig) {
    this.rules = new Map(config.rules)
    this.module = this.buildModule()
  }

  record(owners: string[], member: string, args: unknown[]): void {
    const api = `${owners[0]}.${member}`
    const seq = ++this.seq
    this.calls.push({ seq, api, args: args.map((a) => summary(a)), afterReady: this.ready })
    const rule = ruleFor(this.rules, owners, member)
    const { platform } = this.config
    if (rule?.platforms && !rule.platforms.includes(platform))
      this.fail(seq, api, `documented for ${rule.platforms.join(', ')} only; this is ${platform}`)
    if (rule?.readiness === 'after-ready' && !this.ready)
      this.fail(seq, api, 'documented to be called after the ready event; called before')
    if (rule?.readiness === 'before-ready' && this.ready)
      this.fail(seq, api, 'documented to be called before the ready event; called after')
  }

  /** A rule Electron enforces at run time that its declarations do not state. */
  runtimeRule(api: string, ok: boolean, why: string): void {
    if (!ok) this.fail(this.seq, api, `${why} (Electron's run-time rule)`)
  }

  private fail(seq: number, api: string, why: string): never {
    this.violations.push({ seq, api, why })
    throw new TypeError(`${api}: ${why} (electron.d.ts)`)
  }

  /** Wraps an object so every method call is recorded and checked against the rules. */
  guard<T extends object>(target: T, owners: string[]): T {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const standIn = this
    return new Proxy(target, {
      get(t, prop) {
        const value = Reflect.get(t, prop, t) as unknown
        if (typeof prop !== 'string' || prop === 'constructor') return value
        if (typeof value !== 'function') {
          const rule = ruleFor(standIn.rules, owners, prop)
          // A property documented for other platforms is absent there (`app.dock`).
          if (rule?.platforms && !rule.platforms.includes(standIn.config.platform)) return undefined
          return value
        }
        if (EMITTER_OWN.has(prop)) return (value as Listener).bind(t)
        if (LISTENING.has(prop))
          return (event: string, listener: Listener) => {
            standIn.listening.push(`${owners[0]}#${event}`)
            return (value as Listener).call(t, event, listener)
          }
        return (...args: unknown[]) => {
          standIn.record(owners, prop, args)
          return (value as Listener).apply(t, args)
        }
      },
    })
  }

  /** Emits an event the platform documents (refusing, as a test error, one it never emits). */
  emit(target: EventEmitter, owners: string[], event: string, args: unknown[]): void {
    const rule = ruleFor(this.rules, owners, event)
    if (rule?.platforms && !rule.platforms.includes(this.config.platform))
      throw new Error(
        `${owners[0]}#${event} is documented for ${rule.platforms.join(', ')} only: ${this.config.platform} never emits it`,
      )
    target.emit(event, ...args)
  }

  private buildModule(): Record<string, unknown> {
    const app = new StandInApp(this)
    const guardedApp = this.guard(app, ['App'])
    app.guarded = guardedApp
    const powerMonitor = this.guard(new EventEmitter(), ['PowerMonitor'])
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const standIn = this

    const BrowserWindow = classProxy(this, ['BrowserWindow', 'BaseWindow'], (opts) => {
      standIn.runtimeRule(
        'BrowserWindow.constructor',
        standIn.ready,
        'Cannot create BrowserWindow before app is ready',
      )
      const w = new StandInWindow(standIn, opts as WindowOptions)
      standIn.windows.push(w)
      return standIn.guard(w, ['BrowserWindow', 'BaseWindow'])
    })
    const Tray = classProxy(this, ['Tray'], (image) => {
      standIn.runtimeRule(
        'Tray.constructor',
        standIn.ready,
        'Cannot create Tray before app is ready',
      )
      const t = new StandInTray(standIn, String(image))
      standIn.trays.push(t)
      return standIn.guard(t, ['Tray'])
    })
    const notificationStatics = {
      isSupported: () => standIn.config.notificationsSupported,
      handleActivation: (callback: Listener) => {
        standIn.activation = callback
      },
    }
    const Notification = classProxy(
      this,
      ['Notification'],
      (opts) => {
        const n = new StandInNotification(opts as Record<string, unknown>)
        standIn.notifications.push(n)
        return standIn.guard(n, ['Notification'])
      },
      notificationStatics,
    )
    const Menu = classProxy(this, ['Menu'], () => ({}), {
      buildFromTemplate: (template: unknown[]) => ({ template }),
    })
    const webRequest = this.guard({ onHeadersReceived: () => {} }, ['WebRequest'])
    const defaultSession = this.guard(
      {
        setPermissionRequestHandler: () => {},
        setPermissionCheckHandler: () => {},
        webRequest,
      },
      ['Session'],
    )
    const session = {
      get defaultSession() {
        standIn.runtimeRule(
          'Session.defaultSession',
          standIn.ready,
          'Session can only be received when app is ready',
        )
        return defaultSession
      },
    }
    const protocol = this.guard(
      {
        registerSchemesAsPrivileged: () => {},
        handle: (scheme: string, handler: (r: Request) => Promise<Response>) => {
          standIn.protocolHandlers.set(scheme, handler)
        },
        unhandle: (scheme: string) => void standIn.protocolHandlers.delete(scheme),
        isProtocolHandled: (scheme: string) => standIn.protocolHandlers.has(scheme),
      },
      ['Protocol'],
    )
    const ipcMain = this.guard(
      Object.assign(new EventEmitter(), {
        handle: (channel: string, fn: Listener) => void standIn.ipcHandlers.set(channel, fn),
        removeHandler: (channel: string) => void standIn.ipcHandlers.delete(channel),
      }),
      ['IpcMain'],
    )
    const dialog = this.guard(
      {
        showErrorBox: () => {},
        showMessageBox: async () => ({ ...standIn.config.messageBox }),
        showSaveDialog: async () => ({ canceled: true, filePath: '' }),
      },
      ['Dialog'],
    )
    const safeStorage = this.guard(standInSafeStorage(), ['SafeStorage'])
    const shell = this.guard({ openExternal: async () => {} }, ['Shell'])
    const clipboard = this.guard({ writeText: () => {} }, ['Clipboard'])
    return {
      app: guardedApp,
      BrowserWindow,
      Menu,
      Notification,
      Tray,
      clipboard,
      dialog,
      ipcMain,
      powerMonitor,
      protocol,
      safeStorage,
      session,
      shell,
    }
  }

  get app(): StandInApp {
    return (this.module['app'] as { self: StandInApp }).self
  }
  get powerMonitor(): EventEmitter {
    return this.module['powerMonitor'] as EventEmitter
  }

  /** The app became ready (Electron's `ready`). */
  becomeReady(): void {
    this.ready = true
    this.app.readyNow()
  }
}

/** A class whose construction and static methods go through the stand-in. */
function classProxy(
  standIn: StandIn,
  owners: string[],
  make: (...args: unknown[]) => object,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  statics: Record<string, (...args: any[]) => unknown> = {},
): unknown {
  function StandInClass() {}
  for (const [name, fn] of Object.entries(statics))
    Object.defineProperty(StandInClass, name, { value: fn, configurable: true, writable: true })
  return new Proxy(StandInClass, {
    construct(_t, args) {
      standIn.record(owners, 'constructor', args)
      return make(...args)
    },
    get(t, prop) {
      const value = Reflect.get(t, prop) as unknown
      if (typeof prop !== 'string' || typeof value !== 'function' || !(prop in statics))
        return value
      return (...args: unknown[]) => {
        standIn.record(owners, prop, args)
        return (value as Listener)(...args)
      }
    },
  })
}

function standInSafeStorage() {
  // Reversible, prefixed like Chromium's v10, so a value written is read back.
  const encrypt = (s: string) => Buffer.concat([Buffer.from('v10'), Buffer.from(s).reverse()])
  const decrypt = (b: Buffer) => Buffer.from(b.subarray(3)).reverse().toString()
  return {
    isEncryptionAvailable: () => true,
    encryptString: encrypt,
    decryptString: decrypt,
    isAsyncEncryptionAvailable: async () => true,
    encryptStringAsync: async (s: string) => encrypt(s),
    decryptStringAsync: async (b: Buffer) => ({ shouldReEncrypt: false, result: decrypt(b) }),
    getSelectedStorageBackend: () => 'gnome_libsecret',
  }
}

export class StandInApp extends EventEmitter {
  guarded: unknown = null
  private readyPromise: Promise<void>
  private resolveReady!: () => void
  name = 'ivr-supervisor'
  readonly paths = new Map<string, string>()
  readonly commandLine: unknown

  constructor(private readonly standIn: StandIn) {
    super()
    this.readyPromise = new Promise((r) => (this.resolveReady = r))
    const argv = standIn.config.argv
    this.commandLine = standIn.guard(
      {
        hasSwitch: (name: string) =>
          argv.some((a) => a === `--${name}` || a.startsWith(`--${name}=`)),
        getSwitchValue: (name: string) =>
          argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? '',
        appendSwitch: () => {},
      },
      ['CommandLine'],
    )
  }
  /** The unguarded app, for the harness. */
  get self(): StandInApp {
    return this
  }
  get isPackaged(): boolean {
    return this.standIn.config.isPackaged
  }
  readyNow(): void {
    this.resolveReady()
    this.emit('ready', {}, {})
  }
  whenReady(): Promise<void> {
    return this.readyPromise
  }
  isReady(): boolean {
    return this.standIn.ready
  }
  getVersion(): string {
    return this.standIn.config.version
  }
  getName(): string {
    return this.name
  }
  setName(name: string): void {
    this.name = name
  }
  getAppPath(): string {
    return this.standIn.config.appPath
  }
  setPath(name: string, path: string): void {
    this.paths.set(name, path)
  }
  getPath(name: string): string {
    return this.paths.get(name) ?? this.standIn.config.downloads
  }
  requestSingleInstanceLock(): boolean {
    return true
  }
  setAppUserModelId(): void {}
  setDesktopName(): void {}
  setBadgeCount(): boolean {
    return true
  }
  setLoginItemSettings(): void {}
  getLoginItemSettings(): Record<string, unknown> {
    return { openAtLogin: false, wasOpenedAtLogin: this.standIn.config.wasOpenedAtLogin }
  }
  relaunch(): void {}
  /** Electron's order: before-quit (may be refused), each window's close (may refuse), will-quit. */
  quit(): void {
    const before = electronEvent()
    this.emit('before-quit', before)
    if (before.defaultPrevented) return
    for (const w of this.standIn.windows) {
      if (w.destroyed) continue
      const close = electronEvent()
      w.emit('close', close)
      if (close.defaultPrevented) return
      w.destroy()
    }
    const will = electronEvent()
    this.emit('will-quit', will)
    if (will.defaultPrevented) return
    this.emit('quit', electronEvent(), 0)
    this.standIn.onExit(0)
  }
  exit(code = 0): void {
    this.standIn.onExit(code)
  }
}

interface WindowOptions {
  show?: boolean
  webPreferences?: { preload?: string }
  [key: string]: unknown
}

export class StandInWindow extends EventEmitter {
  visible = false
  focused = false
  destroyed = false
  url = ''
  loaded: 'no' | 'loading' | 'loaded' | 'failed' = 'no'
  readonly sent: { channel: string; payload: unknown }[] = []
  flashes: boolean[] = []
  openHandler: Listener | null = null
  readonly webContents: unknown
  readonly contents = new EventEmitter()

  constructor(
    private readonly standIn: StandIn,
    readonly options: WindowOptions,
  ) {
    super()
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const win = this
    this.webContents = standIn.guard(
      Object.assign(this.contents, {
        send: (channel: string, payload: unknown) => void win.sent.push({ channel, payload }),
        setWindowOpenHandler: (fn: Listener) => void (win.openHandler = fn),
        isDestroyed: () => win.destroyed,
        getURL: () => win.url,
      }),
      ['WebContents'],
    )
  }
  /** Loads like Chromium: an app:// page through the handler the bundle registered. */
  async loadURL(url: string): Promise<void> {
    this.url = url
    this.loaded = 'loading'
    const scheme = new URL(url).protocol.slice(0, -1)
    const handler = this.standIn.protocolHandlers.get(scheme)
    const res = handler ? await handler(new Request(url)) : null
    if (!res || res.status !== 200) {
      this.loaded = 'failed'
      this.contents.emit('did-fail-load', {}, -6, `no page at ${url}`)
      throw new Error(`ERR_FILE_NOT_FOUND (-6) loading '${url}'`)
    }
    this.loaded = 'loaded'
    this.contents.emit('did-finish-load', {})
    if (this.options.show === false) this.emit('ready-to-show', {})
  }
  show(): void {
    this.visible = true
    this.emit('show', {})
  }
  hide(): void {
    this.visible = false
    this.emit('hide', {})
  }
  focus(): void {
    this.focused = true
    this.emit('focus', {})
  }
  isVisible(): boolean {
    return this.visible
  }
  isFocused(): boolean {
    return this.focused
  }
  isMinimized(): boolean {
    return false
  }
  restore(): void {}
  flashFrame(flag: boolean): void {
    this.flashes.push(flag)
  }
  isDestroyed(): boolean {
    return this.destroyed
  }
  destroy(): void {
    this.destroyed = true
    this.emit('closed')
  }
}

export class StandInTray extends EventEmitter {
  tooltip = ''
  images: string[] = []
  titles: string[] = []
  menus = 0

  constructor(
    private readonly standIn: StandIn,
    image: string,
  ) {
    super()
    this.setImage(image)
  }
  setImage(image: string): void {
    this.standIn.runtimeRule('Tray.image', existsSync(image), `no image file at ${image}`)
    this.images.push(image)
  }
  setToolTip(text: string): void {
    this.tooltip = text
  }
  setTitle(title: string): void {
    this.titles.push(title)
  }
  setContextMenu(): void {
    this.menus++
  }
}

export class StandInNotification extends EventEmitter {
  shown = false
  constructor(readonly options: Record<string, unknown>) {
    super()
  }
  show(): void {
    this.shown = true
  }
  close(): void {}
}
