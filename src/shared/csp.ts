/**
 * The renderer's one Content-Security-Policy, whichever way the page is served: from `app://` in
 * the desktop app, or by the local API in browser mode. Scripts only from the app itself; styles
 * also inline (Mantine writes its CSS variables in a `<style>` element); media from http(s)
 * because call recordings are played straight from the vendor's links; no frames, objects,
 * workers, forms or base. The dev server additionally needs its hot-reload websocket and React
 * Refresh's inline preamble.
 */
export function contentSecurityPolicy(
  opts: { dev: boolean; origin?: string } = { dev: false },
): string {
  const script = opts.dev ? "'self' 'unsafe-inline'" : "'self'"
  const hotReload = opts.dev && opts.origin ? ` ${opts.origin.replace(/^http/, 'ws')}` : ''
  const connect = `'self'${hotReload}`
  return [
    "default-src 'none'",
    `script-src ${script}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src ${connect}`,
    "media-src 'self' http: https:",
    "object-src 'none'",
    "frame-src 'none'",
    "worker-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}
