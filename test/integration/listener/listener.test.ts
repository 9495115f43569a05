import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import { request } from 'undici'
import type { BusEvents } from '../../../src/main/events/bus'
import { TOKEN, qs, samplePush, listenerHarness } from './helpers'

const start = listenerHarness()

async function send(
  url: string,
  opts: { method?: string; body?: string; headers?: Record<string, string> } = {},
) {
  const res = await request(url, {
    method: (opts.method ?? 'GET') as 'GET',
    body: opts.body,
    headers: opts.headers,
  })
  const text = await res.body.text()
  return { status: res.statusCode, text, headers: res.headers }
}

describe('listener over a real socket', () => {
  it('accepts GET, form POST and JSON POST, with or without trailing slash', async () => {
    const l = await start()
    const stored: BusEvents['call:stored'][] = []
    l.bus.on('call:stored', (e) => stored.push(e))
    const noSlash = l.url.replace(/\/$/, '')
    const answers = [
      await send(`${l.url}?${qs(samplePush('g1'))}`),
      await send(`${noSlash}?${qs(samplePush('g2'))}`),
      await send(noSlash, {
        method: 'POST',
        body: qs(samplePush('f1')),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
      await send(l.url, {
        method: 'POST',
        body: JSON.stringify({ ...samplePush('j1'), ivrduration: 12, extra: null }),
        headers: { 'content-type': 'application/json; charset=utf-8' },
      }),
    ]
    for (const a of answers) {
      expect(a).toMatchObject({ status: 200, text: 'Accepted' })
      expect(a.headers['cache-control']).toBe('no-store')
      expect(a.headers['content-type']).toMatch(/^text\/plain/)
    }
    expect([...l.store.calls.keys()].sort()).toEqual(['f1', 'g1', 'g2', 'j1'])
    expect(l.store.calls.get('j1')).toMatchObject({ ivrSeconds: 12, callerNumber: '+919876543210' })
    expect(l.store.calls.get('j1')?.raw).toMatchObject({ extra: 'null', ivrduration: '12' })
    expect(stored.map((e) => [e.call.id, e.outcome])).toEqual([
      ['g1', 'created'],
      ['g2', 'created'],
      ['f1', 'created'],
      ['j1', 'created'],
    ])
  })

  it('merges query and body, keeps unknown parameters, and publishes updates but not repeats', async () => {
    const l = await start()
    const outcomes: string[] = []
    l.bus.on('call:stored', (e) => outcomes.push(e.outcome))
    const { recordingurl: _r, ...noRec } = samplePush('m1')
    expect((await send(`${l.url}?${qs(noRec)}`)).text).toBe('Accepted')
    expect((await send(`${l.url}?${qs(noRec)}`)).text).toBe('Accepted')
    const late = await send(`${l.url}?calllogid=m1&vendorref=77`, {
      method: 'POST',
      body: qs({ ...noRec, recordingurl: 'https://rec.example.com/late.mp3' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(late.text).toBe('Accepted')
    expect(outcomes).toEqual(['created', 'updated'])
    const call = l.store.calls.get('m1')!
    expect(call.recordingUrl).toBe('https://rec.example.com/late.mp3')
    expect(call.raw.vendorref).toBe('77')
    expect(call.history).toHaveLength(1)
  })

  it('answers a wrong token exactly like an unknown path or a wrong method', async () => {
    const l = await start()
    const q = `?${qs(samplePush('x1'))}`
    const misses = [
      await send(`${l.base}/api/PostCallLogs/${TOKEN.slice(0, -1)}X/${q}`),
      await send(`${l.base}/api/PostCallLogs/${TOKEN}extra/${q}`),
      await send(`${l.base}/api/PostCallLogs/${q}`),
      await send(`${l.base}/api/PostCallLogs/${TOKEN}/more${q}`),
      await send(`${l.base}/nothing-here`),
      await send(`${l.base}/`),
      await send(`${l.base}/api/%zz`),
      await send(`${l.url}${q}`, { method: 'PUT', body: 'a=1' }),
      await send(`${l.url}${q}`, { method: 'DELETE' }),
      await send(`${l.url}${q}`, { method: 'OPTIONS' }),
      await send(`${l.base}/api/PostCallLogs/wrong`, {
        method: 'POST',
        body: 'x'.repeat(40_000),
        headers: { 'content-type': 'application/json' },
      }),
    ]
    const shape = (m: (typeof misses)[number]) => {
      const { date: _d, ...headers } = m.headers
      return { status: m.status, text: m.text, headers }
    }
    const first = shape(misses[0]!)
    expect(first.status).toBe(404)
    expect(first.text).toBe('Not Found')
    expect(first.headers['cache-control']).toBe('no-store')
    for (const m of misses.slice(1)) expect(shape(m)).toEqual(first)
    const head = await send(`${l.url}${q}`, { method: 'HEAD' })
    expect(head.status).toBe(404)
    expect(l.store.size()).toBe(0)
    expect(l.rejected.count()).toBe(0)
  })

  it('answers 400 Invalid Data and keeps the push in the rejected log', async () => {
    const l = await start()
    const events: BusEvents['push:rejected'][] = []
    l.bus.on('push:rejected', (e) => events.push(e))
    const res = await send(`${l.url}?${qs(samplePush('bad1', { date: '2026-02-30', foo: 'bar' }))}`)
    expect(res).toMatchObject({ status: 400, text: 'Invalid Data' })
    expect(res.headers['cache-control']).toBe('no-store')
    expect(l.store.size()).toBe(0)
    expect(l.rejected.entries).toHaveLength(1)
    const entry = l.rejected.entries[0]!
    expect(entry).toMatchObject({
      method: 'GET',
      fields: ['date'],
      remoteAddress: '127.0.0.1',
      receivedAt: '2026-11-27T05:00:00.000Z',
    })
    expect(entry.reason).toContain('Date "2026-02-30"')
    expect(entry.params).toMatchObject({ calllogid: 'bad1', date: '2026-02-30', foo: 'bar' })
    expect(events).toEqual([entry])

    const json = await send(l.url, {
      method: 'POST',
      body: '{"calllogid": "b2", ',
      headers: { 'content-type': 'application/json' },
    })
    expect(json).toMatchObject({ status: 400, text: 'Invalid Data' })
    expect(l.rejected.entries[1]?.params['(body)']).toBe('{"calllogid": "b2", ')
  })

  it('answers 503 Failure when the store cannot make the call durable', async () => {
    const l = await start()
    l.store.failWith = new Error('ENOSPC: no space left on device')
    const res = await send(`${l.url}?${qs(samplePush('s1'))}`)
    expect(res).toMatchObject({ status: 503, text: 'Failure' })
    expect(res.headers['cache-control']).toBe('no-store')
    expect(l.logger.lines.join('\n')).toContain('ENOSPC')
    l.store.failWith = null
    expect((await send(`${l.url}?${qs(samplePush('s1'))}`)).text).toBe('Accepted')
  })

  it('answers 503 Failure when even the rejected log cannot keep an invalid push', async () => {
    const l = await start()
    l.rejected.failWith = new Error('EIO')
    const res = await send(`${l.url}?calllogid=only`)
    expect(res).toMatchObject({ status: 503, text: 'Failure' })
  })

  it('refuses a body over 16 KiB in the vendor words and logs what it could keep', async () => {
    const l = await start()
    const res = await send(`${l.url}?calllogid=big1`, {
      method: 'POST',
      body: qs(samplePush('big1', { department: 'x'.repeat(17_000) })),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(res).toMatchObject({ status: 413, text: 'Invalid Data' })
    expect(res.headers['cache-control']).toBe('no-store')
    expect(l.rejected.entries[0]).toMatchObject({ params: { calllogid: 'big1' } })
    expect(l.rejected.entries[0]?.reason).toContain('16 KiB')
    expect(l.store.size()).toBe(0)
  })

  it('never refuses a push with the right token for rate; limits misses per address', async () => {
    const l = await start({ missLimit: { max: 3, windowMs: 60_000 } })
    // A vendor catching up: far more valid pushes than the miss limit, every one accepted.
    for (let i = 0; i < 20; i++)
      expect((await send(`${l.url}?${qs(samplePush(`r${i}`))}`)).text).toBe('Accepted')
    const wrong = `${l.base}/api/PostCallLogs/${TOKEN.slice(0, -1)}X/?${qs(samplePush('w'))}`
    const codes: number[] = []
    for (let i = 0; i < 5; i++) codes.push((await send(wrong)).status)
    expect(codes).toEqual([404, 404, 404, 429, 429])
    const limited = await send(`${l.base}/nothing-here`)
    expect(limited).toMatchObject({ status: 429, text: 'Failure' })
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
    // The valid token still gets through from the same address, over its miss limit.
    expect((await send(`${l.url}?${qs(samplePush('r-after'))}`)).text).toBe('Accepted')
    expect((await send(`${l.url}?calllogid=bad`)).text).toBe('Invalid Data')
    expect(l.store.size()).toBe(21)
    // Refused misses from one address, one log line.
    expect(l.logger.lines.filter((x) => x.includes('gate limited'))).toHaveLength(1)
  })

  it('keys the miss limit on the socket address: X-Forwarded-For is not believed by default', async () => {
    const l = await start({ missLimit: { max: 2, windowMs: 60_000 } })
    const codes: number[] = []
    for (let i = 0; i < 4; i++)
      codes.push(
        (await send(`${l.base}/x`, { headers: { 'x-forwarded-for': `198.51.100.${i}` } })).status,
      )
    // A made-up sender per request does not get round the limit.
    expect(codes).toEqual([404, 404, 429, 429])
    await send(`${l.url}?calllogid=xff`, { headers: { 'x-forwarded-for': '198.51.100.9' } })
    expect(l.rejected.entries[0]?.remoteAddress).toBe('127.0.0.1')
  })

  it('behind a trusted proxy, takes the sender the proxy saw, not one the client wrote', async () => {
    const l = await start({ missLimit: { max: 2, windowMs: 60_000 }, trustProxy: ['loopback'] })
    // The proxy appends the address it saw; what the client wrote itself stays on the left.
    const via = (client: string, forged = '192.0.2.1') => ({
      headers: { 'x-forwarded-for': `${forged}, ${client}` },
    })
    const a = [] as number[]
    for (let i = 0; i < 3; i++)
      a.push((await send(`${l.base}/x`, via('203.0.113.7', `10.0.0.${i}`))).status)
    expect(a).toEqual([404, 404, 429])
    // Another sender behind the same tunnel is counted on its own.
    expect((await send(`${l.base}/x`, via('203.0.113.8'))).status).toBe(404)
    await send(`${l.url}?calllogid=xff`, via('203.0.113.9'))
    expect(l.rejected.entries[0]?.remoteAddress).toBe('203.0.113.9')
  })

  it('never writes the token into a log line', async () => {
    const l = await start({ missLimit: { max: 1, windowMs: 60_000 } })
    await send(`${l.url}?${qs(samplePush('t1'))}`)
    await send(`${l.url}?calllogid=t2`)
    await send(`${l.url}?${qs(samplePush('t3', { time: '25:61:00' }))}`)
    l.store.failWith = new Error('disk gone')
    await send(`${l.url}?${qs(samplePush('t4'))}`)
    await send(`${l.url}?${qs(samplePush('t5'))}`)
    await send(`${l.base}/api/PostCallLogs/${TOKEN}%zz`)
    await send(`${l.base}/api/PostCallLogs/${TOKEN}x/`)
    await send(l.url, { method: 'POST', body: 'y'.repeat(20_000) })
    await l.server.stop()
    expect(l.logger.lines.length).toBeGreaterThanOrEqual(5)
    const all = l.logger.lines.join('\n')
    expect(all).toContain('push rejected')
    expect(all).toContain('gate limited')
    expect(all).not.toContain(TOKEN)
  })
})

describe('ListenerServer lifecycle', () => {
  it('reports listening with the bound port, then stopped', async () => {
    const l = await start()
    expect(l.server.status()).toMatchObject({ state: 'listening', host: '127.0.0.1', error: null })
    expect(l.server.status().port).toBeGreaterThan(0)
    await l.server.stop()
    expect(l.server.status().state).toBe('stopped')
  })

  it('turns a port in use into state failed with a clear message, not a crash', async () => {
    const blocker = createServer()
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r))
    const port = (blocker.address() as { port: number }).port
    try {
      const { ListenerServer } = await import('../../../src/main/listener/server')
      const l = await start()
      const second = new ListenerServer({
        store: l.store,
        rejected: l.rejected,
        bus: l.bus,
        token: TOKEN,
        timezone: 'Asia/Kolkata',
        clock: { now: () => 0 },
        logger: l.logger,
        host: '127.0.0.1',
        port,
      })
      await expect(second.start()).resolves.toEqual({ host: '127.0.0.1', port })
      const st = second.status()
      expect(st.state).toBe('failed')
      expect(st.error).toContain(`Port ${port}`)
      expect(st.error).toContain('already in use')
      expect(st.error).not.toContain(TOKEN)
      await second.stop()
      expect(second.status().state).toBe('failed')
    } finally {
      blocker.close()
    }
  })

  it('lets an in-flight push finish before stop resolves', async () => {
    const l = await start()
    let release!: () => void
    let entered!: () => void
    const gate = new Promise<void>((r) => (release = r))
    const reached = new Promise<void>((r) => (entered = r))
    const realUpsert = l.store.upsert.bind(l.store)
    l.store.upsert = async (...args) => {
      entered()
      await gate
      return realUpsert(...args)
    }
    const pending = send(`${l.url}?${qs(samplePush('inflight'))}`)
    await reached
    let stopDone = false
    const stopped = l.server.stop().then(() => (stopDone = true))
    // Give stop() every chance to resolve early: it must not while the push is parked.
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r))
    expect(stopDone).toBe(false)
    release()
    await expect(pending).resolves.toMatchObject({ status: 200, text: 'Accepted' })
    await stopped
    expect(l.store.calls.has('inflight')).toBe(true)
    expect(l.server.status().state).toBe('stopped')
    await expect(send(`${l.url}?${qs(samplePush('after'))}`)).rejects.toThrow()
  })
})
