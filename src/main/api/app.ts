/**
 * The local HTTP API: the contract of `shared/contract.ts` over HTTP, for headless mode and the
 * browser transport. Built here, never listened on here (`server.ts` owns the socket).
 *
 * - One route per channel, straight from its row of `REQUESTS` in the contract: path parameters
 *   plus the query string (GET/DELETE) or the JSON body (POST/PUT/PATCH) make one request object,
 *   validated against the row's `schema` before the core's handler runs. `agents:import` takes
 *   the raw CSV.
 * - Answers: 200 with the handler's JSON; change requests 200 confirmed / 202 queued / 422 refused
 *   (`results.ts`); 400 `{ error, fields }` for input we reject; a `UserError`'s own status;
 *   404 for an unknown call or path; 500 `{ error: 'Internal error' }` for anything else (the
 *   details go to the log only).
 * - `GET /api/v1/events` streams the push events (`sse.ts`); `GET /api/v1/calls.csv` streams the
 *   CSV export (`csv.ts`).
 * - Every `/api/` request needs `Authorization: Bearer <token>` (401; 429 beyond 30 a minute from
 *   one address): the owner's launch token or a person's own. A channel beyond the person's role
 *   (the row's `role`) answers 403 with words saying so. Every request needs a Host of
 *   `127.0.0.1:<port>` or `localhost:<port>`, or one of the team server's names (403, against
 *   DNS rebinding). API answers carry `Cache-Control: no-store`; every answer carries the
 *   security headers and CSP. With `peers`, any other peer is refused first (403).
 * - With `staticDir`, the built renderer is served at `/` without a token.
 * - With `watch`, the probes `/healthz` and `/readyz` (no token, no Host check, a status word
 *   only) and `/metrics` (any valid token).
 */
import fastifyStatic from '@fastify/static'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import { STATUS_CODES } from 'node:http'
import {
  CHANNELS,
  EVENTS_PATH,
  REQUESTS,
  mayUse,
  refusalText,
  type HttpRoute,
} from '../../shared/contract'
import { MAX_CALL_ID_LENGTH } from '../../shared/schemas'
import { callHandler, ownerContext, type Core, type RequestContext } from '../core/core'
import { isUserError } from '../ground/errors'
import { RequestValidator, type ValidationFailure } from '../core/requestValidator'
import type { Logger } from '../ground/logger'
import type { CallExportQuery } from '../../shared/schemas'
import type { AccountService } from '../accounts/accounts'
import { MissLimiter, type MissLimit } from '../listener/gate'
import { sendCsv } from './csv'
import { statusFor } from './results'
import { SECURITY_HEADERS, bearerToken, hostChecker, ownerChecker, peerChecker } from './security'
import { createSseHub, type SseHub } from './sse'
import type { ReplayLimits } from './eventReplay'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Marks a route of the local API: token required whatever the URL looks like. */
    api?: boolean
    /** Marks a probe (`/healthz`, `/readyz`): no token, no Host check, nothing revealed. */
    probe?: boolean
  }
  interface FastifyRequest {
    /** Who sent an `/api/` request (set once its token was checked). */
    person?: RequestContext
  }
}

export interface ApiAppDeps {
  core: Pick<Core, 'handlers' | 'exportCsv' | 'subscribe' | 'unreadable'>
  /** The owner's bearer token (the launch token): an admin without an account. */
  token: string
  /** The team's personal tokens, when the server has accounts. */
  accounts?: Pick<AccountService, 'verify' | 'onChange'> | null
  /** The port the server is bound to, for the Host check (read per request). */
  port: () => number
  /**
   * Names this API answers to besides the loopback ones (`IVRS_API_HOSTNAMES`): a team server's
   * names, behind a proxy or with its own certificate, on any port.
   */
  hostnames?: string[]
  /** True when the API is bound beyond loopback: a Host that is an IP address is accepted too. */
  ipHosts?: boolean
  /** TLS certificate and key (PEM): the API then speaks HTTPS only. */
  https?: { cert: string | Buffer; key: string | Buffer } | null
  /** The proxies in front (`IVRS_TRUST_PROXY`), whose `X-Forwarded-For` names the client. */
  trustProxy?: string[] | null
  /**
   * The only peers served at all (addresses, CIDR ranges or `loopback`, `linklocal`,
   * `uniquelocal`): a team server bound beyond loopback without TLS of its own serves its
   * plain HTTP to the declared proxies alone, which add the TLS. Any other peer gets 403.
   */
  peers?: string[] | null
  /** The built renderer (`out/web`), or null to serve no static files. */
  staticDir: string | null
  logger: Logger
  /** Interval of the server-sent-events heartbeat comment (default 15 s). */
  heartbeatMs?: number
  /** The event stream's replay window (default `DEFAULT_REPLAY_LIMITS`). */
  replay?: ReplayLimits
  /** An event hub shared with another app of the same core; one of its own otherwise. */
  events?: SseHub
  /**
   * The owner's name in the audit logs: the OS user running headless mode (the launch token is
   * theirs, printed on their terminal).
   */
  user?: string
  /** Wrong or missing tokens allowed per address before 429 (default 30 per minute). */
  authFailureLimit?: MissLimit
  /**
   * A server's probes and figures: `GET /healthz` (alive) and `GET /readyz` (200 when pushes can
   * be taken, else 503) for anyone who reaches the port, `GET /metrics` (Prometheus text) for
   * any valid token. Without it, none of the three exists.
   */
  watch?: Watch | null
}

/** What the probes and `/metrics` read. */
export interface Watch {
  ready(): Promise<boolean>
  metrics(): Promise<{ contentType: string; text: string }>
}

/** Largest request body (the agents CSV import is the big one). */
export const BODY_LIMIT = 1024 * 1024

/** Requests without a valid token, per address, before they are answered 429. */
export const DEFAULT_AUTH_FAILURE_LIMIT: MissLimit = { max: 30, windowMs: 60_000 }

const QUERY_METHODS = new Set(['GET', 'DELETE'])

/** True for anything under `/api`, judged on the decoded path so `%61pi` cannot slip past. */
function isApiPath(url: string): boolean {
  let path = url.split('?', 1)[0] ?? ''
  try {
    path = decodeURIComponent(path)
  } catch {
    // A broken escape: judge the raw text.
  }
  return /^\/*api(\/|$)/i.test(path)
}

/** Builds the local API (see the module comment). Never listens. */
export function buildApiApp(deps: ApiAppDeps): FastifyInstance {
  const owner = ownerContext('http', deps.user ?? 'local-api')
  const { core, logger } = deps
  // The https server's type differs from http's in its raw objects only, which nothing here
  // touches beyond what both share.
  const app = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT,
    exposeHeadRoutes: false,
    requestTimeout: 30_000,
    return503OnClosing: true,
    trustProxy: deps.trustProxy ?? false,
    // A call id (up to MAX_CALL_ID_LENGTH characters) percent-encoded: up to 9 per character.
    routerOptions: { maxParamLength: MAX_CALL_ID_LENGTH * 9 },
    ...(deps.https ? { https: deps.https } : {}),
  }) as unknown as FastifyInstance
  const isOwner = ownerChecker(deps.token)
  const hostOk = hostChecker({
    port: deps.port,
    hostnames: deps.hostnames ?? [],
    ipHosts: deps.ipHosts ?? false,
  })
  const failures = new MissLimiter(deps.authFailureLimit ?? DEFAULT_AUTH_FAILURE_LIMIT, () =>
    Date.now(),
  )
  const sse =
    deps.events ??
    createSseHub(core, logger, { heartbeatMs: deps.heartbeatMs, replay: deps.replay })
  if (!deps.events) app.addHook('onClose', async () => sse.dispose())
  // A revoked account's open streams end at once; one whose role changed reloads what it sees.
  const offAccounts = deps.accounts?.onChange(({ account, what }) => {
    if (what === 'revoked') sse.closeAccount(account.id)
    if (what === 'role') sse.reloadAccount(account.id, `${account.name} is now a ${account.role}.`)
  })
  if (offAccounts) app.addHook('onClose', async () => void offAccounts())

  /** The person a bearer header names: the owner, an active account, or nobody. */
  const authenticate = async (header: string | undefined): Promise<RequestContext | null> => {
    const token = bearerToken(header)
    if (token === null) return null
    // The owner's token is compared first, in constant time, whatever else the server knows.
    if (isOwner(token)) return owner
    const account = await deps.accounts?.verify(token)
    return account
      ? { transport: 'http', user: account.name, role: account.role, accountId: account.id }
      : null
  }

  // The agents import is sent as the bare CSV text.
  app.addContentTypeParser(
    ['text/csv', 'text/plain'],
    { parseAs: 'string', bodyLimit: BODY_LIMIT },
    (_req, body, done) => done(null, body),
  )

  const peerOk = deps.peers ? peerChecker(deps.peers) : null

  app.addHook('onRequest', async (req, reply) => {
    reply.headers(SECURITY_HEADERS)
    if (peerOk && !peerOk(req.socket.remoteAddress)) {
      logger.warn('api: plain HTTP refused to a peer that is not a declared proxy', {
        peer: req.socket.remoteAddress ?? null,
      })
      return reply.code(403).send({
        error: 'Forbidden: this server answers its declared proxy only; open its https:// address',
      })
    }
    // A probe says alive or ready and nothing else: a rebinding page learns nothing from it,
    // and a load balancer checks an instance by its address.
    if (req.routeOptions.config?.probe === true) {
      reply.header('cache-control', 'no-store')
      return
    }
    if (!hostOk(req.headers.host)) {
      return reply.code(403).send({ error: 'Forbidden: unexpected Host header' })
    }
    if (req.routeOptions.config?.api === true || isApiPath(req.url)) {
      reply.header('cache-control', 'no-store')
      const person = await authenticate(req.headers.authorization)
      if (!person) {
        const over = failures.miss(req.ip)
        if (over) {
          if (over.first) logger.warn('api: requests without a valid token limited', { ip: req.ip })
          return reply
            .code(429)
            .header('retry-after', String(over.retryAfterS))
            .send({ error: 'Too many requests without a valid token: wait and try again' })
        }
        return reply
          .code(401)
          .header('www-authenticate', 'Bearer')
          .send({
            error:
              req.headers.authorization === undefined
                ? 'Unauthorized: send Authorization: Bearer <api token>'
                : 'Unauthorized: this token is not valid here (revoked, mistyped or for another server)',
          })
      }
      req.person = person
    }
  })

  // Closing the server would otherwise wait for every open event stream to end by itself.
  app.addHook('preClose', async () => sse.closeAll())

  app.setErrorHandler((err, req, reply) => sendError(err, req, reply, logger))
  app.setNotFoundHandler((_req, reply) => reply.code(404).send({ error: 'Not found' }))

  const watch = deps.watch
  if (watch) {
    app.get('/healthz', { config: { probe: true } }, async () => ({ status: 'ok' }))
    app.get('/readyz', { config: { probe: true } }, async (_req, reply) => {
      const ready = await watch.ready().catch(() => false)
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready' })
    })
    app.get('/metrics', { config: { api: true } }, async (_req, reply) => {
      const { contentType, text } = await watch.metrics()
      return reply.header('content-type', contentType).send(text)
    })
  }

  app.get(EVENTS_PATH, { config: { api: true } }, (req, reply) => {
    const person = req.person!
    sse.open(req, reply, { role: person.role, accountId: person.accountId })
  })

  for (const channel of CHANNELS) {
    const { route, schema } = REQUESTS[channel]
    const validator = new RequestValidator(schema)
    const takesNothing = schema === null
    app.route({
      method: route.method,
      url: route.path,
      config: { api: true },
      handler: async (req, reply) => {
        const person = req.person!
        if (!mayUse(person.role, channel))
          return reply
            .code(403)
            .send({ error: refusalText(channel, { name: person.user, role: person.role }) })
        const built = requestObject(route, validator, req)
        if ('failure' in built) return reply.code(400).send(built.failure)
        const request = takesNothing ? undefined : built.value
        if (channel === 'calls:exportCsv') {
          return sendCsv(core, request as CallExportQuery, reply, logger)
        }
        const result = await callHandler(core.handlers, channel, request, person)
        if (channel === 'calls:get' && result === null) {
          return reply.code(404).send({ error: 'No call with this id' })
        }
        return reply.code(statusFor(result)).send(result)
      },
    })
  }

  if (deps.staticDir) {
    void app.register(fastifyStatic, {
      root: deps.staticDir,
      prefix: '/',
      index: 'index.html',
      redirect: false,
      dotfiles: 'deny',
      // The renderer never lives under /api: those paths belong to the API's 404.
      allowedPath: (pathName) => !isApiPath(pathName),
    })
  }
  return app
}

/** Params + query or body → one object, coerced and validated; or why not. */
function requestObject(
  route: HttpRoute,
  validator: RequestValidator,
  req: FastifyRequest,
): { value: Record<string, unknown> } | { failure: ValidationFailure } {
  // No prototype while we copy user-chosen keys, so `__proto__` is just a (rejected) field.
  const out = Object.create(null) as Record<string, unknown>
  Object.assign(out, req.params as object)
  const query = { ...(req.query as object) } as Record<string, unknown>
  const pathNames = Object.keys(out)

  if (QUERY_METHODS.has(route.method)) {
    for (const [k, v] of Object.entries(query)) {
      if (pathNames.includes(k)) return conflict(k)
      out[k] = v
    }
    validator.coerceQuery(out)
  } else {
    const body = req.body
    if (route.rawBody) {
      // The raw body is one field; the others travel in the query string.
      const field = route.rawBody.field
      for (const [k, v] of Object.entries(query)) {
        if (pathNames.includes(k) || k === field) return conflict(k)
        out[k] = v
      }
      validator.coerceQuery(out)
      if (typeof body !== 'string' || body.length === 0) {
        return fail(
          `Send the ${field.toUpperCase()} as the request body (${route.rawBody.contentType})`,
          [field],
        )
      }
      out[field] = body
    } else if (Object.keys(query).length > 0) {
      return fail('This endpoint takes its input in the request body, not the query string', [
        ...Object.keys(query),
      ])
    } else if (body !== undefined && body !== null) {
      if (typeof body !== 'object' || Array.isArray(body)) {
        return fail('The request body must be a JSON object (Content-Type: application/json)', [])
      }
      for (const [k, v] of Object.entries(body)) {
        if (pathNames.includes(k) && out[k] !== v) return conflict(k)
        out[k] = v
      }
    }
  }
  const failure = validator.check(out)
  return failure ? { failure } : { value: { ...out } }
}

const fail = (error: string, fields: string[]): { failure: ValidationFailure } => ({
  failure: { error, fields },
})

const conflict = (field: string): { failure: ValidationFailure } =>
  fail(`Invalid request: ${field} is given both in the path and elsewhere, with different values`, [
    field,
  ])

/** UserError → its status; fastify's own 4xx (bad JSON, too large, media type) → as is; else 500. */
function sendError(err: unknown, req: FastifyRequest, reply: FastifyReply, logger: Logger): void {
  if (isUserError(err)) {
    void reply.code(err.status).send({ error: err.message, fields: err.fields })
    return
  }
  const e = err as { statusCode?: unknown; code?: unknown; message?: unknown; stack?: unknown }
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500
  if (status >= 400 && status < 500) {
    // Fastify's own messages describe the request, never our internals; others get the status text.
    const own = typeof e.code === 'string' && e.code.startsWith('FST_')
    const message = own && typeof e.message === 'string' ? e.message : STATUS_CODES[status]
    void reply.code(status).send({ error: message ?? 'Bad request' })
    return
  }
  logger.error('api: request failed', {
    method: req.method,
    route: req.routeOptions.url ?? null,
    error: typeof e.message === 'string' ? e.message : String(err),
    stack: typeof e.stack === 'string' ? e.stack : undefined,
  })
  void reply.code(500).send({ error: 'Internal error' })
}
