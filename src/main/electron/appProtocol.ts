import { readFile } from 'node:fs/promises'
import { extname, join, normalize, sep } from 'node:path'
import { APP_HOST, APP_SCHEME } from './appUrl'

/**
 * Privileges of the `app:` scheme, registered before `ready` with
 * `protocol.registerSchemesAsPrivileged`: standard (relative URLs and an origin), secure
 * (like https), and fetch support for the bundle's own assets.
 */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
}

/**
 * Maps an `app://renderer/...` URL to a file under `rootDir`, or null when it points elsewhere
 * (another host, or a path escaping the folder with `..` or encoded separators).
 */
export function resolveAppFile(rootDir: string, requestUrl: string): string | null {
  let u: URL
  try {
    u = new URL(requestUrl)
  } catch {
    return null
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null
  let path: string
  try {
    path = decodeURIComponent(u.pathname)
  } catch {
    return null
  }
  if (path.includes('\0') || path.includes('\\')) return null
  if (path === '/' || path === '') path = '/index.html'
  const root = normalize(rootDir)
  const file = normalize(join(root, path))
  return file.startsWith(root.endsWith(sep) ? root : root + sep) ? file : null
}

/**
 * The `protocol.handle('app', ...)` handler: serves the built renderer from `rootDir` with the CSP
 * and `nosniff` headers on every answer; 404 for anything outside it or missing.
 */
export function appRequestHandler(opts: {
  rootDir: string
  csp: string
  read?: (path: string) => Promise<Uint8Array>
}): (request: { url: string; method?: string }) => Promise<Response> {
  const read = opts.read ?? ((p: string) => readFile(p))
  const headers = (type: string): Record<string, string> => ({
    'Content-Type': type,
    'Content-Security-Policy': opts.csp,
    'X-Content-Type-Options': 'nosniff',
  })
  return async (request) => {
    const file = resolveAppFile(opts.rootDir, request.url)
    if (file === null || (request.method && request.method !== 'GET'))
      return new Response('Not found', { status: 404, headers: headers('text/plain') })
    try {
      const body = await read(file)
      const type = MIME[extname(file).toLowerCase()] ?? 'application/octet-stream'
      return new Response(body as ConstructorParameters<typeof Response>[0], {
        status: 200,
        headers: headers(type),
      })
    } catch {
      return new Response('Not found', { status: 404, headers: headers('text/plain') })
    }
  }
}
