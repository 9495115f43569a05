import { describe, expect, it, vi } from 'vitest'
import { createHttpApi, countCsvRows, type StreamState } from '../../../src/renderer/src/api/http'
import { ApiError } from '../../../src/renderer/src/api/errors'
import { buildHttpRequest } from '../../../src/shared/httpRequest'
import { SseParser } from '../../../src/shared/sseParser'
import { change } from './fixtures'

interface Seen {
  url: string
  method: string
  headers: Record<string, string>
  body: string | undefined
}

/** A fetch that records requests and answers from a queue of responses. */
function fakeFetch(answer: (req: Seen) => Response | Promise<Response>) {
  const seen: Seen[] = []
  const fetch = (async (url: string, init: RequestInit = {}) => {
    const req: Seen = {
      url,
      method: init.method ?? 'GET',
      headers: init.headers as Record<string, string>,
      body: init.body as string | undefined,
    }
    seen.push(req)
    return answer(req)
  }) as typeof globalThis.fetch
  return { fetch, seen }
}

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

describe('requests built from the routes of the contract', () => {
  it('puts path parameters in the path and the rest in the query string for GET', () => {
    expect(buildHttpRequest('calls:list', { status: 'MISSED', limit: 20, q: 'a b' })).toMatchObject(
      {
        method: 'GET',
        url: '/api/v1/calls?status=MISSED&limit=20&q=a+b',
      },
    )
    expect(buildHttpRequest('calls:byCaller', { number: '+919876543210' }).url).toBe(
      '/api/v1/callers/%2B919876543210/calls',
    )
    expect(buildHttpRequest('agents:remove', { number: '98765' })).toMatchObject({
      method: 'DELETE',
      url: '/api/v1/agents/98765',
    })
  })

  it('sends the rest as a JSON body otherwise, and nothing for empty requests', () => {
    const put = buildHttpRequest('agents:setStatus', { number: '9876543210', status: 'OFF' })
    expect(put).toMatchObject({ method: 'PUT', url: '/api/v1/agents/9876543210/status' })
    expect(JSON.parse(put.body ?? '')).toEqual({ status: 'OFF' })
    expect(put.headers['content-type']).toBe('application/json')
    const hours = buildHttpRequest('officeHours:set', {
      day: 'Monday',
      start: '09:00',
      end: '18:00',
    })
    expect(hours.url).toBe('/api/v1/office-hours/Monday')
    expect(JSON.parse(hours.body ?? '')).toEqual({ start: '09:00', end: '18:00' })
    const test = buildHttpRequest('connection:testPush', undefined)
    expect(test).toMatchObject({ method: 'POST', url: '/api/v1/connection/test-push' })
    expect(test.body).toBeUndefined()
    expect(test.headers['content-type']).toBeUndefined()
  })

  it('sends the rawBody field as the whole body with its content type', () => {
    const r = buildHttpRequest('agents:import', { csv: 'name,number\nAsha,9876543210\n' })
    expect(r).toMatchObject({ method: 'POST', url: '/api/v1/agents/import' })
    expect(r.body).toBe('name,number\nAsha,9876543210\n')
    expect(r.headers['content-type']).toBe('text/csv')
  })

  it('refuses a request missing a path parameter', () => {
    expect(() => buildHttpRequest('calls:get', { id: '' })).toThrow(/id/)
  })
})

describe('HTTP transport', () => {
  it('calls the right URL with the bearer token and returns the body', async () => {
    const { fetch, seen } = fakeFetch(() => json(200, { calls: [], total: 0, nextCursor: null }))
    const api = createHttpApi({ baseUrl: 'http://127.0.0.1:9', token: 'tok', fetch })
    const page = await api.calls.list({ department: 'Sales' })
    expect(page.total).toBe(0)
    expect(seen[0]?.url).toBe('http://127.0.0.1:9/api/v1/calls?department=Sales')
    expect(seen[0]?.headers.authorization).toBe('Bearer tok')
  })

  it('treats 202 (queued) and 422 (refused) answers as results', async () => {
    const queued = { change: change('a', '1'), message: 'Queued' }
    const refused = {
      change: change('b', '2', { state: 'refused', vendorAnswer: 'Invalid Agent Number' }),
      message: 'Refused',
    }
    const answers = [json(202, queued), json(422, refused)]
    const { fetch } = fakeFetch(() => answers.shift() ?? json(500, {}))
    const api = createHttpApi({ baseUrl: '', token: 't', fetch })
    expect((await api.agents.setStatus({ number: '1', status: 'OFF' })).message).toBe('Queued')
    const r = await api.agents.setStatus({ number: '2', status: 'OFF' })
    expect(r.change.vendorAnswer).toBe('Invalid Agent Number')
  })

  it("throws an ApiError with the server's error text and fields", async () => {
    const { fetch } = fakeFetch(() => json(400, { error: 'Name is required', fields: ['name'] }))
    const api = createHttpApi({ baseUrl: '', token: 't', fetch })
    const err = await api.agents.add({ number: '1', name: '' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect((err as ApiError).message).toBe('Name is required')
    expect((err as ApiError).status).toBe(400)
    expect((err as ApiError).fields).toEqual(['name'])
  })

  it('says when the token is refused (the link expired), for requests and the event stream', async () => {
    let expired = 0
    const { fetch } = fakeFetch(() => json(401, { error: 'Unauthorized: send Authorization' }))
    const api = createHttpApi({
      baseUrl: 'http://127.0.0.1:1',
      token: 'old-token',
      fetch,
      onUnauthorized: () => expired++,
      sleep: async () => {},
    })
    await expect(api.health.get()).rejects.toBeInstanceOf(ApiError)
    expect(expired).toBe(1)
    const off = api.on('call:stored', () => {})
    await vi.waitFor(() => expect(expired).toBe(2))
    off()
  })

  it('says the service cannot be reached when fetch fails', async () => {
    const fetch = (async () => {
      throw new TypeError('fetch failed')
    }) as typeof globalThis.fetch
    const api = createHttpApi({ baseUrl: '', token: 't', fetch })
    await expect(api.health.get()).rejects.toThrow(/Cannot reach/)
  })

  it('downloads the CSV export with the token in a header and counts its rows', async () => {
    const csv = 'id,note\n1,"two\nlines"\n2,x\n'
    const { fetch, seen } = fakeFetch(
      () =>
        new Response(csv, {
          status: 200,
          headers: { 'content-disposition': 'attachment; filename="calls-2026.csv"' },
        }),
    )
    const saved: { name: string; text: string }[] = []
    const api = createHttpApi({
      baseUrl: '',
      token: 't',
      fetch,
      saveFile: (blob, name) => void blob.text().then((text) => saved.push({ name, text })),
    })
    const r = await api.calls.exportCsv({ status: 'MISSED' })
    expect(r).toEqual({ saved: true, path: 'calls-2026.csv', rows: 2 })
    expect(seen[0]?.url).toBe('/api/v1/calls.csv?status=MISSED')
    expect(seen[0]?.headers.authorization).toBe('Bearer t')
    await new Promise((r) => setTimeout(r, 0))
    expect(saved).toEqual([{ name: 'calls-2026.csv', text: csv }])
    expect(countCsvRows('a\n')).toBe(0)
  })
})

describe('SSE parsing', () => {
  it('parses frames split anywhere, including inside CRLF', () => {
    const p = new SseParser()
    const text =
      ': hello\r\nevent: call\r\nid: 7\r\ndata: {"a":\r\ndata: 1}\r\n\r\nevent: x\ndata: 2\n\n'
    const frames = []
    for (const ch of text) frames.push(...p.push(ch))
    expect(frames).toEqual([
      { event: 'call', data: '{"a":\n1}', id: '7' },
      { event: 'x', data: '2', id: '7' },
    ])
    expect(p.lastEventId).toBe('7')
  })

  it('ignores frames without data and reads retry advice', () => {
    const p = new SseParser()
    expect(p.push('event: ping\n\nretry: 3000\n\n')).toEqual([])
    expect(p.retryMs).toBe(3000)
  })
})

/** A response whose body the test writes chunk by chunk. */
function streamingResponse() {
  let controller!: ReadableStreamDefaultController<Uint8Array>
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) })
  const enc = new TextEncoder()
  return {
    response: new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } }),
    write: (text: string) => controller.enqueue(enc.encode(text)),
    end: () => controller.close(),
  }
}

const tick = () => new Promise((r) => setTimeout(r, 5))

describe('HTTP transport events', () => {
  it('reads events by their contract names, reconnects with backoff, and stops when unsubscribed', async () => {
    const streams: ReturnType<typeof streamingResponse>[] = []
    const delays: number[] = []
    const states: StreamState[] = []
    let attempts = 0
    const { fetch, seen } = fakeFetch((req) => {
      if (!req.url.endsWith('/api/v1/events')) return json(404, { error: 'no' })
      attempts++
      if (attempts === 2) return json(503, { error: 'busy' })
      if (attempts > 3) throw new Error('too many attempts')
      const s = streamingResponse()
      streams.push(s)
      return s.response
    })
    const api = createHttpApi({
      baseUrl: '',
      token: 'tok',
      fetch,
      sleep: async (ms) => {
        delays.push(ms)
        await tick()
      },
      onStreamState: (s) => states.push(s),
      minDelayMs: 100,
    })
    const calls: string[] = []
    const agents: string[] = []
    const offCall = api.on('call:stored', (e) => calls.push(e.call.id))
    const offAgent = api.on('agent:updated', (a) => agents.push(a.name))
    await vi.waitFor(() => expect(streams).toHaveLength(1))
    expect(seen[0]?.headers.authorization).toBe('Bearer tok')
    const first = streams[0]!
    first.write('event: call:stored\ndata: {"call":{"id":"c1"},"outc')
    first.write('ome":"created"}\n\nid: 5\nevent: agent:updated\ndata: {"name":"Asha"}\n\n')
    first.write('event: unknown\ndata: {}\n\nevent: call:stored\ndata: not json\n\n')
    await tick()
    expect(calls).toEqual(['c1'])
    expect(agents).toEqual(['Asha'])

    first.end() // dropped: one refused attempt (503), then a new stream
    await vi.waitFor(() => expect(streams).toHaveLength(2))
    await vi.waitFor(() => expect(states).toHaveLength(5))
    expect(streams).toHaveLength(2)
    expect(delays).toEqual([100, 200])
    expect(seen.at(-1)?.headers['last-event-id']).toBe('5')
    expect(states).toEqual(['connecting', 'open', 'reconnecting', 'reconnecting', 'open'])
    streams[1]!.write('event: call:stored\ndata: {"call":{"id":"c2"},"outcome":"created"}\n\n')
    await tick()
    expect(calls).toEqual(['c1', 'c2'])

    offCall()
    streams[1]!.write('event: call:stored\ndata: {"call":{"id":"c3"},"outcome":"created"}\n\n')
    await tick()
    expect(calls).toEqual(['c1', 'c2'])
    offAgent()
    const count = seen.length
    await tick()
    expect(seen.length).toBe(count)
  })
})

describe('HTTP transport refused', () => {
  it('stops for good once the server refuses the token (revoked), and says so', async () => {
    const states: StreamState[] = []
    let attempts = 0
    const { fetch } = fakeFetch(() => {
      attempts++
      return json(401, { error: 'Unauthorized: this token is not valid here' })
    })
    const api = createHttpApi({
      baseUrl: '',
      token: 'tok',
      fetch,
      sleep: async () => void (await tick()),
      onStreamState: (s) => states.push(s),
    })
    const off = api.on('call:stored', () => {})
    await vi.waitFor(() => expect(states).toEqual(['connecting', 'refused']))
    await tick()
    await tick()
    expect(attempts).toBe(1)
    off()
  })
})
