import type { BrowserWindow } from 'electron'
import { describe, expect, it } from 'vitest'
import { silentLogger } from '../../../src/main/ground/logger'
import { rendererLocation } from '../../../src/main/electron/appUrl'
import {
  createMainWindow,
  secureSession,
  showWindow,
  windowOptions,
} from '../../../src/main/electron/window'

describe('windowOptions', () => {
  it('isolates and sandboxes the renderer, without Node, at 1280×800', () => {
    const o = windowOptions({ preloadPath: '/app/out/preload/index.cjs' })
    expect(o.width).toBe(1280)
    expect(o.height).toBe(800)
    expect(o.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    })
  })
})

type Listener = (...args: unknown[]) => unknown

function fakeWindow() {
  const winListeners = new Map<string, Listener>()
  const wcListeners = new Map<string, Listener>()
  const log: string[] = []
  let openHandler: ((d: { url: string }) => { action: string }) | null = null
  let options: unknown = null
  const win = {
    webContents: {
      on: (e: string, l: Listener) => void wcListeners.set(e, l),
      setWindowOpenHandler: (h: typeof openHandler) => void (openHandler = h),
    },
    on: (e: string, l: Listener) => void winListeners.set(e, l),
    once: (e: string, l: Listener) => void winListeners.set(e, l),
    show: () => void log.push('show'),
    hide: () => void log.push('hide'),
    loadURL: async (url: string) => void log.push(`load ${url}`),
  }
  const create = (opts: unknown) => {
    options = opts
    return win as unknown as BrowserWindow
  }
  return {
    create,
    winListeners,
    wcListeners,
    log,
    openHandler: () => openHandler!,
    options: () => options,
  }
}

function prevented() {
  const e = { defaultPrevented: false, preventDefault: () => void (e.defaultPrevented = true) }
  return e
}

describe('createMainWindow', () => {
  function setup(quitting = false, startHidden = false) {
    const f = fakeWindow()
    const external: string[] = []
    createMainWindow({
      createBrowserWindow: f.create,
      location: rendererLocation(undefined),
      preloadPath: '/p/index.cjs',
      openExternal: (u) => external.push(u),
      isQuitting: () => quitting,
      startHidden,
      logger: silentLogger,
    })
    return { ...f, external }
  }

  it('loads the app entry with the secure options and shows when ready', () => {
    const t = setup()
    expect(t.log).toEqual(['load app://renderer/index.html'])
    expect((t.options() as { webPreferences: { sandbox: boolean } }).webPreferences.sandbox).toBe(
      true,
    )
    t.winListeners.get('ready-to-show')!()
    expect(t.log).toContain('show')
  })

  it('started at login, stays in the tray: loaded but not shown', () => {
    const t = setup(false, true)
    expect(t.log).toEqual(['load app://renderer/index.html'])
    t.winListeners.get('ready-to-show')!()
    expect(t.log).not.toContain('show')
  })

  it('hides to the tray on close unless quitting', () => {
    const t = setup(false)
    const e = prevented()
    t.winListeners.get('close')!(e)
    expect(e.defaultPrevented).toBe(true)
    expect(t.log).toContain('hide')
    const q = setup(true)
    const e2 = prevented()
    q.winListeners.get('close')!(e2)
    expect(e2.defaultPrevented).toBe(false)
    expect(q.log).not.toContain('hide')
  })

  it('keeps navigation on the app; http(s) targets go to the system browser', () => {
    const t = setup()
    const inside = prevented()
    t.wcListeners.get('will-navigate')!(inside, 'app://renderer/index.html#/agents')
    expect(inside.defaultPrevented).toBe(false)
    for (const [url, external] of [
      ['https://vendor.example/docs', true],
      ['file:///etc/passwd', false],
      ['javascript:alert(1)', false],
    ] as const) {
      const e = prevented()
      t.wcListeners.get('will-navigate')!(e, url)
      expect(e.defaultPrevented, url).toBe(true)
      expect(t.external.includes(url), url).toBe(external)
    }
    const redirect = prevented()
    t.wcListeners.get('will-redirect')!(redirect, 'https://elsewhere.example/')
    expect(redirect.defaultPrevented).toBe(true)
  })

  it('denies every new window and blocks webviews', () => {
    const t = setup()
    expect(t.openHandler()({ url: 'https://example.com/rec.mp3' })).toEqual({ action: 'deny' })
    expect(t.openHandler()({ url: 'smb://share/x' })).toEqual({ action: 'deny' })
    expect(t.openHandler()({ url: 'app://renderer/index.html' })).toEqual({ action: 'deny' })
    expect(t.external).toEqual(['https://example.com/rec.mp3'])
    const e = prevented()
    t.wcListeners.get('will-attach-webview')!(e)
    expect(e.defaultPrevented).toBe(true)
  })
})

describe('secureSession', () => {
  it('installs deny-by-default permission handlers and the CSP header', () => {
    const got: Record<string, Listener> = {}
    secureSession(
      {
        setPermissionRequestHandler: (h: Listener) => void (got['request'] = h),
        setPermissionCheckHandler: (h: Listener) => void (got['check'] = h),
        webRequest: { onHeadersReceived: (h: Listener) => void (got['headers'] = h) },
      } as never,
      rendererLocation(undefined),
      "default-src 'none'",
    )
    const answers: boolean[] = []
    const app = { getURL: () => 'app://renderer/index.html' }
    got['request']!(app, 'media', (ok: boolean) => answers.push(ok))
    got['request']!(app, 'geolocation', (ok: boolean) => answers.push(ok))
    got['request']!(app, 'notifications', (ok: boolean) => answers.push(ok))
    expect(answers).toEqual([false, false, false])
    expect(got['check']!(null, 'media', 'app://renderer')).toBe(false)
    let headers: unknown = null
    got['headers']!(
      { responseHeaders: { 'content-security-policy': ['x'], 'X-Other': ['1'] } },
      (r: unknown) => (headers = r),
    )
    expect(headers).toEqual({
      responseHeaders: { 'X-Other': ['1'], 'Content-Security-Policy': ["default-src 'none'"] },
    })
  })
})

describe('showWindow', () => {
  it('restores a minimised window and focuses it', () => {
    const log: string[] = []
    showWindow({
      isMinimized: () => true,
      restore: () => log.push('restore'),
      show: () => log.push('show'),
      focus: () => log.push('focus'),
    } as never)
    expect(log).toEqual(['restore', 'show', 'focus'])
  })
})
