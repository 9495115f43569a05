/**
 * `GET /api/v1/events`: the contract's push events as server-sent events. The hub subscribes to
 * the core once, gives every event its id and keeps it for replay (`eventReplay.ts`), and writes
 * it to every open stream whose person may see it (`EVENT_MIN_ROLE`). A client coming back with
 * `Last-Event-ID` gets what it missed, or `app:reload` when that is no longer known. The browser
 * client reads it with a streamed `fetch` (it can send the bearer header), never `EventSource`
 * (which would need the token in the URL).
 */
import { once } from 'node:events'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { ServerResponse } from 'node:http'
import { EVENT_MIN_ROLE, healthFor, type EventName, type Events } from '../../shared/contract'
import { roleIncludes, type Role } from '../../shared/team'
import type { Core } from '../core/core'
import type { Logger } from '../ground/logger'
import { EventReplay, type ReplayEntry, type ReplayLimits } from './eventReplay'

/** A client this far behind is dropped; it reconnects and is replayed what it missed. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024
/** A replay is written in pieces of about this size, each after the socket drained. */
const REPLAY_CHUNK_BYTES = 64 * 1024

/** Who reads a stream: what they may see, and whose streams a revocation ends. */
export interface StreamReader {
  role: Role
  /** The account; null for the owner. */
  accountId: string | null
}

export interface SseHub {
  /** Turns the request into an event stream (the reply is hijacked). */
  open(req: FastifyRequest, reply: FastifyReply, reader: StreamReader): void
  /** Ends the streams of an account (revoked): its reconnect is then refused. */
  closeAccount(accountId: string): void
  /** Tells the streams of an account to reload (what it may see changed with its role). */
  reloadAccount(accountId: string, reason: string): void
  /** Ends every open stream, so that closing the server does not wait for them. */
  closeAll(): void
  /** Stops following the core (the server is closing for good). */
  dispose(): void
  /** How many streams are open (for tests and health). */
  readonly size: number
}

export interface SseHubOptions {
  /** Interval of the heartbeat comment (default 15 s). */
  heartbeatMs?: number
  replay?: ReplayLimits
}

/**
 * The wire form of one event: `id:` line (when given), `event:` line, one `data:` line of JSON.
 * `json` is the payload's JSON text when main has it already (a stored call: the store's text),
 * written as it is instead of stringifying the payload again.
 */
export function formatSseEvent<E extends EventName>(
  event: E,
  payload: Events[E],
  id?: string,
  json?: string,
): string {
  // JSON.stringify escapes line breaks inside strings, so the data always fits one line.
  return `${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${json ?? JSON.stringify(payload)}\n\n`
}

interface Stream {
  res: ServerResponse
  reader: StreamReader
  /** Queues a frame; written with the others of this turn of the event loop. */
  write(text: string): void
}

const mayRead = (reader: StreamReader, event: EventName): boolean =>
  roleIncludes(reader.role, EVENT_MIN_ROLE[event])

/** The frame this reader gets: some events show less below admin (see `healthFor`). */
const frameFor = (reader: StreamReader, entry: ReplayEntry): string =>
  entry.belowAdmin !== undefined && !roleIncludes(reader.role, 'admin')
    ? entry.belowAdmin
    : entry.text

export function createSseHub(
  core: Pick<Core, 'subscribe'>,
  logger: Logger,
  options: SseHubOptions = {},
): SseHub {
  const heartbeatMs = options.heartbeatMs ?? 15_000
  const streams = new Set<Stream>()
  const replay = new EventReplay(options.replay)

  // Each event is made into text once, whoever reads it, and kept for replay.
  const unsubscribe = core.subscribe((event, payload, json) => {
    let entry: ReplayEntry
    try {
      entry = replay.record(event, (id) => formatSseEvent(event, payload, id, json))
      if (event === 'health:changed')
        entry.belowAdmin = formatSseEvent(
          'health:changed',
          healthFor('viewer', payload as Events['health:changed']),
          entry.id,
        )
    } catch (err) {
      logger.error('api: could not send an event', { event, error: String(err) })
      return
    }
    for (const s of streams) if (mayRead(s.reader, event)) s.write(frameFor(s.reader, entry))
  })

  /** The reload signal, carrying the current id so the client stands at "now" afterwards. */
  const reloadFrame = (reason: string): string =>
    formatSseEvent('app:reload', { reason }, replay.currentId())

  function open(req: FastifyRequest, reply: FastifyReply, reader: StreamReader): void {
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

    // Events are written once per turn of the event loop, together: a burst of pushes answered
    // in one turn costs one socket write, not one per call. While a replay is being written,
    // live events wait behind it.
    let queued: string[] = []
    let queuedBytes = 0
    let replaying = false
    const gone = (): boolean => res.writableEnded || res.destroyed
    const drop = (): void => {
      logger.warn('api: dropping a server-sent-events client that does not keep up')
      res.destroy()
    }
    const flush = (): void => {
      if (replaying) return
      const text = queued.join('')
      queued = []
      queuedBytes = 0
      if (text === '' || gone()) return
      if (res.writableLength > MAX_BUFFERED_BYTES) return drop()
      res.write(text)
    }
    const stream: Stream = {
      res,
      reader,
      write(text) {
        if (gone()) return
        if (queued.length === 0) setImmediate(flush)
        queued.push(text)
        queuedBytes += text.length
        if (queuedBytes > MAX_BUFFERED_BYTES) {
          if (replaying) drop()
          else flush()
        }
      },
    }
    streams.add(stream)
    const heartbeat = setInterval(() => stream.write(': heartbeat\n\n'), heartbeatMs)
    heartbeat.unref()
    res.on('close', () => {
      clearInterval(heartbeat)
      streams.delete(stream)
    })

    // A comment straight away, so the client's fetch resolves before the first event.
    const last = req.headers['last-event-id']
    if (typeof last !== 'string' || last.trim() === '') {
      // Where this client stands, so that it can resume even if no event comes before it leaves.
      res.write(`: connected\nid: ${replay.currentId()}\n\n`)
      return
    }
    res.write(': connected\n\n')
    const resume = replay.resume(last)
    if ('reload' in resume) {
      res.write(reloadFrame(resume.reload))
      return
    }
    // Taken now, with the stream already registered: nothing falls between replay and live.
    const missed = resume.replay
      .filter((e) => mayRead(reader, e.event))
      .map((e) => frameFor(reader, e))
    if (missed.length === 0) return
    replaying = true
    void writeReplay(res, missed).finally(() => {
      replaying = false
      flush()
    })
  }

  return {
    get size() {
      return streams.size
    },
    open,
    closeAccount(accountId) {
      for (const s of streams) if (s.reader.accountId === accountId) s.res.end()
    },
    reloadAccount(accountId, reason) {
      for (const s of streams) if (s.reader.accountId === accountId) s.write(reloadFrame(reason))
    },
    closeAll() {
      for (const s of streams) s.res.end()
    },
    dispose: unsubscribe,
  }
}

/** Writes the missed events in pieces, each once the socket drained, so memory stays bounded. */
async function writeReplay(res: ServerResponse, texts: string[]): Promise<void> {
  let chunk = ''
  for (const text of texts) {
    chunk += text
    if (chunk.length < REPLAY_CHUNK_BYTES) continue
    if (res.writableEnded || res.destroyed) return
    if (!res.write(chunk)) await Promise.race([once(res, 'drain'), once(res, 'close')])
    chunk = ''
  }
  if (chunk !== '' && !res.writableEnded && !res.destroyed) res.write(chunk)
}
