import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createServer } from 'node:net'
import type { Logger } from '../../../src/main/ground/logger'
import {
  VendorClient,
  holidayParams,
  manageAgentParams,
  officeTimeParams,
  type VendorClientOptions,
} from '../../../src/main/ivrApi/client'
import { FakeVendor } from './fakeVendor'

// A key with characters that change under URL encoding, so every encoded form is checked too.
const KEY = 'k3y/With+Sp ce&=Secret'

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = []
  const log = (lvl: string) => (msg: string, ctx?: Record<string, unknown>) =>
    lines.push(`${lvl} ${msg} ${ctx ? JSON.stringify(ctx) : ''}`)
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') }
}

function containsKey(text: string): boolean {
  return [KEY, encodeURIComponent(KEY), new URLSearchParams({ k: KEY }).toString().slice(2)].some(
    (f) => text.includes(f),
  )
}

describe('VendorClient against a fake handler.ashx on loopback', () => {
  let vendor: FakeVendor
  let client: VendorClient
  let logger: ReturnType<typeof recordingLogger>

  const make = (over: Partial<VendorClientOptions> = {}): VendorClient => {
    client = new VendorClient({
      settings: () => ({ baseUrl: vendor.url(), apiKey: KEY, custId: 'C 1/2' }),
      logger,
      headersTimeoutMs: 300,
      bodyTimeoutMs: 300,
      totalTimeoutMs: 2_000,
      connectTimeoutMs: 1_000,
      ...over,
    })
    return client
  }

  beforeEach(async () => {
    vendor = new FakeVendor(KEY, 'C 1/2')
    await vendor.start()
    logger = recordingLogger()
  })
  afterEach(async () => {
    await client?.close()
    await vendor.stop()
  })

  it('sends exactly the documented requests, every value percent-encoded', async () => {
    make()
    expect((await client.attempt(manageAgentParams('9876543210', 'OFF'))).outcome).toBe('success')
    expect((await client.attempt(holidayParams('2026-01-26'))).outcome).toBe('success')
    expect((await client.attempt(officeTimeParams('Monday', '09:30', '18:00'))).outcome).toBe(
      'success',
    )
    const k = encodeURIComponent(KEY)
    expect(vendor.requests.map((r) => r.url)).toEqual([
      `/settings/handler.ashx?apikey=${k}&custid=C%201%2F2&action=ManageAgent&agentnum=9876543210&status=OFF`,
      `/settings/handler.ashx?apikey=${k}&custid=C%201%2F2&action=holiday&hdate=2026-01-26`,
      `/settings/handler.ashx?apikey=${k}&custid=C%201%2F2&action=OfficeTime&day=Monday&st_time=09%3A30%20AM&en_time=06%3A00%20PM`,
    ])
    expect(vendor.officeTimes.get('Monday')).toEqual({ st: '09:30 AM', en: '06:00 PM' })
    expect(vendor.agents.get('9876543210')).toBe('OFF')
  })

  it('keeps a path prefix of the base URL and does not double the handler path', async () => {
    make({
      settings: () => ({
        baseUrl: `${vendor.url()}/ivr/settings/handler.ashx/`,
        apiKey: KEY,
        custId: 'C 1/2',
      }),
    })
    await client.attempt(holidayParams('2026-08-15'))
    expect(vendor.requests[0]!.url.startsWith('/ivr/settings/handler.ashx?apikey=')).toBe(true)
  })

  it.each(['Success', 'success', '  SUCCESS \r\n', '\tsuccess'])(
    'takes %j as success',
    async (body) => {
      make()
      vendor.successBody = body
      const r = await client.attempt(holidayParams('2026-10-02'))
      expect(r.outcome).toBe('success')
      expect(vendor.requests).toHaveLength(1)
    },
  )

  it('carries the vendor refusal through in one request', async () => {
    make()
    const r = await client.attempt(officeTimeParams('Daily', '18:00', '09:00'))
    expect(r).toMatchObject({ outcome: 'refused', detail: 'Invalid Time', httpStatus: 200 })
    expect(vendor.requests).toHaveLength(1)
  })

  it('treats a 4xx with a body as a refusal, not retried', async () => {
    make()
    vendor.script({ kind: 'answer', status: 403, body: 'Access denied' })
    const r = await client.attempt(holidayParams('2026-10-02'))
    expect(r).toMatchObject({ outcome: 'refused', detail: 'HTTP 403: Access denied' })
    expect(vendor.requests).toHaveLength(1)
  })

  it('times out a vendor that never answers (headers timeout)', async () => {
    make()
    vendor.script({ kind: 'hang' })
    const r = await client.attempt(holidayParams('2026-01-26'))
    expect(r.outcome).toBe('failed')
    expect(r.detail).toMatch(/did not answer within 0.3 s/)
    expect(vendor.requests).toHaveLength(1)
  })

  it('times out an answer that stalls mid-body', async () => {
    make()
    vendor.script({ kind: 'hangBody' })
    const r = await client.attempt(holidayParams('2026-01-26'))
    expect(r.outcome).toBe('failed')
    expect(r.detail).toMatch(/stalled/)
  })

  it('refuses garbage, with control characters removed and the text capped', async () => {
    make()
    vendor.script({
      kind: 'answer',
      status: 200,
      body: `<html>\u0000Err\u0007or ${'y'.repeat(500)}`,
    })
    const r = await client.attempt(holidayParams('2026-01-26'))
    expect(r.outcome).toBe('refused')
    expect(r.detail.startsWith('<html> Err or yyy')).toBe(true)
    expect(r.detail.length).toBeLessThanOrEqual(200)
    expect(vendor.requests).toHaveLength(1)
  })

  it('refuses an oversized answer without reading it all', async () => {
    make({ maxBodyBytes: 1024 })
    vendor.script({ kind: 'huge', bytes: 5_000_000 })
    const r = await client.attempt(holidayParams('2026-01-26'))
    expect(r).toMatchObject({ outcome: 'refused' })
    expect(r.detail).toMatch(/larger than 1024 bytes/)
  })

  it('reports a closed port in words, with no API key anywhere', async () => {
    const port = await freePort()
    make({
      settings: () => ({ baseUrl: `http://127.0.0.1:${port}`, apiKey: KEY, custId: 'C' }),
    })
    const r = await client.attempt(holidayParams('2026-01-26'))
    expect(r.outcome).toBe('failed')
    expect(r.detail).toMatch(/refused the connection/)
    expect(containsKey(JSON.stringify(r))).toBe(false)
    expect(logger.lines.some(containsKey)).toBe(false)
  })

  it('never lets the API key out: errors, vendor echoes and logs are scrubbed', async () => {
    make()
    const echoed = `bad request /settings/handler.ashx?apikey=${encodeURIComponent(KEY)}&custid=C raw ${KEY}`
    vendor.script(
      { kind: 'answer', status: 400, body: echoed },
      { kind: 'hang' },
      { kind: 'reset' },
      { kind: 'answer', status: 500, body: echoed },
    )
    const results = [
      await client.attempt(holidayParams('2026-01-26')),
      await client.attempt(holidayParams('2026-01-26')),
      await client.attempt(holidayParams('2026-01-26')),
      await client.attempt(holidayParams('2026-01-26')),
    ]
    expect(results.map((r) => r.outcome)).toEqual(['refused', 'failed', 'failed', 'failed'])
    expect(results[0]!.detail).toContain('apikey=[redacted]')
    for (const r of results) expect(containsKey(JSON.stringify(r))).toBe(false)
    expect(logger.lines.length).toBeGreaterThan(0)
    expect(logger.lines.some(containsKey)).toBe(false)
  })

  it('answers "not configured" without a request when settings are missing', async () => {
    make({ settings: () => null })
    const r = await client.attempt(holidayParams('2026-01-26'))
    expect(r).toMatchObject({ outcome: 'failed', httpStatus: null })
    expect(r.detail).toMatch(/No vendor is configured/)
    expect(vendor.requests).toHaveLength(0)
  })
})

async function freePort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  const port = (s.address() as { port: number }).port
  await new Promise<void>((r) => s.close(() => r()))
  return port
}
