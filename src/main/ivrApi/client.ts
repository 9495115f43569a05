import { Agent, type Dispatcher } from 'undici'
import type { AgentStatus, ChangeAttempt, OfficeDay } from '../../shared/domain'
import type { Clock } from '../ground/clock'
import type { Logger } from '../ground/logger'
import { systemClock } from '../ground/clock'
import { silentLogger } from '../ground/logger'
import { cleanText, redact } from './redact'
import { to12Hour } from '../../shared/officeTime'
import { VENDOR_HANDLER_PATH } from '../../shared/vendorPaths'

/** Where and as whom to call the vendor; read afresh for every request (settings can change). */
export interface VendorSettings {
  baseUrl: string
  apiKey: string
  custId: string
}

/** The vendor parameters of one change, besides `apikey` and `custid`. */
export type VendorParams = Record<string, string>

export interface VendorClientOptions {
  settings: () => VendorSettings | null
  /** Injected for tests; by default one keep-alive undici Agent owned by the client. */
  dispatcher?: Dispatcher
  clock?: Clock
  logger?: Logger
  connectTimeoutMs?: number
  headersTimeoutMs?: number
  bodyTimeoutMs?: number
  /** Hard cap on one attempt from start to last body byte (guards against a trickling body). */
  totalTimeoutMs?: number
  maxBodyBytes?: number
}

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
  if (prefix.toLowerCase().endsWith(VENDOR_HANDLER_PATH))
    prefix = prefix.slice(0, -VENDOR_HANDLER_PATH.length)
  const query = Object.entries({ apikey: s.apiKey, custid: s.custId, ...params })
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&')
  return { origin: url.origin, path: `${prefix}${VENDOR_HANDLER_PATH}?${query}` }
}

class BodyTooLarge extends Error {}

/**
 * The client for the vendor's settings endpoint (`handler.ashx`). One keep-alive connection pool;
 * timeouts in seconds; one HTTP request per {@link VendorClient.attempt}: retrying is the outbox's
 * one loop, which backs off and honours shutdown. Never throws for vendor trouble: every outcome
 * is a {@link ChangeAttempt} whose texts never contain the API key.
 */
export class VendorClient {
  private readonly dispatcher: Dispatcher
  private readonly ownsDispatcher: boolean
  private readonly clock: Clock
  private readonly logger: Logger
  private readonly o: Required<
    Pick<
      VendorClientOptions,
      'headersTimeoutMs' | 'bodyTimeoutMs' | 'totalTimeoutMs' | 'maxBodyBytes'
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
    this.o = {
      headersTimeoutMs: opts.headersTimeoutMs ?? 10_000,
      bodyTimeoutMs: opts.bodyTimeoutMs ?? 10_000,
      totalTimeoutMs: opts.totalTimeoutMs ?? 20_000,
      maxBodyBytes: opts.maxBodyBytes ?? 16_384,
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
   * Exactly one HTTP request; the answer classified. `failed` means no usable answer came
   * (network error, timeout, 5xx): worth trying again; a refusal never is. `signal` cuts it short.
   */
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
