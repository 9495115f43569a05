/**
 * Where the renderer is loaded from, and which URLs count as the app's own.
 * Production serves the built renderer from the privileged `app://renderer/` scheme (see
 * ./appProtocol.ts) rather than `file://`, so the page has a real origin, no file-system reach,
 * and response headers (the CSP) we control; development loads electron-vite's dev server.
 */
export const APP_SCHEME = 'app'
export const APP_HOST = 'renderer'
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`

export interface RendererLocation {
  /** What the window loads. */
  entryUrl: string
  /** `scheme://host[:port]` of the app's own pages. */
  origin: string
  /** True when loading electron-vite's dev server (hot reload needs a looser CSP). */
  dev: boolean
}

/** The renderer's location: the dev server when electron-vite gives one, else `app://renderer`. */
export function rendererLocation(devServerUrl: string | undefined): RendererLocation {
  if (devServerUrl) {
    const u = new URL(devServerUrl)
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      throw new Error(`ELECTRON_RENDERER_URL must be http(s), got "${devServerUrl}"`)
    return { entryUrl: devServerUrl, origin: `${u.protocol}//${u.host}`, dev: true }
  }
  return { entryUrl: APP_ENTRY_URL, origin: `${APP_SCHEME}://${APP_HOST}`, dev: false }
}

/**
 * True when `url` belongs to the app (same scheme, host and port as its origin).
 * Compares parts rather than `URL.origin`, which is `"null"` for custom schemes.
 */
export function isAppUrl(url: string, origin: string): boolean {
  let u: URL
  let o: URL
  try {
    u = new URL(url)
    o = new URL(origin)
  } catch {
    return false
  }
  return u.protocol === o.protocol && u.host === o.host && u.username === '' && u.password === ''
}

/** The sending frame of an IPC message, as much of Electron's `WebFrameMain` as we check. */
export interface SenderFrame {
  readonly url: string
  readonly parent: unknown
}

/**
 * IPC is accepted only from the app's own top-level frame: a frame that navigated elsewhere, an
 * embedded frame, or a frame already gone (`senderFrame` null) is refused.
 */
export function isTrustedFrame(frame: SenderFrame | null | undefined, origin: string): boolean {
  return !!frame && frame.parent === null && isAppUrl(frame.url, origin)
}
