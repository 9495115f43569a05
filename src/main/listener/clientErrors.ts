import { STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'
import type { Logger } from '../ground/logger'
import type { Gate, MissLimiter } from './gate'
import { parseUrlEncoded, type ParamPairs } from './params'

/** What a request refused by Node's HTTP parser showed of itself, for the rejected log. */
export interface UnreadableRequest {
  method: string
  params: ParamPairs
  reason: string
  remoteAddress: string | null
}

export interface ClientErrorDeps {
  gate: Gate
  limiter: MissLimiter | null
  /** Keeps a refused request that carried our token (durably; rejects if it could not). */
  keep: (request: UnreadableRequest) => Promise<void>
  logger: Logger
}

/** The most of a refused request's URL that is read for the rejected log. */
const MAX_URL_BYTES = 64 * 1024

/** Node's parser errors in words a supervisor can act on (the code is added to every reason). */
const REASONS: Record<string, string> = {
  HPE_HEADER_OVERFLOW: 'The request line and headers are larger than 16 KiB',
  HPE_INVALID_URL:
    'The URL holds characters that are not allowed there (unencoded spaces, bytes above 127, control characters)',
  HPE_INVALID_CONSTANT: 'The request line could not be read (an unencoded space in the URL?)',
  HPE_INVALID_METHOD: 'The request does not start with an HTTP method',
}

/**
 * Answers a request Node's HTTP parser refused (header section over 16 KiB, bad bytes in the URL,
 * a broken request line or header, a client too slow to send its request) in the vendor's words,
 * as plain text, instead of Node's or fastify's own answer: `431` or `400 Invalid Data` when the
 * request cannot be read, `408 Failure` when it did not arrive in time (the vendor retries).
 * When the request line shows our route and token, the request is kept in the rejected log with
 * the method and the query parameters that could be read (never the token), and the answer waits
 * until it is durably there. The answer never depends on the token, so it reveals nothing.
 */
export function clientErrorHandler(deps: ClientErrorDeps) {
  return (err: Error & { code?: string; rawPacket?: unknown }, socket: Duplex): void => {
    // A reset connection has nobody left to answer.
    if (err.code === 'ECONNRESET' || socket.destroyed) return
    const timeout = err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
    const status = timeout ? 408 : err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400
    const answer = (code: number, text: string): void => {
      if (socket.destroyed) return
      if (!socket.writable) return void socket.destroy()
      const head =
        `HTTP/1.1 ${code} ${STATUS_CODES[code]}\r\n` +
        'Content-Type: text/plain; charset=utf-8\r\nCache-Control: no-store\r\n' +
        `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n`
      socket.end(head + text, () => socket.destroy())
    }
    const words = timeout ? 'Failure' : 'Invalid Data'
    const remoteAddress = (socket as Duplex & { remoteAddress?: string }).remoteAddress ?? null
    const line = !timeout && Buffer.isBuffer(err.rawPacket) ? requestLine(err.rawPacket) : null
    if (!line || !deps.gate.passes(line.method, line.url)) {
      // Not ours, or nothing readable: a miss like any other (counted, never kept).
      if (remoteAddress) deps.limiter?.miss(remoteAddress)
      if (timeout) deps.logger.debug('listener: a client was too slow to send its request')
      return answer(status, words)
    }
    const q = line.url.indexOf('?')
    const reason = `${REASONS[err.code ?? ''] ?? 'The request could not be read'} (${err.code ?? 'unknown'}); it was not processed.`
    deps
      .keep({
        method: line.method,
        params: q === -1 ? [] : parseUrlEncoded(deps.gate.redact(line.url.slice(q + 1))),
        reason,
        remoteAddress,
      })
      .then(
        () => answer(status, words),
        (keepErr: unknown) => {
          deps.logger.error('rejected push could not be kept', { error: String(keepErr) })
          answer(503, 'Failure')
        },
      )
  }
}

/**
 * The method and URL of the request line at the start of `raw`, leniently: the URL is whatever
 * lies between the method and the last ` HTTP/` of the line, spaces and all, decoded as UTF-8.
 */
function requestLine(raw: Buffer): { method: string; url: string } | null {
  if (raw.length === 0) return null
  let end = raw.indexOf(10)
  if (end === -1 || end > MAX_URL_BYTES) end = Math.min(raw.length, MAX_URL_BYTES)
  const text = raw.toString('utf8', 0, end).replace(/\r$/, '')
  const m = /^([A-Z]{1,16}) (.+?)(?: HTTP\/\d(?:\.\d)?)?$/.exec(text)
  return m ? { method: m[1]!, url: m[2]! } : null
}
