import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { request as httpRequest } from 'node:http'
import { connect } from 'node:net'
import { networkInterfaces, tmpdir } from 'node:os'
import { join } from 'node:path'
import { request } from 'undici'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { ApiServer, generateApiToken } from '../../../src/main/api/server'
import { changeResult, makeFakeCore, type FakeCore } from '../../unit/api/fakeCore'
import { recordingLogger } from '../../unit/api/helpers'

const TOKEN = generateApiToken()
const AUTH = { authorization: `Bearer ${TOKEN}` }

let tmp: string
let webDir: string
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'ivrs-api-'))
  webDir = join(tmp, 'web')
  await mkdir(join(webDir, 'assets'), { recursive: true })
  await writeFile(join(tmp, 'secret.txt'), 'TOP-SECRET-OUTSIDE')
  await writeFile(join(webDir, 'index.html'), '<!doctype html><title>IVR Supervisor</title>')
  await writeFile(join(webDir, 'assets', 'app.js'), 'console.log("app")')
  await writeFile(join(webDir, '.env'), 'DOTFILE-SECRET')
})
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true })
})

let server: ApiServer | null = null
afterEach(async () => {
  await server?.stop()
  server = null
})

async function start(
  opts: { staticDir?: string | null; heartbeatMs?: number } = {},
): Promise<{ fake: FakeCore; base: string; port: number }> {
  const fake = makeFakeCore()
  server = new ApiServer({
    core: fake.core,
    token: TOKEN,
    port: 0,
    staticDir: opts.staticDir ?? null,
    logger: recordingLogger(),
    heartbeatMs: opts.heartbeatMs,
  })
  const { port } = await server.start()
  return { fake, base: `http://127.0.0.1:${port}`, port }
}

/** Reads an undici body as text until `done(text)` holds; answers the text so far. */
function reader(body: AsyncIterable<Buffer>) {
  const it = body[Symbol.asyncIterator]()
  let text = ''
  return {
    async until(done: (text: string) => boolean): Promise<string> {
      while (!done(text)) {
        const next = await it.next()
        if (next.done) throw new Error(`stream ended before the condition; got: ${text}`)
        text += Buffer.from(next.value).toString('utf8')
      }
      return text
    },
    async toEnd(): Promise<string> {
      for (let n = await it.next(); !n.done; n = await it.next()) {
        text += Buffer.from(n.value).toString('utf8')
      }
      return text
    },
  }
}

/** A raw request whose path is sent exactly as written (no URL normalisation by a client). */
function rawGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port })
    s.once('connect', () => {
      s.destroy()
      resolve(true)
    })
    s.once('error', () => resolve(false))
  })
}

describe('ApiServer', () => {
  it('binds 127.0.0.1 only', async () => {
    const { port } = await start()
    const address = server!.app.server.address()
    expect(address).toMatchObject({ address: '127.0.0.1', family: 'IPv4', port })
    expect(await canConnect('127.0.0.1', port)).toBe(true)
    expect(await canConnect('::1', port)).toBe(false)
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal)
    if (external) expect(await canConnect(external.address, port)).toBe(false)
  })

  it('generates distinct 256-bit base64url tokens', () => {
    const a = generateApiToken()
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(generateApiToken()).not.toBe(a)
  })

  it('answers a change request over the socket with its status', async () => {
    const { fake, base } = await start()
    fake.answer('agents:setStatus', () => changeResult('pending'))
    const res = await request(`${base}/api/v1/agents/9876543210/status`, {
      method: 'PUT',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'AVAIL' }),
    })
    expect(res.statusCode).toBe(202)
    expect(res.headers['cache-control']).toBe('no-store')
    expect(((await res.body.json()) as { change: { state: string } }).change.state).toBe('pending')
    expect(fake.calls[0]!.req).toEqual({ number: '9876543210', status: 'AVAIL' })
  })
})

describe('CSV export', () => {
  it('streams the rows with content type and file name', async () => {
    const { fake, base } = await start()
    const rows = Array.from({ length: 5000 }, (_, i) => `c${i},ANSWER\r\n`)
    fake.csv.chunks = ['id,status\r\n']
    for (let i = 0; i < rows.length; i += 100) fake.csv.chunks.push(rows.slice(i, i + 100).join(''))
    const res = await request(
      `${base}/api/v1/calls.csv?from=2026-01-01&to=2026-01-31&status=MISSED`,
      {
        headers: AUTH,
      },
    )
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="calls-2026-01-01-2026-01-31.csv"',
    )
    const text = await res.body.text()
    const lines = text.split('\r\n').filter(Boolean)
    expect(lines).toHaveLength(5001)
    expect(lines[0]).toBe('id,status')
    expect(lines[5000]).toBe('c4999,ANSWER')
    expect(fake.csvQueries).toEqual([{ from: '2026-01-01', to: '2026-01-31', status: 'MISSED' }])
  })

  it('produces only what a slow client takes, and stops when it leaves', async () => {
    const { fake, base } = await start()
    const chunk = 'x'.repeat(64 * 1024 - 2) + '\r\n'
    fake.csv.chunks = Array.from({ length: 800 }, () => chunk) // 51 MB if all were produced
    const res = await request(`${base}/api/v1/calls.csv`, { headers: AUTH })
    expect(res.headers['content-disposition']).toBe('attachment; filename="calls-all-all.csv"')
    await reader(res.body).until((t) => t.length > 0)
    res.body.destroy()
    await vi.waitFor(() => expect(fake.csv.returned).toBe(1))
    expect(fake.csv.produced).toBeLessThan(800)
  })

  it('answers an error status when the export cannot start', async () => {
    const { fake, base } = await start()
    fake.csv.failAt = 0
    const res = await request(`${base}/api/v1/calls.csv`, { headers: AUTH })
    expect(res.statusCode).toBe(500)
    expect(await res.body.json()).toEqual({ error: 'Internal error' })
  })
})

describe('server-sent events', () => {
  it('delivers every event with its id, through one subscription for all streams', async () => {
    const { fake, base } = await start()
    const res = await request(`${base}/api/v1/events`, { headers: AUTH })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8')
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    const r = reader(res.body)
    // A fresh stream is told where it stands, so it can resume even before its first event.
    const preamble = await r.until((t) => t.includes('\n\n'))
    const epoch = /^: connected\nid: ([0-9a-f]+)\.0\n\n$/.exec(preamble)?.[1]
    expect(epoch, preamble).toBeTruthy()
    const second = await request(`${base}/api/v1/events`, { headers: AUTH })
    await reader(second.body).until((t) => t.includes(': connected'))
    expect(fake.subscribers).toBe(1)

    const call = { id: 'c-1', callerNumber: '+919876543210', note: 'line\nbreak' }
    fake.emit('call:stored', { call: call as never, outcome: 'created' })
    fake.emit('agent:removed', { number: '9876543210' })
    const text = await r.until((t) => t.includes('event: agent:removed'))
    const frames = text.split('\n\n').filter((f) => f.startsWith('id:'))
    expect(frames[0]).toBe(
      `id: ${epoch}.1\nevent: call:stored\ndata: ${JSON.stringify({ call, outcome: 'created' })}`,
    )
    expect(frames[1]).toBe(`id: ${epoch}.2\nevent: agent:removed\ndata: {"number":"9876543210"}`)

    res.body.destroy()
    second.body.destroy()
    await server!.stop()
    server = null
    expect(fake.subscribers).toBe(0)
  })

  it('sends heartbeat comments', async () => {
    const { base } = await start({ heartbeatMs: 20 })
    const res = await request(`${base}/api/v1/events`, { headers: AUTH })
    await reader(res.body).until((t) => t.includes(': heartbeat\n\n'))
    res.body.destroy()
  })

  it('refuses a stream without the token', async () => {
    const { fake, base } = await start()
    const res = await request(`${base}/api/v1/events`)
    expect(res.statusCode).toBe(401)
    expect(await res.body.text()).not.toContain('event:')
    fake.emit('agent:removed', { number: '9876543210' })
  })

  it('ends open streams when the server stops, so stop does not hang', async () => {
    const { fake, base } = await start()
    const res = await request(`${base}/api/v1/events`, { headers: AUTH })
    const r = reader(res.body)
    await r.until((t) => t.includes(': connected'))
    await server!.stop()
    server = null
    await r.toEnd()
    expect(fake.subscribers).toBe(0)
  })
})

describe('static files', () => {
  it('serves the renderer at / without a token, with the CSP', async () => {
    const { base } = await start({ staticDir: webDir })
    const res = await request(`${base}/`)
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/html/)
    const csp = String(res.headers['content-security-policy'])
    for (const directive of [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      "media-src 'self' http: https:",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ]) {
      expect(csp).toContain(directive)
    }
    expect(res.headers['x-frame-options']).toBe('DENY')
    expect(await res.body.text()).toContain('IVR Supervisor')
    const js = await request(`${base}/assets/app.js`)
    expect(js.statusCode).toBe(200)
    expect(await js.body.text()).toContain('console.log')
  })

  it('still guards the API and answers 404 for unknown files', async () => {
    const { base } = await start({ staticDir: webDir })
    const api = await request(`${base}/api/v1/health`)
    expect(api.statusCode).toBe(401)
    await api.body.text()
    const unknownApi = await request(`${base}/api/v1/nothing`, { headers: AUTH })
    expect(unknownApi.statusCode).toBe(404)
    expect(await unknownApi.body.json()).toEqual({ error: 'Not found' })
    const missing = await request(`${base}/nope.js`)
    expect(missing.statusCode).toBe(404)
    await missing.body.text()
  })

  it.each([
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/..%5csecret.txt',
    '/%252e%252e/secret.txt',
    '/.env',
    '/assets/../.env',
  ])('refuses %s', async (path) => {
    const { port } = await start({ staticDir: webDir })
    const res = await rawGet(port, path)
    expect(res.status).toBeGreaterThanOrEqual(400)
    expect(res.status).toBeLessThan(500)
    expect(res.body).not.toContain('SECRET')
  })

  it('checks the Host header on static files too', async () => {
    const { port } = await start({ staticDir: webDir })
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port, path: '/', headers: { host: `attacker.example:${port}` } },
        (res) => {
          res.resume()
          resolve(res.statusCode ?? 0)
        },
      )
      req.on('error', reject)
      req.end()
    })
    expect(status).toBe(403)
  })
})
