import { isAppUrl } from './appUrl'

/** What the security handlers need of an Electron event. */
export interface Preventable {
  preventDefault(): void
}

/**
 * `will-navigate` / `will-redirect` guard: the window only ever shows the app. Any other target
 * is stopped; http(s) ones are handed to the system browser instead (a link the user clicked).
 */
export function guardNavigation(
  origin: string,
  openExternal: (url: string) => void,
): (event: Preventable, url: string) => void {
  return (event, url) => {
    if (isAppUrl(url, origin)) return
    event.preventDefault()
    if (isHttpUrl(url)) openExternal(url)
  }
}

/**
 * `setWindowOpenHandler`: no new window is ever created. http(s) links open in the system
 * browser; every other scheme (file:, javascript:, custom protocols that launch programs) is
 * dropped.
 */
export function denyWindowOpen(
  openExternal: (url: string) => void,
): (details: { url: string }) => { action: 'deny' } {
  return ({ url }) => {
    if (isHttpUrl(url)) openExternal(url)
    return { action: 'deny' }
  }
}

/** True for a well-formed http(s) URL without embedded credentials. */
export function isHttpUrl(url: string): boolean {
  try {
    const u = new URL(url)
    return (u.protocol === 'http:' || u.protocol === 'https:') && !u.username && !u.password
  } catch {
    return false
  }
}

/**
 * The one permission the app page may use: writing text to the clipboard (the "copy webhook URL"
 * button). Camera, microphone, geolocation, notifications, etc. are all refused; the app's own
 * notifications come from main.
 */
const ALLOWED_PERMISSIONS = new Set(['clipboard-sanitized-write'])

/** `session.setPermissionRequestHandler`: refuses everything but the allowed set, for the app. */
export function permissionRequestHandler(
  origin: string,
): (
  webContents: { getURL(): string },
  permission: string,
  callback: (granted: boolean) => void,
) => void {
  return (webContents, permission, callback) => {
    callback(ALLOWED_PERMISSIONS.has(permission) && isAppUrl(webContents.getURL(), origin))
  }
}

/** `session.setPermissionCheckHandler`: the synchronous twin of the request handler. */
export function permissionCheckHandler(
  origin: string,
): (webContents: unknown, permission: string, requestingOrigin: string) => boolean {
  return (_webContents, permission, requestingOrigin) =>
    ALLOWED_PERMISSIONS.has(permission) && isAppUrl(requestingOrigin, origin)
}

/** Adds the CSP header to every response the session receives (the dev server's pages). */
export function cspHeaderListener(
  csp: string,
): (
  details: { responseHeaders?: Record<string, string[]> },
  callback: (response: { responseHeaders: Record<string, string[]> }) => void,
) => void {
  return (details, callback) => {
    const headers: Record<string, string[]> = {}
    for (const [k, v] of Object.entries(details.responseHeaders ?? {}))
      if (k.toLowerCase() !== 'content-security-policy') headers[k] = v
    headers['Content-Security-Policy'] = [csp]
    callback({ responseHeaders: headers })
  }
}
