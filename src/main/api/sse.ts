/**
 * `GET /api/v1/events`: the contract's push events as server-sent events. Each stream subscribes
 * to the core on its own and unsubscribes when the client goes away, so a closed browser tab
 * leaves nothing behind. The browser client reads it with a streamed `fetch` (it can send the
 * bearer header), never `EventSource` (which would need the token in the URL).
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { ServerResponse } from 'node:http'
import type { EventName, Events } from '../../shared/contract'
import type { Core } from '../core/core'
import type { Logger } from '../ground/logger'
import { knownJson } from '../events/bus'

/** A client this far behind is dropped; it reconnects and refetches instead of eating memory. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024

export interface SseHub {
  /** Turns the request into an event stream (the reply is hijacked). */
  open(req: FastifyRequest, reply: FastifyReply): void
  /** Ends every open stream, so that closing the server does not wait for them. */
  closeAll(): void
  /** How many streams are open (for tests and health). */
  readonly size: number
}

/** The wire form of one event: `event:` line, one `data:` line of JSON, blank line. */
export function formatSseEvent<E extends EventName>(event: E, payload: Events[E]): string {
  // JSON.stringify escapes line breaks inside strings, so the data always fits one line.
  return `event: ${event}\ndata: ${dataOf(event, payload)}\n\n`
}

/**
 * The JSON of a payload. A stored call's comes from the text the store already made for its
 * journal when there is one (see `knownJson`): the same text `JSON.stringify` would give, made
 * once per push instead of twice.
 */
function dataOf<E extends EventName>(event: E, payload: Events[E]): string {
  if (event === 'call:stored') {
    const { call, outcome } = payload as Events['call:stored']
    const json = knownJson.get(call)
    if (json !== undefined) return `{"call":${json},"outcome":${JSON.stringify(outcome)}}`
  }
  return JSON.stringify(payload)
}

export function createSseHub(
  core: Pick<Core, 'subscribe'>,
  logger: Logger,
  heartbeatMs = 15_000,
): SseHub {
  const open = new Set<ServerResponse>()
  // Every stream gets the same payload object for an event: its text is made once, not once per
  // open stream.
  const texts = new WeakMap<object, { event: EventName; text: string }>()
  const textOf = <E extends EventName>(event: E, payload: Events[E]): string => {
    if (typeof payload !== 'object' || payload === null) return formatSseEvent(event, payload)
    const known = texts.get(payload)
    if (known?.event === event) return known.text
    const text = formatSseEvent(event, payload)
    texts.set(payload, { event, text })
    return text
  }

  return {
    get size() {
      return open.size
    },

    open(req, reply) {
      reply.hijack()
      const res = reply.raw
      res.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        // The stream owns the connection: when it ends, the socket goes too.
        connection: 'close',
        'x-accel-buffering': 'no',
      })
      req.raw.socket.setNoDelay(true)
      req.raw.socket.setKeepAlive(true)
      open.add(res)

      // Events are written once per turn of the event loop, together: a burst of pushes answered
      // in one turn costs one socket write, not one per call.
      let queued: string[] = []
      let queuedBytes = 0
      const flush = (): void => {
        const text = queued.join('')
        queued = []
        queuedBytes = 0
        if (text === '' || res.writableEnded || res.destroyed) return
        if (res.writableLength > MAX_BUFFERED_BYTES) {
          logger.warn('api: dropping a server-sent-events client that does not keep up')
          res.destroy()
          return
        }
        res.write(text)
      }
      const write = (text: string): void => {
        if (res.writableEnded || res.destroyed) return
        if (queued.length === 0) setImmediate(flush)
        queued.push(text)
        queuedBytes += text.length
        if (queuedBytes > MAX_BUFFERED_BYTES) flush()
      }

      const unsubscribe = core.subscribe((event, payload) => {
        try {
          write(textOf(event, payload))
        } catch (err) {
          logger.error('api: could not send an event', { event, error: String(err) })
        }
      })
      const heartbeat = setInterval(() => write(': heartbeat\n\n'), heartbeatMs)
      heartbeat.unref()

      res.on('close', () => {
        clearInterval(heartbeat)
        unsubscribe()
        open.delete(res)
      })
      // A comment straight away, so the client's fetch resolves before the first event.
      res.write(': connected\n\n')
    },

    closeAll() {
      for (const res of open) res.end()
    },
  }
}
