import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import type { RejectedPush } from '../../shared/domain'
import type { EventBus } from '../events/bus'
import type { CallStore, RejectedLog } from '../storage/types'
import type { Clock } from '../ground/clock'
import type { Logger } from '../ground/logger'
import type { PushMeter } from '../metrics/metrics'
import { performance } from 'node:perf_hooks'
import { clientErrorHandler } from './clientErrors'
import { DEFAULT_MISS_LIMIT, Gate, MissLimiter, type MissLimit } from './gate'
import { normalizePush } from './normalize'
import { jsonBodyPairs, parseUrlEncoded, toRawParams, type ParamPairs } from './params'
import { decodeBody, decodeComponentIn } from './bodyDecoding'
import { decoderFor } from './textDecoding'

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
  /**
   * Limit of requests failing the gate (wrong token, other path or method) per address; `false`
   * turns it off (unit tests). Pushes with the right token are never limited. Default:
   * {@link DEFAULT_MISS_LIMIT}.
   */
  missLimit?: MissLimit | false
  /**
   * The proxies in front (`IVRS_TRUST_PROXY`): their addresses, CIDR ranges or `loopback`,
   * `linklocal`, `uniquelocal`. Only then is `X-Forwarded-For` read, from the right and only
   * past those proxies, so an address a client writes there itself is never taken. Null: the
   * socket's address, `X-Forwarded-For` ignored.
   */
  trustProxy?: string[] | null
  /**
   * True while the listener stops: answers then close their connection, so a keep-alive client
   * does not hold the stop open until its idle timeout.
   */
  closing?: () => boolean
  /** Told of every push answered (accepted, rejected, refused) for the metrics. */
  meter?: PushMeter
}

/** Socket timeouts: a push is one small request, so a slow or silent peer is cut off quickly. */
export const LISTENER_TIMEOUTS = {
  /** Whole request (headers and body) must arrive within this. */
  requestMs: 10_000,
  /** Headers must arrive within this. */
  headersMs: 5_000,
  /** An idle socket (no bytes either way) is closed after this. */
  idleMs: 15_000,
  /** An idle keep-alive connection is closed after this. */
  keepAliveMs: 5_000,
  /**
   * How often Node checks the two limits above. Its default, 30 s, held a slow client for
   * about 32 s whatever the limits said.
   */
  checkEveryMs: 1_000,
} as const

/** A push body larger than this is refused: real pushes are well under 2 KiB. */
export const BODY_LIMIT_BYTES = 16 * 1024

/** Key under which an unreadable body is kept in the rejected-pushes log. */
export const BODY_KEY = '(body)'

interface PushBody {
  pairs: [string, string][]
  /** Why the body could not be read, or null. */
  error: string | null
  text: string
  /** Larger than the limit once decompressed (answered 413). */
  tooLarge?: boolean
}

/** Headers of every answer, set in one call. */
const PLAIN_HEADERS = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }
const CLOSING_HEADERS = { ...PLAIN_HEADERS, connection: 'close' }

/** True while the listener stops (see {@link ListenerDeps.closing}). Per app, set in build. */
type Closing = () => boolean
const never: Closing = () => false

/**
 * A push body → pairs: decompressed and decoded in its character set first (bodyDecoding.ts),
 * then JSON, form, or sniffed (`{` → JSON, else form).
 */
function parseBody(
  contentType: string | undefined,
  contentEncoding: string | undefined,
  raw: Buffer,
): PushBody {
  const decoded = decodeBody(contentType, contentEncoding, raw, BODY_LIMIT_BYTES)
  if (!decoded.ok)
    return { pairs: [], error: decoded.reason, text: decoded.text, tooLarge: decoded.tooLarge }
  const text = decoded.text
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase()
  // A POST that carries its parameters in the query string often sends an empty body.
  if (text.trim() === '') return { pairs: [], error: null, text }
  const looksJson = type === 'application/json' || type.endsWith('+json') || /^\s*\{/.test(text)
  if (type === 'application/x-www-form-urlencoded' || !looksJson) {
    // Escapes of a form body are in its character set (`%E9` is é in iso-8859-1).
    const decoder =
      decoded.charset === 'utf-8' || decoded.charset === 'utf8'
        ? undefined
        : decoderFor(decoded.charset)
    const decode = decoder ? (s: string) => decodeComponentIn(s, decoder) : undefined
    return { pairs: parseUrlEncoded(text.trim(), decode), error: null, text }
  }
  let pairs: [string, string][] | null
  try {
    pairs = jsonBodyPairs(text)
  } catch {
    return { pairs: [], error: 'The JSON body could not be read.', text }
  }
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
  const { store, rejected, bus, clock, logger, timezone, meter } = deps
  const closing = deps.closing ?? never

  // Every answer goes through here (the vendor's words, plain text, never cached), so no
  // onSend hook runs per request: fastify skips its hook runner when there is none.
  const answer = (reply: FastifyReply, code: number, text: string): FastifyReply =>
    reply
      .code(code)
      .headers(closing() ? CLOSING_HEADERS : PLAIN_HEADERS)
      .send(text)

  const gate = new Gate(deps.token)
  const limit = deps.missLimit === undefined ? DEFAULT_MISS_LIMIT : deps.missLimit
  const limiter = limit ? new MissLimiter(limit, clock.now) : null

  /**
   * The one answer to a miss: unknown path, wrong method and wrong token all look exactly alike,
   * `404`, or `429 Failure` once their address has sent too many (counted per address, never for
   * a push with the right token).
   */
  const miss = (req: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const over = limiter?.miss(req.ip)
    if (!over) return answer(reply, 404, 'Not Found')
    // One line per address and window: a flood must not turn into a flood of log lines.
    if (over.first) logger.warn('requests failing the gate limited', { ip: req.ip })
    reply.header('retry-after', String(over.retryAfterS))
    return answer(reply, 429, 'Failure')
  }

  const app = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT_BYTES,
    exposeHeadRoutes: false,
    trustProxy: deps.trustProxy ?? false,
    // Node checks the timeouts every `checkEveryMs` (it must be given when the server is made).
    http: {
      connectionsCheckingInterval: LISTENER_TIMEOUTS.checkEveryMs,
      headersTimeout: LISTENER_TIMEOUTS.headersMs,
      requestTimeout: LISTENER_TIMEOUTS.requestMs,
    },
    requestTimeout: LISTENER_TIMEOUTS.requestMs,
    keepAliveTimeout: LISTENER_TIMEOUTS.keepAliveMs,
    connectionTimeout: LISTENER_TIMEOUTS.idleMs,
    // A URL fastify's router cannot take (a broken escape in the path) is a miss like any other:
    // no path with our token can hold one (the token is A-Z a-z 0-9 _ -).
    frameworkErrors: (_err, req, reply) => miss(req, reply),
    clientErrorHandler: clientErrorHandler({
      gate,
      limiter,
      keep: (r) =>
        keepRejected({ ...r, params: toRawParams(r.params), fields: [] }).catch((err: unknown) => {
          // Answered 503 by the handler: a push the vendor must retry, counted like the others.
          meter?.pushed('refused')
          throw err
        }),
      logger,
    }),
    routerOptions: {
      // The handler reads the raw query itself (order, repeats, lenient % decoding).
      querystringParser: () => ({}),
    },
  })

  /** Appends to the rejected log (durably) and publishes it; rejects if it could not. */
  const keepRejected = async (entry: Omit<RejectedPush, 'id' | 'receivedAt'>): Promise<void> => {
    const kept = await rejected.append({
      receivedAt: new Date(clock.now()).toISOString(),
      ...entry,
    })
    logger.warn('push rejected', { reason: entry.reason, fields: entry.fields })
    meter?.pushed('rejected')
    bus.emit('push:rejected', kept)
  }

  const reject = async (
    req: FastifyRequest,
    reply: FastifyReply,
    code: number,
    pairs: ParamPairs,
    reason: string,
    fields: string[],
  ): Promise<FastifyReply> => {
    try {
      await keepRejected({
        method: req.method,
        params: toRawParams(pairs),
        reason,
        fields,
        remoteAddress: req.ip ?? null,
      })
    } catch (err) {
      logger.error('rejected push could not be kept', { error: (err as Error).message })
      meter?.pushed('refused')
      return answer(reply, 503, 'Failure')
    }
    return answer(reply, code, 'Invalid Data')
  }

  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (req, body, done) => {
    done(
      null,
      parseBody(req.headers['content-type'], req.headers['content-encoding'], body as Buffer),
    )
  })

  // The gate runs first, before the body is read, so a wrong token never reveals the route by
  // the way its body is treated (413, parse errors): every miss is the same 404.
  app.addHook('onRequest', (req, reply, done) => {
    if (gate.passes(req.method, req.raw.url ?? '')) return done()
    miss(req, reply)
  })

  app.setNotFoundHandler((req, reply) => miss(req, reply))

  app.setErrorHandler(async (err: Error & { statusCode?: number; code?: string }, req, reply) => {
    const status = err.statusCode ?? 500
    if (status >= 400 && status < 500) {
      const pairs = queryPairs(req.raw.url ?? '')
      const tooLarge = err.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
      const reason = tooLarge
        ? `The request body is larger than ${BODY_LIMIT_BYTES / 1024} KiB; it was not kept.`
        : `The request could not be read (${err.code ?? status}).`
      return reject(req, reply, tooLarge ? 413 : 400, pairs, reason, [])
    }
    logger.error('listener error', { code: err.code ?? null })
    meter?.pushed('refused')
    return answer(reply, 503, 'Failure')
  })

  app.register(async (scope) => {
    scope.all('/*', async (req, reply) => {
      const receivedAt = new Date(clock.now()).toISOString()
      const body = req.body as PushBody | undefined
      const pairs = queryPairs(req.raw.url ?? '')
      if (body) for (const p of body.pairs) pairs.push(p)
      if (body?.error) {
        // Over the limit once decompressed: not kept (as a body over the limit as sent).
        if (!body.tooLarge) pairs.push([BODY_KEY, body.text.slice(0, 4 * BODY_LIMIT_BYTES)])
        return reject(req, reply, body.tooLarge ? 413 : 400, pairs, body.error, [])
      }
      const result = normalizePush(pairs, { timezone })
      if (!result.ok) return reject(req, reply, 400, pairs, result.reason, result.fields)
      let stored
      const started = performance.now()
      try {
        stored = await store.upsert(result.fields, toRawParams(pairs), receivedAt)
      } catch (err) {
        logger.error('call could not be stored', {
          id: result.fields.id,
          error: (err as Error).message,
        })
        meter?.pushed('refused')
        return answer(reply, 503, 'Failure')
      }
      meter?.pushed('accepted', (performance.now() - started) / 1000)
      logger.debug('push accepted', { id: stored.call.id, outcome: stored.outcome })
      // The store announced the call (`call:stored`) before it acknowledged it.
      return answer(reply, 200, 'Accepted')
    })
  })

  return app
}
