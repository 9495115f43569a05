import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { request } from 'undici'
import { startHeadless, samplePushUrl, todayIn, type Headless } from '../../support/headless'

let h: Headless
const auth = () => ({ authorization: `Bearer ${h.apiToken}` })
async function api<T = unknown>(method: string, path: string, body?: unknown) {
  const res = await request(`${h.apiUrl}${path}`, {
    method: method as 'GET',
    headers: { ...auth(), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.body.text()
  return { status: res.statusCode, json: (text ? JSON.parse(text) : null) as T, text }
}

beforeAll(async () => {
  h = await startHeadless({ demo: true })
})
afterAll(async () => {
  await h?.stop()
})

describe('headless mode (npm run serve / demo)', () => {
  it('prints the webhook URL with its secret token, the API address and the simulator', () => {
    expect(h.webhookUrl).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/api\/PostCallLogs\/[A-Za-z0-9_-]{32}\/$/,
    )
    expect(h.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(h.simulatorUrl).toMatch(/\/settings\/handler\.ashx\?apikey=/)
  })

  it('says which zone its times use, and logs in it with the offset', () => {
    expect(h.stdout()).toContain(
      'Times (calls, day boundaries, log lines): Asia/Kolkata, UTC+05:30',
    )
    const lines = h.stderr().split('\n').filter(Boolean)
    expect(lines.length).toBeGreaterThan(0)
    for (const line of lines)
      expect(line).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+05:30 /)
  })

  it('refuses the local API without the token or with a foreign Host', async () => {
    const none = await request(`${h.apiUrl}/api/v1/health`)
    expect(none.statusCode).toBe(401)
    await none.body.dump()
    const host = await request(`${h.apiUrl}/api/v1/health`, {
      headers: { ...auth(), host: 'evil.example:80' },
    })
    expect(host.statusCode).toBe(403)
    await host.body.dump()
  })

  it('stores a pushed call, serves it on the API and streams it as an event', async () => {
    const events = await request(`${h.apiUrl}/api/v1/events`, { headers: auth() })
    expect(events.headers['content-type']).toMatch(/text\/event-stream/)
    let streamed = ''
    const gotCall = new Promise<void>((resolve) => {
      events.body.on('data', (chunk: Buffer) => {
        streamed += chunk.toString()
        if (streamed.includes('event: call:stored') && streamed.includes('"id":"hl-1"')) resolve()
      })
    })
    const push = await request(
      samplePushUrl(h.webhookUrl, { calllogid: 'hl-1', callstatus: 'MISSED', agentnumber: 'NA' }),
    )
    expect(push.statusCode).toBe(200)
    expect(await push.body.text()).toBe('Accepted')
    await gotCall
    events.body.destroy()

    const one = await api<{
      id: string
      status: string
      agentNumber: string | null
      startedAt: string
    }>('GET', '/api/v1/calls/hl-1')
    expect(one.json).toMatchObject({ id: 'hl-1', status: 'MISSED', agentNumber: null })
    expect(one.json.startedAt).toBe(`${todayIn()}T10:15:00+05:30`)

    const page = await api<{ calls: { id: string }[]; total: number }>(
      'GET',
      `/api/v1/calls?from=${todayIn()}&to=${todayIn()}&status=MISSED`,
    )
    expect(page.json.calls.map((c) => c.id)).toContain('hl-1')
  })

  it('opens a missed-call item and resolves it when the same number is answered later', async () => {
    await request(
      samplePushUrl(h.webhookUrl, {
        calllogid: 'mq-1',
        callernumber: '09811112222',
        callstatus: 'MISSED',
        agentnumber: '',
        time: '11:00:00',
      }),
    ).then((r) => r.body.text())
    // The queue hears of a call right after it is stored (not before the push is answered).
    let missed = await api<{ items: { callerNumber: string; state: string }[] }>(
      'GET',
      '/api/v1/missed',
    )
    for (let i = 0; i < 50; i++) {
      if (missed.json.items.some((x) => x.callerNumber === '+919811112222')) break
      await new Promise((r) => setTimeout(r, 100))
      missed = await api('GET', '/api/v1/missed')
    }
    expect(missed.json.items.find((i) => i.callerNumber === '+919811112222')?.state).toBe('open')
    await request(
      samplePushUrl(h.webhookUrl, {
        calllogid: 'mq-2',
        callernumber: '+91 98111 12222',
        callstatus: 'answer',
        time: '11:30:00',
      }),
    ).then((r) => r.body.text())
    // The queue hears of the call right after it is stored; poll the API briefly.
    for (let i = 0; i < 50; i++) {
      missed = await api('GET', '/api/v1/missed')
      if (missed.json.items.find((x) => x.callerNumber === '+919811112222')?.state === 'resolved')
        break
      await new Promise((r) => setTimeout(r, 100))
    }
    expect(missed.json.items.find((x) => x.callerNumber === '+919811112222')?.state).toBe(
      'resolved',
    )
  })

  it('answers Invalid Data for a bad push and keeps it in the rejected log', async () => {
    const res = await request(
      samplePushUrl(h.webhookUrl, { calllogid: 'bad-1', date: '2026-02-30' }),
    )
    expect(res.statusCode).toBe(400)
    expect(await res.body.text()).toBe('Invalid Data')
    const rejected = await api<{ params: Record<string, string>; reason: string }[]>(
      'GET',
      '/api/v1/pushes/rejected',
    )
    expect(rejected.json[0]?.params.calllogid).toBe('bad-1')
    expect(rejected.json[0]?.reason).toMatch(/date/i)
  })

  it('switches an agent off at the simulator (200 confirmed) and records the change', async () => {
    const agents = await api<{ number: string; name: string }[]>('GET', '/api/v1/agents')
    expect(agents.json.length).toBeGreaterThan(0)
    const agent = agents.json[0]!
    const res = await api<{ change: { state: string; vendorAnswer: string } }>(
      'PUT',
      `/api/v1/agents/${agent.number}/status`,
      { status: 'OFF' },
    )
    expect(res.status).toBe(200)
    expect(res.json.change).toMatchObject({ state: 'confirmed', vendorAnswer: 'Success' })
    const after = await api<{ number: string; status: string }[]>('GET', '/api/v1/agents')
    expect(after.json.find((a) => a.number === agent.number)?.status).toBe('OFF')
  })

  it('refuses invalid office hours locally before anything is sent', async () => {
    const before = await api<unknown[]>('GET', '/api/v1/changes')
    const res = await api<{ error: string }>('PUT', '/api/v1/office-hours/Monday', {
      start: '18:00',
      end: '09:00',
    })
    expect(res.status).toBe(400)
    expect(res.json.error).toMatch(/Invalid Time/)
    const after = await api<unknown[]>('GET', '/api/v1/changes')
    expect(after.json.length).toBe(before.json.length)
  })

  it('streams the filtered calls as CSV', async () => {
    const res = await request(
      `${h.apiUrl}/api/v1/calls.csv?from=${todayIn()}&to=${todayIn()}&status=MISSED`,
      { headers: auth() },
    )
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/text\/csv/)
    const text = await res.body.text()
    expect(text.split('\n')[0]).toMatch(/^id,date,time/)
    expect(text).toContain('hl-1')
    expect(text).not.toContain('mq-2')
  })

  it('redacts a vendor API key entered after start from its log', async () => {
    const key = 'Kx7-entered-later-9Qw2'
    expect((await api('PATCH', '/api/v1/settings', { apiKey: key })).status).toBe(200)
    // A rejected push's reason quotes the value at fault: here the key, pasted into a field.
    const res = await request(samplePushUrl(h.webhookUrl, { calllogid: 'leak-1', callstatus: key }))
    expect(res.statusCode).toBe(400)
    await res.body.dump()
    const rejected = await api<{ params: Record<string, string> }[]>(
      'GET',
      '/api/v1/pushes/rejected',
    )
    expect(rejected.json[0]?.params.calllogid).toBe('leak-1')
    expect(h.stderr()).toMatch(/push rejected/)
    expect(h.stderr()).not.toContain(key)
    expect((await api('PATCH', '/api/v1/settings', { apiKey: '' })).status).toBe(200)
  })

  it('never writes a secret to its log', () => {
    const token = /PostCallLogs\/([^/]+)\//.exec(h.webhookUrl)?.[1]
    expect(token).toBeTruthy()
    expect(h.stderr()).not.toContain(token!)
    expect(h.stderr()).not.toContain(h.apiToken)
  })

  it('stops cleanly on SIGTERM and finds every accepted call after a restart', async () => {
    expect(await h.stop()).toBe(0)
    h = await startHeadless({ demo: true, dataDir: h.dataDir })
    const one = await api<{ id: string }>('GET', '/api/v1/calls/hl-1')
    expect(one.status).toBe(200)
    // The webhook token survives the restart: the URL given to the vendor stays valid.
    expect(h.webhookUrl).toMatch(/PostCallLogs\/[A-Za-z0-9_-]{32}\//)
  })
})
