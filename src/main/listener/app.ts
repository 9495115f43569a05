import { timingSafeEqual } from 'node:crypto'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import rateLimit from '@fastify/rate-limit'
import { WEBHOOK_PATH } from '../../shared/vendorPaths'
import type { EventBus } from '../events/bus'
import type { CallStore, RejectedLog } from '../storage/types'
import type { Clock } from '../ground/clock'
import type { Logger } from '../ground/logger'
import { normalizePush } from './normalize'
import { jsonToPairs, parseUrlEncoded, toRawParams, type ParamPairs } from './params'

/** What the listener needs; nothing is global. */
export interface ListenerDeps {
  store: CallStore
  rejected: RejectedLog
  bus: EventBus
  /** The secret path segment. Never logged. */
  token: string
  /** IANA zone the vendor's local dates and times are in (`IVRS_TIMEZONE`). */
  timezone: string
  clock: Clock
  logger: Logger
  /** Per-source limit; `false` turns it off (benchmarks, fuzz). Default: {@link DEFAULT_RATE_LIMIT}. */
  rateLimit?: { max: number; timeWindowMs: number } | false
  /**
   * True while the listener stops: answers then close their connection, so a keep-alive client
   * does not hold the stop open until its idle timeout.
   */
  closing?: () => boolean
}

/**
 * 1,000 pushes per 10 s per source address. A vendor pushes once per finished call and retries a
 * few times, so even a retry storm after downtime stays far below; a flood beyond it gets 429
 * `Failure` (the vendor's word for "try again") before any parsing or disk work.
 */
export const DEFAULT_RATE_LIMIT = { max: 1000, timeWindowMs: 10_000 } as const

/** A push body larger than this is refused: real pushes are well under 2 KiB. */
export const BODY_LIMIT_BYTES = 16 * 1024

/** Key under which an unreadable body is kept in the rejected-pushes log. */
export const BODY_KEY = '(body)'

const ROUTE = new RegExp(`^${WEBHOOK_PATH}/([^/]*)/?$`, 'i')

interface PushBody {
  pairs: [string, string][]
  /** Why the body could not be read, or null. */
  error: string | null
  text: string
}

/** Headers of every answer, set in one call. */
const PLAIN_HEADERS = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }
const CLOSING_HEADERS = { ...PLAIN_HEADERS, connection: 'close' }

/** True while the listener stops (see {@link ListenerDeps.closing}). Per app, set in build. */
type Closing = () => boolean
const never: Closing = () => false

function parseBody(contentType: string | undefined, text: string): PushBody {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase()
  // A POST that carries its parameters in the query string often sends an empty body.
  if (text.trim() === '') return { pairs: [], error: null, text }
  const looksJson = type === 'application/json' || type.endsWith('+json') || /^\s*\{/.test(text)
  if (type === 'application/x-www-form-urlencoded' || !looksJson)
    return { pairs: parseUrlEncoded(text.trim()), error: null, text }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return { pairs: [], error: 'The JSON body could not be read.', text }
  }
  const pairs = jsonToPairs(parsed)
  if (pairs === null) return { pairs: [], error: 'The JSON body is not an object.', text }
  return { pairs, error: null, text }
}

function queryPairs(url: string): [string, string][] {
  const q = url.indexOf('?')
  return q === -1 ? [] : parseUrlEncoded(url.slice(q + 1))
}

/**
 * Builds the public call-log listener: one route, `GET|POST /api/PostCallLogs/<token>[/]`,
 * answering in the vendor's words (`Accepted`, `Invalid Data`, `Failure`). Never listens:
 * {@link ListenerServer} owns the socket.
 */
export function buildListenerApp(deps: ListenerDeps): FastifyInstance {
  const { store, rejected, bus, clock, logger, timezone } = deps
  const closing = deps.closing ?? never

  // Every answer goes through here (the vendor's words, plain text, never cached), so no
  // onSend hook runs per request: fastify skips its hook runner when there is none.
  const answer = (reply: FastifyReply, code: number, text: string): FastifyReply =>
    reply
      .code(code)
      .headers(closing() ? CLOSING_HEADERS : PLAIN_HEADERS)
      .send(text)

  /** The one 404: unknown path, wrong method and wrong token all look exactly alike. */
  const notFound = (reply: FastifyReply): FastifyReply => answer(reply, 404, 'Not Found')

  // Compared byte for byte in constant time. Only a candidate of the token's length is compared
  // (timingSafeEqual needs equal lengths); the length of a 128-bit random token is no secret.
  // Hashing both sides on every request cost more than the rest of the gate together.
  const tokenBytes = Buffer.from(deps.token, 'utf8')
  const tokenMatches = (candidate: string): boolean =>
    Buffer.byteLength(candidate, 'utf8') === tokenBytes.length &&
    timingSafeEqual(Buffer.from(candidate, 'utf8'), tokenBytes)

  const app = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT_BYTES,
    exposeHeadRoutes: false,
    // Behind a tunnel every push arrives from loopback: trust its X-Forwarded-For so the rate
    // limit counts the real sender. Nothing else can reach a loopback-bound listener anyway.
    trustProxy: 'loopback',
    frameworkErrors: (_err, _req, reply) => notFound(reply),
    // The handler reads the raw query itself (order, repeats, lenient % decoding): skip fastify's.
    routerOptions: { querystringParser: () => ({}) },
  })

  const reject = async (
    req: FastifyRequest,
    reply: FastifyReply,
    code: number,
    pairs: ParamPairs,
    reason: string,
    fields: string[],
  ): Promise<FastifyReply> => {
    try {
      const entry = await rejected.append({
        receivedAt: new Date(clock.now()).toISOString(),
        method: req.method,
        params: toRawParams(pairs),
        reason,
        fields,
        remoteAddress: req.ip ?? null,
      })
      logger.warn('push rejected', { reason, fields })
      bus.emit('push:rejected', entry)
    } catch (err) {
      logger.error('rejected push could not be kept', { error: (err as Error).message })
      return answer(reply, 503, 'Failure')
    }
    return answer(reply, code, 'Invalid Data')
  }

  const limit = deps.rateLimit === undefined ? DEFAULT_RATE_LIMIT : deps.rateLimit
  const limitedIps = new Set<string>()
  let limitedWindow = -1

  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'string' }, (req, body, done) => {
    done(null, parseBody(req.headers['content-type'], body as string))
  })

  // The gate runs before the body is read, so a wrong token never reveals the route by the way
  // its body is treated (413, parse errors): every miss is the same 404.
  app.addHook('preParsing', (req, reply, payload, done) => {
    const url = req.raw.url ?? ''
    const q = url.indexOf('?')
    const m = ROUTE.exec(q === -1 ? url : url.slice(0, q))
    const allowed = req.method === 'GET' || req.method === 'POST'
    // The comparison runs for every request, hit or miss, so timing says nothing either.
    const tokenOk = tokenMatches(m?.[1] ?? '')
    if (!m || !allowed || !tokenOk) {
      notFound(reply)
      return
    }
    done(null, payload)
  })

  app.setNotFoundHandler((_req, reply) => notFound(reply))

  app.setErrorHandler(async (err: Error & { statusCode?: number; code?: string }, req, reply) => {
    const status = err.statusCode ?? 500
    if (status === 429) {
      // One line per source and window: a flood must not turn into a flood of log lines.
      const window = Math.floor(clock.now() / (limit ? limit.timeWindowMs : 60_000))
      if (window !== limitedWindow) limitedIps.clear()
      limitedWindow = window
      if (!limitedIps.has(req.ip)) {
        limitedIps.add(req.ip)
        logger.warn('push rate-limited', { ip: req.ip })
      }
      return answer(reply, 429, 'Failure')
    }
    if (status >= 400 && status < 500) {
      const pairs = queryPairs(req.raw.url ?? '')
      const tooLarge = err.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
      const reason = tooLarge
        ? `The request body is larger than ${BODY_LIMIT_BYTES / 1024} KiB; it was not kept.`
        : `The request could not be read (${err.code ?? status}).`
      return reject(req, reply, tooLarge ? 413 : 400, pairs, reason, [])
    }
    logger.error('listener error', { code: err.code ?? null })
    return answer(reply, 503, 'Failure')
  })

  if (limit) {
    app.register(rateLimit, {
      global: true,
      max: limit.max,
      timeWindow: limit.timeWindowMs,
      hook: 'onRequest',
      // No x-ratelimit-* headers: they would make the route's 404 differ from an unknown path's.
      addHeadersOnExceeding: {
        'x-ratelimit-limit': false,
        'x-ratelimit-remaining': false,
        'x-ratelimit-reset': false,
      },
      addHeaders: {
        'x-ratelimit-limit': false,
        'x-ratelimit-remaining': false,
        'x-ratelimit-reset': false,
        'retry-after': true,
      },
      errorResponseBuilder: () => ({
        statusCode: 429,
        code: 'RATE_LIMITED',
        message: 'Rate limited',
      }),
    })
  }

  // Registered after the rate limit so its onRoute hook sees the route.
  app.register(async (scope) => {
    scope.all('/*', async (req, reply) => {
      const receivedAt = new Date(clock.now()).toISOString()
      const body = req.body as PushBody | undefined
      const pairs = queryPairs(req.raw.url ?? '')
      if (body) for (const p of body.pairs) pairs.push(p)
      if (body?.error) {
        pairs.push([BODY_KEY, body.text.slice(0, BODY_LIMIT_BYTES)])
        return reject(req, reply, 400, pairs, body.error, [])
      }
      const result = normalizePush(pairs, { timezone })
      if (!result.ok) return reject(req, reply, 400, pairs, result.reason, result.fields)
      let stored
      try {
        stored = await store.upsert(result.fields, toRawParams(pairs), receivedAt)
      } catch (err) {
        logger.error('call could not be stored', {
          id: result.fields.id,
          error: (err as Error).message,
        })
        return answer(reply, 503, 'Failure')
      }
      logger.debug('push accepted', { id: stored.call.id, outcome: stored.outcome })
      if (stored.outcome !== 'unchanged')
        bus.emit('call:stored', { call: stored.call, outcome: stored.outcome })
      return answer(reply, 200, 'Accepted')
    })
  })

  return app
}
