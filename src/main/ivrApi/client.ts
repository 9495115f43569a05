import { Agent, type Dispatcher } from 'undici'
import type { AgentStatus, ChangeAttempt, OfficeDay } from '../../shared/domain'
import type { Clock } from '../ground/clock'
import type { Logger } from '../ground/logger'
import { systemClock } from '../ground/clock'
import { silentLogger } from '../ground/logger'
import { cleanText, redact } from './redact'
import { to12Hour } from '../../shared/officeTime'

/** Where and as whom to call the vendor; read afresh for every request (settings can change). */
export interface VendorSettings {
  baseUrl: string
  apiKey: string
  custId: string
}

/** The vendor parameters of one change, besides `apikey` and `custid`. */
export type VendorParams = Record<string, string>

/** What one HTTP attempt came to. `failed` means no usable answer: worth trying again. */
export type AttemptResult = ChangeAttempt

/** What a `send` came to after its retries: the last attempt decides. */
export interface SendResult {
  outcome: ChangeAttempt['outcome']
  detail: string
  httpStatus: number | null
  attempts: ChangeAttempt[]
}

export interface VendorClientOptions {
  settings: () => VendorSettings | null
  /** Injected for tests; by default one keep-alive undici Agent owned by the client. */
  dispatcher?: Dispatcher
  clock?: Clock
  logger?: Logger
  /** Waits between retries; injected so backoff is tested without real waiting. */
  sleep?: (ms: number) => Promise<void>
  random?: () => number
  connectTimeoutMs?: number
  headersTimeoutMs?: number
  bodyTimeoutMs?: number
  /** Hard cap on one attempt from start to last body byte (guards against a trickling body). */
  totalTimeoutMs?: number
  maxBodyBytes?: number
  /** Attempts per `send` (1 = no retry). */
  maxAttempts?: number
  backoffBaseMs?: number
  backoffMaxMs?: number
}

export const HANDLER_PATH = '/settings/handler.ashx'

/** `ManageAgent`: `agentnum` is the agent's number exactly as the supervisor registered it. */
export function manageAgentParams(agentnum: string, status: AgentStatus): VendorParams {
  return { action: 'ManageAgent', agentnum, status }
}

export function holidayParams(date: string): VendorParams {
  return { action: 'holiday', hdate: date }
}

/** `OfficeTime` with our 24-hour `HH:MM` converted to the vendor's `HH:MI AM|PM`. */
export function officeTimeParams(day: OfficeDay, start: string, end: string): VendorParams {
  return { action: 'OfficeTime', day, st_time: to12Hour(start), en_time: to12Hour(end) }
}

/** The vendor's plain-text success word, in any case, with white space around it. */
export function isSuccessBody(body: string): boolean {
  return body.trim().toLowerCase() === 'success'
}

/** Exponential backoff with jitter: the n-th retry (1-based) waits 50-100 % of base·2^(n-1). */
export function backoffDelay(n: number, baseMs: number, maxMs: number, random: () => number) {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, n - 1))
  return Math.round(ceiling * (0.5 + 0.5 * random()))
}

/**
 * Builds the request path and query; every name and value percent-encoded
 * (`09:30 AM` → `09%3A30%20AM`). `%20` rather than the form-style `+`: every server decodes it
 * as a space, while some read a `+` in a query string literally.
 */
export function buildRequest(
  s: VendorSettings,
  params: VendorParams,
): { origin: string; path: string } {
  const url = new URL(s.baseUrl)
  // Tolerate a base URL pasted with the handler path already on it.
  let prefix = url.pathname.replace(/\/+$/, '')
  if (prefix.toLowerCase().endsWith(HANDLER_PATH)) prefix = prefix.slice(0, -HANDLER_PATH.length)
  const query = Object.entries({ apikey: s.apiKey, custid: s.custId, ...params })
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&')
  return { origin: url.origin, path: `${prefix}${HANDLER_PATH}?${query}` }
}

class BodyTooLarge extends Error {}

const sleepReal = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/**
 * The client for the vendor's settings endpoint (`handler.ashx`). One keep-alive connection pool;
 * timeouts in seconds; retries only when no usable answer came (network error, timeout, 5xx),
 * never on a refusal. Never throws for vendor trouble: every outcome is a {@link SendResult}
 * whose texts never contain the API key.
 */
export class VendorClient {
  private readonly dispatcher: Dispatcher
  private readonly ownsDispatcher: boolean
  private readonly clock: Clock
  private readonly logger: Logger
  private readonly sleep: (ms: number) => Promise<void>
  private readonly random: () => number
  private readonly o: Required<
    Pick<
      VendorClientOptions,
      | 'headersTimeoutMs'
      | 'bodyTimeoutMs'
      | 'totalTimeoutMs'
      | 'maxBodyBytes'
      | 'maxAttempts'
      | 'backoffBaseMs'
      | 'backoffMaxMs'
    >
  >

  constructor(private readonly opts: VendorClientOptions) {
    this.ownsDispatcher = !opts.dispatcher
    this.dispatcher =
      opts.dispatcher ??
      new Agent({
        connect: { timeout: opts.connectTimeoutMs ?? 5_000 },
        keepAliveTimeout: 10_000,
        connections: 4,
      })
    this.clock = opts.clock ?? systemClock
    this.logger = opts.logger ?? silentLogger
    this.sleep = opts.sleep ?? sleepReal
    this.random = opts.random ?? Math.random
    this.o = {
      headersTimeoutMs: opts.headersTimeoutMs ?? 10_000,
      bodyTimeoutMs: opts.bodyTimeoutMs ?? 10_000,
      totalTimeoutMs: opts.totalTimeoutMs ?? 20_000,
      maxBodyBytes: opts.maxBodyBytes ?? 16_384,
      maxAttempts: opts.maxAttempts ?? 3,
      backoffBaseMs: opts.backoffBaseMs ?? 500,
      backoffMaxMs: opts.backoffMaxMs ?? 4_000,
    }
  }

  /** True when a base URL, key and customer id are set. */
  configured(): boolean {
    try {
      return this.opts.settings() !== null
    } catch {
      return false
    }
  }

  /**
   * Sends one change, retrying (backoff + jitter) while no usable answer comes. `onAttempt` sees
   * every attempt as it ends (for the audit log). `signal` stops further attempts (shutdown).
   */
  async send(
    params: VendorParams,
    opts: {
      onAttempt?: (a: ChangeAttempt) => void | Promise<void>
      signal?: AbortSignal
      maxAttempts?: number
    } = {},
  ): Promise<SendResult> {
    const max = Math.max(1, opts.maxAttempts ?? this.o.maxAttempts)
    const attempts: ChangeAttempt[] = []
    for (let n = 1; ; n++) {
      const a = await this.attempt(params, opts.signal)
      attempts.push(a)
      await opts.onAttempt?.(a)
      if (a.outcome !== 'failed' || n >= max || opts.signal?.aborted) {
        return { outcome: a.outcome, detail: a.detail, httpStatus: a.httpStatus, attempts }
      }
      if (!this.configured()) return { ...a, attempts }
      await this.sleep(backoffDelay(n, this.o.backoffBaseMs, this.o.backoffMaxMs, this.random))
    }
  }

  /** Exactly one HTTP request; the answer classified. */
  async attempt(params: VendorParams, signal?: AbortSignal): Promise<ChangeAttempt> {
    const at = new Date(this.clock.now()).toISOString()
    let s: VendorSettings | null
    try {
      s = this.opts.settings()
    } catch {
      s = null
    }
    if (!s) {
      return {
        at,
        outcome: 'failed',
        detail: 'No vendor is configured (URL, API key and customer id are needed)',
        httpStatus: null,
      }
    }
    const action = params.action ?? '?'
    let req: { origin: string; path: string }
    try {
      req = buildRequest(s, params)
    } catch {
      return {
        at,
        outcome: 'failed',
        detail: 'The vendor URL is not a valid URL',
        httpStatus: null,
      }
    }
    const ac = new AbortController()
    const onAbort = (): void => ac.abort()
    signal?.addEventListener('abort', onAbort)
    const timer = setTimeout(() => ac.abort(), this.o.totalTimeoutMs)
    try {
      const res = await this.dispatcher.request({
        origin: req.origin,
        path: req.path,
        method: 'GET',
        headers: { accept: 'text/plain, */*' },
        headersTimeout: this.o.headersTimeoutMs,
        bodyTimeout: this.o.bodyTimeoutMs,
        signal: ac.signal,
      })
      const text = await this.readBody(res.body)
      const status = res.statusCode
      const words = cleanText(redact(text, s.apiKey))
      let result: ChangeAttempt
      if (status >= 500) {
        result = {
          at,
          outcome: 'failed',
          detail: `HTTP ${status}${words ? `: ${words}` : ''}`,
          httpStatus: status,
        }
      } else if (status === 200 && isSuccessBody(text)) {
        result = { at, outcome: 'success', detail: 'Success', httpStatus: status }
      } else {
        // Anything else is the vendor saying no, in its own words (empty answers say so).
        const detail = words || `HTTP ${status} with an empty answer`
        result = {
          at,
          outcome: 'refused',
          detail: status === 200 ? detail : `HTTP ${status}: ${detail}`,
          httpStatus: status,
        }
      }
      this.logger.info('vendor answered', { action, outcome: result.outcome, httpStatus: status })
      return result
    } catch (err) {
      const detail =
        err instanceof BodyTooLarge
          ? `The vendor's answer was larger than ${this.o.maxBodyBytes} bytes`
          : describeNetworkError(err, this.o, signal?.aborted === true)
      const clean = cleanText(redact(detail, s.apiKey))
      if (err instanceof BodyTooLarge) {
        // An answer arrived, but it is not `Success`: a refusal, never retried.
        this.logger.warn('vendor answer too large', { action })
        return { at, outcome: 'refused', detail: clean, httpStatus: 200 }
      }
      this.logger.warn('vendor unreachable', { action, detail: clean })
      return { at, outcome: 'failed', detail: clean, httpStatus: null }
    } finally {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
    }
  }

  private async readBody(body: Dispatcher.ResponseData['body']): Promise<string> {
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of body) {
      size += (chunk as Buffer).length
      if (size > this.o.maxBodyBytes) {
        body.destroy()
        throw new BodyTooLarge()
      }
      chunks.push(chunk as Buffer)
    }
    return new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks))
  }

  /** Closes the connection pool (only if the client created it). */
  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close()
  }
}

/** Network failures in words a supervisor can act on; raw messages only as a last resort. */
function describeNetworkError(
  err: unknown,
  o: { headersTimeoutMs: number; bodyTimeoutMs: number; totalTimeoutMs: number },
  stopped: boolean,
): string {
  if (stopped) return 'Stopped before the vendor answered'
  const e = err as { code?: string; name?: string; message?: string; cause?: unknown }
  const code = e?.code ?? (e?.cause as { code?: string } | undefined)?.code
  const secs = (ms: number): string => `${Math.round(ms / 100) / 10} s`
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'Could not connect to the vendor (connection timed out)'
    case 'UND_ERR_HEADERS_TIMEOUT':
      return `The vendor did not answer within ${secs(o.headersTimeoutMs)}`
    case 'UND_ERR_BODY_TIMEOUT':
      return `The vendor's answer stalled for more than ${secs(o.bodyTimeoutMs)}`
    case 'UND_ERR_ABORTED':
    case 'ABORT_ERR':
      return `The vendor did not finish answering within ${secs(o.totalTimeoutMs)}`
    case 'ECONNREFUSED':
      return 'The vendor refused the connection (nothing listening at that address)'
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
    case 'EPIPE':
      return 'The connection to the vendor was cut before it answered'
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'The vendor address could not be resolved (DNS)'
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'The vendor address is unreachable from this network'
    default:
      if (e?.name === 'AbortError')
        return `The vendor did not finish answering within ${secs(o.totalTimeoutMs)}`
      return `Network error talking to the vendor: ${code ?? e?.name ?? 'unknown'}${e?.message ? ` (${e.message})` : ''}`
  }
}
