/** Builds test apps and turns a channel + request into the HTTP request a client would send. */
import { REQUESTS, type Channel, type HttpRoute } from '../../../src/shared/contract'
import { buildApiApp } from '../../../src/main/api/app'
import type { Logger } from '../../../src/main/ground/logger'
import { makeFakeCore, type FakeCore } from './fakeCore'

export const TOKEN = 'test-token-0123456789abcdefghijklmnop'
export const PORT = 18788
export const GOOD = { host: `127.0.0.1:${PORT}`, authorization: `Bearer ${TOKEN}` }

export interface LogLine {
  level: string
  msg: string
  ctx?: Record<string, unknown>
}

export function recordingLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = []
  const at =
    (level: string) =>
    (msg: string, ctx?: Record<string, unknown>): void => {
      lines.push({ level, msg, ctx })
    }
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
}

export function testApp(staticDir: string | null = null) {
  const fake: FakeCore = makeFakeCore()
  const logger = recordingLogger()
  const app = buildApiApp({ core: fake.core, token: TOKEN, port: () => PORT, staticDir, logger })
  return { app, fake, logger }
}

export interface HttpCall {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  url: string
  headers: Record<string, string>
  payload?: string
}

/** What the browser transport sends for a channel: path params, then query or body. */
export function httpCallFor(channel: Channel, req: unknown): HttpCall {
  const route: HttpRoute = REQUESTS[channel].route
  const rest: Record<string, unknown> = { ...(req as object | undefined) }
  const path = route.path.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    const v = rest[name]
    delete rest[name]
    return encodeURIComponent(String(v))
  })
  const headers: Record<string, string> = {}
  if (route.method === 'GET' || route.method === 'DELETE') {
    const qs = new URLSearchParams()
    for (const [k, v] of Object.entries(rest)) qs.append(k, String(v))
    const s = qs.toString()
    return { method: route.method, url: s ? `${path}?${s}` : path, headers }
  }
  if (route.rawBody) {
    headers['content-type'] = route.rawBody.contentType
    const payload = String(rest[route.rawBody.field])
    delete rest[route.rawBody.field]
    const qs = new URLSearchParams()
    for (const [k, v] of Object.entries(rest)) qs.append(k, String(v))
    const s = qs.toString()
    return { method: route.method, url: s ? `${path}?${s}` : path, headers, payload }
  }
  if (req === undefined) return { method: route.method, url: path, headers }
  headers['content-type'] = 'application/json'
  return { method: route.method, url: path, headers, payload: JSON.stringify(rest) }
}
