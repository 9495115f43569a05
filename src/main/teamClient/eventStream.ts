/**
 * A team server's event stream, followed from main: reconnects by itself (backoff from 0.5 s to
 * 15 s) and sends the last id it saw, so the server replays what was missed or says `app:reload`.
 * A stream silent for longer than three heartbeats is taken for dead and reopened: after a laptop
 * sleeps, its socket can look open while nothing will ever arrive on it.
 */
import { request, type Dispatcher } from 'undici'
import { EVENTS_PATH, EVENT_NAMES, type EventName } from '../../shared/contract'
import { SseParser } from '../../shared/sseParser'
import { sleepUnlessAborted } from '../ground/sleep'

export type StreamState =
  | { state: 'connecting' | 'connected'; error: null }
  | { state: 'unreachable'; error: string }
  /** The server refused the token (revoked or mistyped): nothing is retried. */
  | { state: 'refused'; error: string }

export interface EventStreamOptions {
  baseUrl: string
  token: string
  dispatcher?: Dispatcher
  onEvent: (event: EventName, payload: unknown) => void
  onState: (state: StreamState) => void
  /** The server's heartbeat is 15 s: silence for this long means the stream is gone. */
  silenceMs?: number
  minDelayMs?: number
  maxDelayMs?: number
}

const KNOWN = new Set<string>(EVENT_NAMES)

export class EventStreamClient {
  private lastEventId: string | null = null
  private abort: AbortController | null = null
  private running: Promise<void> | null = null

  constructor(private readonly opts: EventStreamOptions) {}

  start(): void {
    if (this.running) return
    const abort = new AbortController()
    this.abort = abort
    this.running = this.run(abort.signal)
  }

  async stop(): Promise<void> {
    this.abort?.abort()
    await this.running
    this.running = null
  }

  private async run(signal: AbortSignal): Promise<void> {
    const min = this.opts.minDelayMs ?? 500
    const max = this.opts.maxDelayMs ?? 15_000
    let delay = min
    while (!signal.aborted) {
      this.opts.onState({ state: 'connecting', error: null })
      let error: string
      try {
        const headers: Record<string, string> = {
          authorization: `Bearer ${this.opts.token}`,
          accept: 'text/event-stream',
        }
        if (this.lastEventId) headers['last-event-id'] = this.lastEventId
        const res = await request(this.opts.baseUrl + EVENTS_PATH, {
          headers,
          signal,
          dispatcher: this.opts.dispatcher,
          headersTimeout: this.opts.silenceMs ?? 45_000,
          bodyTimeout: this.opts.silenceMs ?? 45_000,
        })
        if (res.statusCode === 401) {
          await res.body.dump()
          this.opts.onState({
            state: 'refused',
            error:
              'The team server refused this personal token: it was revoked or mistyped. Connect again with a new one.',
          })
          return
        }
        if (res.statusCode !== 200) {
          error = `The team server answered ${res.statusCode} to the event stream`
          await res.body.dump()
        } else {
          this.opts.onState({ state: 'connected', error: null })
          delay = min
          await this.read(res.body)
          error = 'The team server closed the event stream'
        }
      } catch (err) {
        if (signal.aborted) return
        const code = (err as { code?: unknown }).code
        error = `The team server cannot be reached (${typeof code === 'string' ? code : (err as Error).message})`
      }
      if (signal.aborted) return
      this.opts.onState({ state: 'unreachable', error })
      await sleepUnlessAborted(delay, signal)
      delay = Math.min(max, delay * 2)
    }
  }

  private async read(body: Dispatcher.ResponseData['body']): Promise<void> {
    const parser = new SseParser()
    body.setEncoding('utf8')
    for await (const chunk of body) {
      for (const frame of parser.push(chunk as string)) {
        if (!KNOWN.has(frame.event)) continue
        let payload: unknown
        try {
          payload = JSON.parse(frame.data)
        } catch {
          continue
        }
        this.opts.onEvent(frame.event as EventName, payload)
      }
      if (parser.lastEventId) this.lastEventId = parser.lastEventId
    }
  }
}
