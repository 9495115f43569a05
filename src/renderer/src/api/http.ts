import {
  CHANNELS,
  EVENT_NAMES,
  EVENTS_PATH,
  splitChannel,
  type ApiErrorBody,
  type Channel,
  type ContractApi,
  type EventName,
  type Events,
  type RequestOf,
  type ResponseOf,
} from '../../../shared/contract'
import type { CallExportQuery } from '../../../shared/schemas'
import { saveFile as browserSaveFile } from '../download'
import { ApiError } from './errors'
import { buildHttpRequest } from '../../../shared/httpRequest'
import { SseParser } from '../../../shared/sseParser'

/**
 * State of the event stream, for the header: `refused` once the server refuses the token (revoked
 * or mistyped), after which nothing is retried.
 */
export type StreamState = 'connecting' | 'open' | 'reconnecting' | 'refused'

export interface HttpApiOptions {
  /** Origin of the local API, e.g. `http://127.0.0.1:5123` (empty: same origin). */
  baseUrl: string
  /** The API token (sent as a bearer header, never in a URL). */
  token: string
  fetch?: typeof fetch
  /** Saves a downloaded file (browser: an `<a download>`); injected for tests. */
  saveFile?: (blob: Blob, fileName: string) => void
  /** Waits before reconnecting the event stream, less when `signal` aborts; injected for tests. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>
  onStreamState?: (state: StreamState) => void
  /**
   * The service refused the token (401): it restarted with a new launch token, or a team server's
   * admin revoked this personal one, so this address expired. The event stream stops trying
   * (`refused`); requests still fail with the service's words.
   */
  onUnauthorized?: () => void
  /** Reconnect delays: starts at `minDelayMs`, doubles up to `maxDelayMs`. */
  minDelayMs?: number
  maxDelayMs?: number
}

/** Server-sent events carry the contract's event names as they are. */
const KNOWN_EVENTS = new Set<string>(EVENT_NAMES)

/** Waits `ms`, or less when `signal` aborts (the last subscriber left): then it resolves. */
function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const done = (): void => {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done)
  })
}

/** Reads the `error` text of an error answer, falling back to the status line. */
async function errorFrom(res: Response): Promise<ApiError> {
  let message = `${res.status} ${res.statusText}`.trim()
  let fields: string[] = []
  try {
    const text = await res.text()
    try {
      const body = JSON.parse(text) as Partial<ApiErrorBody>
      if (typeof body.error === 'string' && body.error) message = body.error
      if (Array.isArray(body.fields)) fields = body.fields
    } catch {
      if (text.trim()) message = text.trim().slice(0, 300)
    }
  } catch {
    // The body could not be read: the status line will do.
  }
  return new ApiError(message, res.status, fields)
}

/** Counts CSV records (newlines outside quotes) minus the header line. */
export function countCsvRows(csv: string): number {
  let lines = 0
  let quoted = false
  for (let i = 0; i < csv.length; i++) {
    const ch = csv[i]
    if (ch === '"') quoted = !quoted
    else if (ch === '\n' && !quoted) lines++
  }
  if (csv.length > 0 && !csv.endsWith('\n')) lines++
  return Math.max(0, lines - 1)
}

/**
 * The contract over the local HTTP API and its server-sent events (browser mode). Requests are
 * built generically from the contract's routes; 200/202/422 answers are results, other failures throw an
 * ApiError carrying the server's `error` text. Events arrive over a streamed fetch of
 * `GET /api/v1/events` so the token travels in a header, never in a logged URL.
 */
export function createHttpApi(options: HttpApiOptions): ContractApi {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis)
  const saveFile = options.saveFile ?? browserSaveFile
  const sleep = options.sleep ?? sleepUnlessAborted
  const auth = { authorization: `Bearer ${options.token}` }

  async function send(channel: Channel, req: unknown): Promise<Response> {
    const parts = buildHttpRequest(channel, req as RequestOf<typeof channel>)
    try {
      return await doFetch(options.baseUrl + parts.url, {
        method: parts.method,
        headers: { ...parts.headers, ...auth, accept: 'application/json' },
        body: parts.body,
      })
    } catch {
      throw new ApiError('Cannot reach the IVR Supervisor service. Is it still running?')
    }
  }

  async function request<C extends Channel>(channel: C, req: RequestOf<C>): Promise<ResponseOf<C>> {
    if (channel === 'calls:exportCsv')
      return (await exportCsv(req as CallExportQuery)) as ResponseOf<C>
    const res = await send(channel, req)
    // Change requests answer 202 (queued) and 422 (refused by the vendor) with a result body.
    if (res.ok || res.status === 422) {
      if (res.status === 204) return undefined as unknown as ResponseOf<C>
      const text = await res.text()
      return (text ? JSON.parse(text) : null) as ResponseOf<C>
    }
    if (res.status === 401) options.onUnauthorized?.()
    throw await errorFrom(res)
  }

  async function exportCsv(query: CallExportQuery): Promise<ResponseOf<'calls:exportCsv'>> {
    const res = await send('calls:exportCsv', query)
    if (res.status === 401) options.onUnauthorized?.()
    if (!res.ok) throw await errorFrom(res)
    const text = await res.text()
    const disposition = res.headers.get('content-disposition') ?? ''
    const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? 'calls.csv'
    saveFile(new Blob([text], { type: 'text/csv' }), name)
    return { saved: true, path: name, rows: countCsvRows(text) }
  }

  const handlers = new Map<EventName, Set<(payload: never) => void>>()
  let stream: AbortController | null = null

  function dispatch(name: string, data: string): void {
    if (!KNOWN_EVENTS.has(name)) return
    const set = handlers.get(name as EventName)
    if (!set || set.size === 0) return
    let payload: unknown
    try {
      payload = JSON.parse(data)
    } catch {
      return
    }
    for (const handler of [...set]) (handler as (p: unknown) => void)(payload)
  }

  async function runStream(abort: AbortController): Promise<void> {
    const min = options.minDelayMs ?? 500
    const max = options.maxDelayMs ?? 15_000
    let delay = min
    let lastEventId: string | null = null
    let first = true
    while (!abort.signal.aborted) {
      options.onStreamState?.(first ? 'connecting' : 'reconnecting')
      first = false
      try {
        const headers: Record<string, string> = { ...auth, accept: 'text/event-stream' }
        if (lastEventId) headers['last-event-id'] = lastEventId
        const res = await doFetch(`${options.baseUrl}${EVENTS_PATH}`, {
          headers,
          signal: abort.signal,
        })
        if (res.status === 401) {
          options.onStreamState?.('refused')
          options.onUnauthorized?.()
          return
        }
        if (!res.ok || !res.body) throw await errorFrom(res)
        options.onStreamState?.('open')
        delay = min
        const parser = new SseParser()
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader()
        for (;;) {
          const { value, done } = await reader.read()
          if (done) break
          for (const frame of parser.push(value)) dispatch(frame.event, frame.data)
          if (parser.lastEventId) lastEventId = parser.lastEventId
          if (parser.retryMs !== null) delay = Math.max(min, parser.retryMs)
        }
      } catch {
        // Dropped or refused: fall through to the backoff and try again.
      }
      if (abort.signal.aborted) return
      await sleep(delay, abort.signal)
      delay = Math.min(max, delay * 2)
    }
  }

  function on<E extends EventName>(event: E, handler: (payload: Events[E]) => void): () => void {
    let set = handlers.get(event)
    if (!set) handlers.set(event, (set = new Set()))
    set.add(handler as (payload: never) => void)
    if (!stream) {
      const abort = new AbortController()
      stream = abort
      void runStream(abort)
    }
    return () => {
      set.delete(handler as (payload: never) => void)
      const any = [...handlers.values()].some((s) => s.size > 0)
      if (!any && stream) {
        stream.abort()
        stream = null
      }
    }
  }

  const api: Record<string, unknown> = { on }
  for (const channel of CHANNELS) {
    const [domain, verb] = splitChannel(channel)
    const group = (api[domain] ??= {}) as Record<string, unknown>
    group[verb] = (req?: unknown) => request(channel, req as RequestOf<typeof channel>)
  }
  return api as ContractApi
}
