import { REQUESTS, type Channel, type HttpRoute, type RequestOf } from './contract'

/** The parts of one HTTP request, built from the route in the channel's row of the contract. */
export interface HttpRequestParts {
  method: string
  /** Path plus query string, relative to the server's origin. */
  url: string
  headers: Record<string, string>
  body?: string
}

/**
 * Builds the HTTP request for one channel: `:name` path parameters are taken from the request
 * object by name; the rest goes in the query string (GET, DELETE) or the JSON body, except a
 * `rawBody` field which is sent as the whole body with its own content type (the other fields of
 * such a request then go in the query string).
 */
export function buildHttpRequest<C extends Channel>(
  channel: C,
  req: RequestOf<C>,
): HttpRequestParts {
  const route: HttpRoute = REQUESTS[channel].route
  const rest: Record<string, unknown> = { ...((req ?? {}) as Record<string, unknown>) }
  const path = route.path.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    const value = rest[name]
    if (value === undefined || value === null || value === '') {
      throw new Error(`Missing "${name}" for ${channel}`)
    }
    delete rest[name]
    return encodeURIComponent(String(value))
  })
  const headers: Record<string, string> = {}
  if (route.method === 'GET' || route.method === 'DELETE') {
    const qs = queryString(rest)
    return { method: route.method, url: qs ? `${path}?${qs}` : path, headers }
  }
  if (route.rawBody) {
    const raw = rest[route.rawBody.field]
    delete rest[route.rawBody.field]
    headers['content-type'] = route.rawBody.contentType
    const body = typeof raw === 'string' ? raw : ''
    const qs = queryString(rest)
    return { method: route.method, url: qs ? `${path}?${qs}` : path, headers, body }
  }
  // A request without fields sends no body at all: an empty JSON body is an error to fastify.
  if (Object.keys(rest).length === 0) return { method: route.method, url: path, headers }
  headers['content-type'] = 'application/json'
  return { method: route.method, url: path, headers, body: JSON.stringify(rest) }
}

/** The fields given (null and undefined left out) as a query string, without the `?`. */
function queryString(fields: Record<string, unknown>): string {
  const query = new URLSearchParams()
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || value === null) continue
    query.append(key, String(value))
  }
  return query.toString()
}
