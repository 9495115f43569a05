import { afterEach, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { CHANNELS, REQUESTS } from '../../../src/shared/contract'
import { NotFoundError, UserError } from '../../../src/main/ground/errors'
import { ownerContext } from '../../../src/main/core/core'
import { changeResult, SAMPLE_REQUESTS } from './fakeCore'
import { GOOD, PORT, TOKEN, httpCallFor, testApp } from './helpers'

let app: FastifyInstance
afterEach(async () => {
  await app?.close()
})

function setup() {
  const t = testApp()
  app = t.app
  return t
}

describe('every channel of the contract has its route', () => {
  it.each(CHANNELS)('%s reaches its handler with the request it was sent', async (channel) => {
    const { fake } = setup()
    const sample = SAMPLE_REQUESTS[channel]
    const call = httpCallFor(channel, sample)
    const res = await app.inject({
      method: call.method,
      url: call.url,
      headers: { ...GOOD, ...call.headers },
      ...(call.payload !== undefined ? { payload: call.payload } : {}),
    })
    expect(res.statusCode, res.body).toBe(200)
    if (channel === 'calls:exportCsv') {
      expect(fake.csvQueries).toEqual([sample])
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8')
      return
    }
    expect(fake.calls).toHaveLength(1)
    expect(fake.calls[0]!.channel).toBe(channel)
    expect(fake.calls[0]!.req).toEqual(sample)
    expect(fake.calls[0]!.ctx).toEqual(ownerContext('http', 'local-api'))
    expect(res.json()).toEqual({ echo: channel })
  })

  it('declares no two channels on the same method and path', () => {
    const keys = CHANNELS.map((c) => `${REQUESTS[c].route.method} ${REQUESTS[c].route.path}`)
    expect(new Set(keys).size).toBe(keys.length)
  })

  it('answers 404 to a known path with the wrong method', async () => {
    setup()
    const res = await app.inject({ method: 'DELETE', url: '/api/v1/calls', headers: GOOD })
    expect(res.statusCode).toBe(404)
  })
})

describe('authentication and Host', () => {
  it.each([
    ['no header', {}],
    ['a wrong token', { authorization: `Bearer ${TOKEN}x` }],
    ['a prefix of the token', { authorization: `Bearer ${TOKEN.slice(0, 10)}` }],
    ['another scheme', { authorization: `Basic ${TOKEN}` }],
    ['the token without a scheme', { authorization: TOKEN }],
  ])('answers 401 with %s', async (_name, auth) => {
    const { fake } = setup()
    const res = await app.inject({
      url: '/api/v1/health',
      headers: { host: GOOD.host, ...auth },
    })
    expect(res.statusCode).toBe(401)
    expect(res.headers['www-authenticate']).toBe('Bearer')
    expect(res.json().error).toMatch(/Unauthorized/)
    expect(fake.calls).toHaveLength(0)
  })

  it('accepts the scheme in any case', async () => {
    setup()
    const res = await app.inject({
      url: '/api/v1/health',
      headers: { host: GOOD.host, authorization: `bearer ${TOKEN}` },
    })
    expect(res.statusCode).toBe(200)
  })

  it('asks for the token on unknown and disguised /api paths too', async () => {
    const { fake } = setup()
    for (const url of ['/api/v1/nothing', '/api', '/%61pi/v1/health', '/API/v1/health']) {
      const res = await app.inject({ url, headers: { host: GOOD.host } })
      expect(res.statusCode, url).toBe(401)
    }
    expect(fake.calls).toHaveLength(0)
  })

  it.each([
    `evil.example:${PORT}`,
    `127.0.0.1:${PORT + 1}`,
    '127.0.0.1',
    `127.0.0.2:${PORT}`,
    `[::1]:${PORT}`,
    `localhost.evil.example:${PORT}`,
  ])('answers 403 to Host %s even with the token', async (host) => {
    const { fake } = setup()
    const res = await app.inject({
      url: '/api/v1/health',
      headers: { host, authorization: GOOD.authorization },
    })
    expect(res.statusCode).toBe(403)
    expect(fake.calls).toHaveLength(0)
  })

  it('accepts localhost:<port> in any case', async () => {
    setup()
    const res = await app.inject({
      url: '/api/v1/health',
      headers: { ...GOOD, host: `LocalHost:${PORT}` },
    })
    expect(res.statusCode).toBe(200)
  })

  it('puts no-store and the security headers on API answers, refusals included', async () => {
    setup()
    for (const headers of [GOOD, { host: GOOD.host }]) {
      const res = await app.inject({ url: '/api/v1/health', headers })
      expect(res.headers['cache-control']).toBe('no-store')
      expect(res.headers['x-content-type-options']).toBe('nosniff')
      expect(res.headers['referrer-policy']).toBe('no-referrer')
      expect(res.headers['x-frame-options']).toBe('DENY')
      expect(res.headers['content-security-policy']).toContain("default-src 'none'")
    }
  })
})

describe('validation', () => {
  async function get(url: string) {
    return app.inject({ url, headers: GOOD })
  }
  async function send(method: 'POST' | 'PUT' | 'PATCH', url: string, payload: unknown) {
    return app.inject({
      method,
      url,
      headers: { ...GOOD, 'content-type': 'application/json' },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    })
  }

  it('coerces query numbers to the integers the schema wants', async () => {
    const { fake } = setup()
    expect((await get('/api/v1/calls?limit=25')).statusCode).toBe(200)
    expect(fake.calls[0]!.req).toEqual({ limit: 25 })
    expect((await get('/api/v1/pushes/rejected?limit=7')).statusCode).toBe(200)
    expect(fake.calls[1]!.req).toEqual({ limit: 7 })
  })

  it.each([
    ['/api/v1/calls?limit=abc', ['limit'], /limit/],
    ['/api/v1/calls?limit=2.5', ['limit'], /limit/],
    ['/api/v1/calls?limit=0', ['limit'], /limit must be at least 1/],
    ['/api/v1/calls?limit=501', ['limit'], /limit must be at most 500/],
    ['/api/v1/calls?status=LOST', ['status'], /status must be one of ANSWER, MISSED, DROPPED/],
    ['/api/v1/calls?from=26-01-2026', ['from'], /from must be a date as YYYY-MM-DD/],
    ['/api/v1/calls?bogus=1', ['bogus'], /bogus is not a known field/],
    ['/api/v1/calls?status=ANSWER&status=MISSED', ['status'], /status/],
    ['/api/v1/calls?__proto__=x', ['__proto__'], /__proto__ is not a known field/],
    ['/api/v1/calls.csv?limit=5', ['limit'], /limit is not a known field/],
    ['/api/v1/health?x=1', ['x'], /x is not a known field/],
    ['/api/v1/dashboard', ['range'], /range is required/],
    ['/api/v1/dashboard?range=week', ['range'], /range must be one of/],
    ['/api/v1/dashboard?range=custom&from=5-1-2026', ['from'], /from must be a date as YYYY-MM-DD/],
  ])('GET %s → 400 naming %j', async (url, fields, message) => {
    const { fake } = setup()
    const res = await get(url)
    expect(res.statusCode).toBe(400)
    expect(res.json().fields).toEqual(fields)
    expect(res.json().error).toMatch(message)
    expect(fake.calls).toHaveLength(0)
    expect(fake.csvQueries).toHaveLength(0)
  })

  it('explains a union against the shape the caller meant', async () => {
    setup()
    let res = await send('POST', '/api/v1/holidays', { date: '26-01-2026' })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual({
      error: 'Invalid request: date must be a date as YYYY-MM-DD',
      fields: ['date'],
    })
    res = await send('POST', '/api/v1/holidays', { from: '2026-01-01' })
    expect(res.json().fields).toEqual(['to'])
    res = await send('POST', '/api/v1/holidays', {})
    expect(res.statusCode).toBe(400)
    expect(res.json().error).toMatch(
      /expected one of \{ date, name, confirmed \} or \{ from, to, name, confirmed \}/,
    )
  })

  it('rejects bodies that are not a JSON object', async () => {
    const { fake } = setup()
    for (const body of ['[1,2]', '"text"', '42']) {
      const res = await send('POST', '/api/v1/agents', body)
      expect(res.statusCode, body).toBe(400)
      expect(res.json().error).toMatch(/JSON object/)
    }
    const broken = await send('POST', '/api/v1/agents', '{"number": ')
    expect(broken.statusCode).toBe(400)
    const poisoned = await send('POST', '/api/v1/agents', '{"__proto__": {"x": 1}}')
    expect(poisoned.statusCode).toBe(400)
    expect(fake.calls).toHaveLength(0)
  })

  it('rejects a body field that contradicts the path', async () => {
    const { fake } = setup()
    const res = await send('PUT', '/api/v1/agents/9876543210/status', {
      number: '9999999999',
      status: 'OFF',
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().fields).toEqual(['number'])
    expect(fake.calls).toHaveLength(0)
  })

  it('rejects a query string on a body route', async () => {
    setup()
    const res = await send('PUT', '/api/v1/agents/9876543210/status?status=OFF', {
      status: 'OFF',
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().fields).toEqual(['status'])
  })

  it('rejects an office-hours day that is not a day', async () => {
    setup()
    const res = await send('PUT', '/api/v1/office-hours/Funday', { start: '09:00', end: '18:00' })
    expect(res.statusCode).toBe(400)
    expect(res.json().fields).toEqual(['day'])
  })

  it('takes the agents CSV as text/csv or text/plain, not JSON', async () => {
    const { fake } = setup()
    for (const type of ['text/csv', 'text/plain; charset=utf-8']) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/agents/import',
        headers: { ...GOOD, 'content-type': type },
        payload: 'number,name\n1,A\n',
      })
      expect(res.statusCode, type).toBe(200)
    }
    expect(fake.calls.map((c) => c.req)).toEqual([
      { csv: 'number,name\n1,A\n' },
      { csv: 'number,name\n1,A\n' },
    ])
    const json = await send('POST', '/api/v1/agents/import', { csv: 'x' })
    expect(json.statusCode).toBe(400)
    expect(json.json()).toEqual({
      error: 'Send the CSV as the request body (text/csv)',
      fields: ['csv'],
    })
    const empty = await app.inject({
      method: 'POST',
      url: '/api/v1/agents/import',
      headers: { ...GOOD, 'content-type': 'text/csv' },
      payload: '',
    })
    expect(empty.statusCode).toBe(400)
    const xml = await app.inject({
      method: 'POST',
      url: '/api/v1/agents/import',
      headers: { ...GOOD, 'content-type': 'application/xml' },
      payload: '<a/>',
    })
    expect(xml.statusCode).toBe(415)
    expect(fake.calls).toHaveLength(2)
  })

  it("takes a raw-body request's other fields from the query string, checked by the schema", async () => {
    const { fake } = setup()
    const ok = await app.inject({
      method: 'POST',
      url: '/api/v1/agents/import?preview=abc123&changes=skip',
      headers: { ...GOOD, 'content-type': 'text/csv' },
      payload: 'number,name\n1,A\n',
    })
    expect(ok.statusCode).toBe(200)
    expect(fake.calls.at(-1)?.req).toEqual({
      csv: 'number,name\n1,A\n',
      preview: 'abc123',
      changes: 'skip',
    })
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/agents/import?changes=maybe',
      headers: { ...GOOD, 'content-type': 'text/csv' },
      payload: 'number,name\n1,A\n',
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().fields).toEqual(['changes'])
    const twice = await app.inject({
      method: 'POST',
      url: '/api/v1/agents/import?csv=x',
      headers: { ...GOOD, 'content-type': 'text/csv' },
      payload: 'number,name\n1,A\n',
    })
    expect(twice.statusCode).toBe(400)
    expect(fake.calls).toHaveLength(1)
  })

  it('answers 413 to a body over the limit', async () => {
    const { fake } = setup()
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/agents/import',
      headers: { ...GOOD, 'content-type': 'text/csv' },
      payload: 'x'.repeat(1024 * 1024 + 1),
    })
    expect(res.statusCode).toBe(413)
    expect(res.json().error).toMatch(/too large/i)
    expect(fake.calls).toHaveLength(0)
  })
})

describe('answers', () => {
  async function setStatus() {
    return app.inject({
      method: 'PUT',
      url: '/api/v1/agents/9876543210/status',
      headers: { ...GOOD, 'content-type': 'application/json' },
      payload: JSON.stringify({ status: 'OFF' }),
    })
  }

  it.each([
    ['confirmed', 200],
    ['pending', 202],
    ['refused', 422],
  ] as const)('a %s change answers %d with the result', async (state, status) => {
    const { fake } = setup()
    const result = changeResult(state, state === 'refused' ? 'Invalid Agent' : null)
    fake.answer('agents:setStatus', () => result)
    const res = await setStatus()
    expect(res.statusCode).toBe(status)
    expect(res.json()).toEqual(result)
  })

  it('maps a department switch by its worst change', async () => {
    const { fake } = setup()
    const put = () =>
      app.inject({
        method: 'PUT',
        url: '/api/v1/departments/Sales/status',
        headers: { ...GOOD, 'content-type': 'application/json' },
        payload: JSON.stringify({ status: 'AVAIL' }),
      })
    const cases: [string[], number][] = [
      [['confirmed', 'confirmed'], 200],
      [['confirmed', 'pending'], 202],
      [['pending', 'refused', 'confirmed'], 422],
      [[], 200],
    ]
    for (const [states, status] of cases) {
      fake.answer('agents:setDepartmentStatus', () =>
        states.map((s) => changeResult(s as 'confirmed')),
      )
      expect((await put()).statusCode, states.join()).toBe(status)
    }
  })

  it('maps holidays:add by its results', async () => {
    const { fake } = setup()
    fake.answer('holidays:add', () => ({
      results: [changeResult('confirmed'), changeResult('pending')],
      rule: null,
      message: 'queued',
    }))
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/holidays',
      headers: { ...GOOD, 'content-type': 'application/json' },
      payload: JSON.stringify({ from: '2026-01-01', to: '2026-01-02' }),
    })
    expect(res.statusCode).toBe(202)
    expect(res.json().results).toHaveLength(2)
  })

  it('serves every call id the listener accepts (up to 256 characters) and pages past it', async () => {
    const { fake } = setup()
    // The listener stores ids of up to 256 characters: each must be openable and pageable.
    for (const id of ['x'.repeat(256), 'é'.repeat(256), `"\\`.repeat(128)]) {
      const res = await app.inject({
        url: `/api/v1/calls/${encodeURIComponent(id)}`,
        headers: GOOD,
      })
      expect(res.statusCode, res.body).toBe(200)
      expect(fake.calls.at(-1)!.req).toEqual({ id })
      // The keyset cursor a page ending on that call hands out (storage's encodeCursor).
      const cursor = Buffer.from(JSON.stringify([Date.now(), id]), 'utf8').toString('base64url')
      const page = await app.inject({ url: `/api/v1/calls?cursor=${cursor}`, headers: GOOD })
      expect(page.statusCode, page.body).toBe(200)
      expect(fake.calls.at(-1)!.req).toEqual({ cursor })
    }
  })

  it('answers 404 when calls:get finds nothing, and for unknown paths', async () => {
    const { fake } = setup()
    fake.answer('calls:get', () => null)
    const res = await app.inject({ url: '/api/v1/calls/nope', headers: GOOD })
    expect(res.statusCode).toBe(404)
    expect(res.json()).toEqual({ error: 'No call with this id' })
    for (const url of ['/api/v1/nothing', '/api/v2/calls', '/index.html', '/']) {
      const r = await app.inject({ url, headers: GOOD })
      expect(r.statusCode, url).toBe(404)
      expect(r.json()).toEqual({ error: 'Not found' })
    }
  })

  it('answers a UserError with its status, message and fields', async () => {
    const { fake } = setup()
    fake.answer('agents:add', () => {
      throw new UserError('This number is already an agent', 409, ['number'])
    })
    fake.answer('agents:remove', () => {
      throw new NotFoundError('No agent with this number')
    })
    const add = await app.inject({
      method: 'POST',
      url: '/api/v1/agents',
      headers: { ...GOOD, 'content-type': 'application/json' },
      payload: JSON.stringify({ number: '9876543210', name: 'A' }),
    })
    expect(add.statusCode).toBe(409)
    expect(add.json()).toEqual({ error: 'This number is already an agent', fields: ['number'] })
    const remove = await app.inject({
      method: 'DELETE',
      url: '/api/v1/agents/9876543210',
      headers: GOOD,
    })
    expect(remove.statusCode).toBe(404)
    expect(remove.json()).toEqual({ error: 'No agent with this number', fields: [] })
  })

  it('hides internal errors behind 500 and logs them', async () => {
    const { fake, logger } = setup()
    fake.answer('settings:get', () => {
      throw new Error('vendor said no to apikey=SECRET-KEY-123 at /home/x/data')
    })
    const res = await app.inject({ url: '/api/v1/settings', headers: GOOD })
    expect(res.statusCode).toBe(500)
    expect(res.json()).toEqual({ error: 'Internal error' })
    expect(res.body).not.toContain('SECRET')
    expect(res.body).not.toContain('/home')
    const logged = logger.lines.filter((l) => l.level === 'error')
    expect(logged).toHaveLength(1)
    expect(logged[0]!.ctx?.route).toBe('/api/v1/settings')
    expect(String(logged[0]!.ctx?.error)).toContain('vendor said no')
  })

  it('answers 500 when the CSV export cannot start, with nothing streamed', async () => {
    const { fake } = setup()
    fake.csv.failAt = 0
    const res = await app.inject({ url: '/api/v1/calls.csv', headers: GOOD })
    expect(res.statusCode).toBe(500)
    expect(res.json()).toEqual({ error: 'Internal error' })
    fake.csv.failAt = null
    fake.csv.error = new UserError('from must not be after to', 400, ['from'])
    fake.csv.failAt = 0
    const bad = await app.inject({ url: '/api/v1/calls.csv', headers: GOOD })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().fields).toEqual(['from'])
  })
})
