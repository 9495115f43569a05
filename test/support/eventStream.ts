/** Reads a server's event stream in a test: every frame, as the clients parse it. */
import { request, type Dispatcher } from 'undici'
import { EVENTS_PATH } from '../../src/shared/contract'
import { SseParser, type SseFrame } from '../../src/shared/sseParser'

export interface OpenStream {
  status: number
  frames: SseFrame[]
  /** The id the stream stands at (the last complete frame's). */
  lastEventId(): string | null
  /** Resolves once `pred` holds for the frames so far (rejects when the stream ends first). */
  until(pred: (frames: SseFrame[]) => boolean, what?: string): Promise<SseFrame[]>
  /** Resolves when the server ends the stream. */
  ended: Promise<void>
  close(): void
}

export async function openStream(
  base: string,
  token: string,
  opts: { lastEventId?: string; dispatcher?: Dispatcher } = {},
): Promise<OpenStream> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` }
  if (opts.lastEventId) headers['last-event-id'] = opts.lastEventId
  const res = await request(base + EVENTS_PATH, { headers, dispatcher: opts.dispatcher })
  const parser = new SseParser()
  const frames: SseFrame[] = []
  const waiters = new Set<() => void>()
  let done = false
  res.body.setEncoding('utf8')
  const ended = (async () => {
    try {
      for await (const chunk of res.body) {
        frames.push(...parser.push(chunk as string))
        for (const w of [...waiters]) w()
      }
    } catch {
      // Closed by the test or cut by the server: either way the stream is over.
    } finally {
      done = true
      for (const w of [...waiters]) w()
    }
  })()
  return {
    status: res.statusCode,
    frames,
    lastEventId: () => parser.lastEventId,
    until(pred, what = 'the expected events') {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (pred(frames)) {
            waiters.delete(check)
            resolve(frames)
          } else if (done) {
            waiters.delete(check)
            reject(new Error(`the stream ended before ${what}; got ${frames.length} frames`))
          }
        }
        waiters.add(check)
        check()
      })
    },
    ended,
    close: () => res.body.destroy(),
  }
}
