import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { Pool } from 'undici'
import { readEnvConfig } from '../../../src/main/config/env'
import { createCore, type AppCore } from '../../../src/main/core/createCore'
import { silentLogger } from '../../../src/main/ground/logger'
import { TOKEN } from './helpers'
import { ownerContext } from '../../../src/main/core/core'

/**
 * Property fuzz of the listener as it ships (createCore with its default settings, over a real
 * socket): every generated request is answered `Accepted`, `Invalid Data`, the 404 or, for a
 * miss beyond the limit, `429 Failure`, never 5xx; requests built valid are accepted, requests
 * built broken are refused; and the store ends up holding exactly the accepted ids.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 5000)
const BATCH = 10

type Pair = [string, string]
type Expect = 'accept' | 'refuse' | 'either' | 'notfound'
interface Req {
  method: string
  url: string
  body?: string
  headers?: Record<string, string>
  id: string
  expect: Expect
}

const SCHEMES: Record<string, [string, string]> = {
  id: ['calllogid', 'call_uuid'],
  caller: ['callernumber', 'caller_number'],
  agent: ['agentnumber', 'agent_connected'],
  ivr: ['ivrduration', 'total_call_duration'],
  talk: ['callduration', 'conversation_duration'],
  status: ['callstatus', 'call_status'],
  circle: ['state', 'caller_circle'],
  knumber: ['ibizfonenumber', 'knumber'],
  rec: ['recordingurl', 'recording_url'],
}

const recase = (k: string, how: number): string =>
  how === 0 ? k : how === 1 ? k.toUpperCase() : k[0]!.toUpperCase() + k.slice(1)

const phone = fc.oneof(
  fc.stringMatching(/^[6-9]\d{9}$/),
  fc.stringMatching(/^[6-9]\d{9}$/).map((d) => `+91 ${d.slice(0, 5)} ${d.slice(5)}`),
  fc.stringMatching(/^[6-9]\d{9}$/).map((d) => `0${d}`),
  fc.stringMatching(/^[6-9]\d{9}$/).map((d) => `91${d}`),
)
const empty = fc.constantFrom('', 'NA', 'null', 'None', 'none')
const duration = fc.oneof(
  fc.nat(86_400).map(String),
  fc
    .tuple(fc.nat(23), fc.nat(59), fc.nat(59))
    .map(([h, m, s]) => [h, m, s].map((n) => String(n).padStart(2, '0')).join(':')),
  fc.tuple(fc.nat(59), fc.nat(59)).map(([m, s]) => `${m}:${String(s).padStart(2, '0')}`),
)
const date = fc
  .date({
    min: new Date('2024-01-01T00:00:00Z'),
    max: new Date('2027-12-31T00:00:00Z'),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString().slice(0, 10))
const time = fc
  .tuple(fc.nat(23), fc.nat(59), fc.nat(59))
  .map((t) => t.map((n) => String(n).padStart(2, '0')).join(':'))

/** A valid push: a random naming scheme and key case per field, awkward but legal values. */
const validPairs = fc
  .record({
    id: fc.nat(400).map((n) => `fz-${n}`),
    scheme: fc.array(fc.nat(1), { minLength: 9, maxLength: 9 }),
    keyCase: fc.nat(2),
    caller: phone,
    agent: fc.oneof(
      phone,
      empty,
      phone.map((p) => `BUSY ${p}`),
    ),
    date,
    time,
    ivr: fc.oneof(duration, empty),
    talk: fc.oneof(duration, empty),
    status: fc.constantFrom('ANSWER', 'answer', 'Missed', 'DROPPED', 'dropped'),
    circle: fc.oneof(fc.constantFrom('Karnataka', 'Delhi', 'Tamil Nadu'), empty),
    knumber: fc.oneof(phone, empty),
    rec: fc.oneof(
      empty,
      fc.constant('https://rec.example.com/a.mp3'),
      fc.constant('https%3A%2F%2Frec.example.com%2Fb.mp3'),
      fc.constant('ftp://nope'),
    ),
    department: fc.oneof(fc.constantFrom('Sales', 'Support'), empty),
    calltype: fc.option(fc.constantFrom('inbound', 'outbound'), { nil: undefined }),
    extra: fc.array(
      fc.tuple(
        fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'foo', 'x-y'),
        fc.string({ maxLength: 20 }),
      ),
      { maxLength: 3 },
    ),
  })
  .map((v) => {
    const pairs: Pair[] = []
    const names = Object.keys(SCHEMES)
    names.forEach((field, i) => {
      const key = SCHEMES[field]![v.scheme[i]!]!
      pairs.push([recase(key, v.keyCase), (v as unknown as Record<string, string>)[field]!])
    })
    pairs.push(['date', v.date], ['time', v.time], ['department', v.department])
    if (v.calltype) pairs.push(['calltype', v.calltype])
    for (const [k, x] of v.extra) pairs.push([k, x])
    return { id: v.id, pairs }
  })

/** A mutation that makes the push invalid (or harmless, marked so). */
const mutation = fc.oneof(
  fc.constantFrom('calllogid', 'callernumber', 'date', 'time', 'callstatus').map((k) => ({
    fatal: true,
    apply: (p: Pair[]) => p.filter(([key]) => !SCHEMES_OF(k).includes(key.toLowerCase())),
  })),
  fc
    .constantFrom<Pair>(
      ['callstatus', 'BUSY'],
      ['date', '2026-02-30'],
      ['time', '25:61:00'],
      ['callduration', '-5'],
      ['ivrduration', 'XX'],
      ['callernumber', 'anonymous'],
    )
    .map(([k, v]) => ({
      fatal: true,
      apply: (p: Pair[]) => [
        ...p.filter(([key]) => !SCHEMES_OF(k).includes(key.toLowerCase())),
        [k, v] as Pair,
      ],
    })),
  fc.constant({
    fatal: true,
    // The same field twice with a different value, under the other scheme's name.
    apply: (p: Pair[]) => [
      ...p,
      ['call_status', 'MISSED'] as Pair,
      ['callstatus', 'ANSWER'] as Pair,
    ],
  }),
  fc.nat(3).map((which) => ({
    fatal: true,
    apply: (p: Pair[]) => [
      ...p,
      [['department', 'foo', 'calllogid', 'state'][which]!, 'z'.repeat(300)] as Pair,
    ],
  })),
  fc.constant({
    fatal: true,
    apply: (p: Pair[]) => [...p, ...Array.from({ length: 70 }, (_, i) => [`k${i}`, 'v'] as Pair)],
  }),
  fc.constant({ fatal: false, apply: (p: Pair[]) => [...p, ...p.slice(0, 3)] }),
)

const SCHEMES_OF = (k: string): string[] => {
  for (const names of Object.values(SCHEMES)) if (names.includes(k)) return names
  return [k]
}

const enc = encodeURIComponent
const form = (pairs: Pair[], broken: string | null): string =>
  pairs
    .map(([k, v]) => `${enc(k)}=${enc(v)}`)
    .concat(broken ? [broken] : [])
    .join('&')
const json = (pairs: Pair[]): string =>
  `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`

const request: fc.Arbitrary<Req> = fc
  .record({
    push: validPairs,
    mutation: fc.option(mutation, { freq: 2, nil: null }),
    transport: fc.constantFrom('get', 'form', 'json', 'bare-post'),
    slash: fc.boolean(),
    // A broken escape in an unknown parameter: kept literally, harmless.
    broken: fc.option(fc.constantFrom('junk=%', 'junk=%zz', 'junk=%E0%A4', '%%=1', 'a=%2'), {
      nil: null,
    }),
    target: fc.oneof(
      { weight: 8, arbitrary: fc.constant('ok') },
      {
        weight: 1,
        arbitrary: fc.constantFrom('wrong-token', 'short', 'other', 'bad-url', 'nested'),
      },
    ),
    method: fc.oneof(
      { weight: 9, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.constantFrom('PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD') },
    ),
  })
  .map((r): Req => {
    const pairs = r.mutation ? r.mutation.apply(r.push.pairs) : r.push.pairs
    const paths: Record<string, string> = {
      ok: `/api/PostCallLogs/${TOKEN}${r.slash ? '/' : ''}`,
      'wrong-token': `/api/PostCallLogs/${TOKEN.slice(1)}x/`,
      short: '/api/PostCallLogs/',
      other: '/api/v1/calls',
      'bad-url': '/api/%zz%/x',
      nested: `/api/PostCallLogs/${TOKEN}/x`,
    }
    const path = paths[r.target]!
    let expect: Expect = r.mutation?.fatal ? 'refuse' : 'accept'
    if (r.target !== 'ok' || r.method) expect = 'notfound'
    const base = { id: r.push.id, expect }
    if (r.transport === 'get')
      return { ...base, method: r.method ?? 'GET', url: `${path}?${form(pairs, r.broken)}` }
    if (r.transport === 'json')
      return {
        ...base,
        method: r.method ?? 'POST',
        url: path,
        body: json(pairs),
        headers: { 'content-type': 'application/json' },
      }
    return {
      ...base,
      method: r.method ?? 'POST',
      url: path,
      body: form(pairs, r.broken),
      headers:
        r.transport === 'form' ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
    }
  })

describe('listener fuzz (the real composition root, default settings)', () => {
  let core: AppCore
  let pool: Pool
  let dataDir: string

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ivrs-fuzz-'))
    // createCore as npm run serve builds it: every subscriber on, the rate limit as shipped.
    // Only the ports (any free one) and the token (so requests can be generated up front) are set.
    core = await createCore({
      env: readEnvConfig({
        IVRS_DATA_DIR: dataDir,
        IVRS_WEBHOOK_PORT: '0',
        IVRS_API_PORT: '0',
        IVRS_SIM_PORT: '0',
        IVRS_WEBHOOK_TOKEN: TOKEN,
      }),
      dataDir,
      logger: silentLogger,
      user: 'fuzz',
      appVersion: 'test',
    })
    await core.start()
    pool = new Pool(new URL(core.webhookUrl()).origin, { connections: BATCH })
  })
  afterAll(async () => {
    await pool?.close()
    await core?.stop()
    await rm(dataDir, { recursive: true, force: true })
  })

  it(`answers ${RUNS} generated requests in the vendor's words and stores exactly what it accepted`, async () => {
    const accepted = new Set<string>()
    let sent = 0
    let refused = 0
    let limited = 0
    const send = async (r: Req) => {
      const res = await pool.request({
        method: r.method as 'GET',
        path: r.url,
        // undici sends no body with HEAD.
        body: r.method === 'HEAD' ? undefined : r.body,
        headers: r.headers,
      })
      return { statusCode: res.statusCode, body: await res.body.text(), headers: res.headers }
    }
    await fc.assert(
      fc.asyncProperty(fc.array(request, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        const answers = await Promise.all(batch.map(send))
        batch.forEach((r, i) => {
          const a = answers[i]!
          sent++
          const shape = `${a.statusCode} ${a.body}`
          const what = `${r.method} ${r.url} ${r.body ?? ''}`
          expect([
            '200 Accepted',
            '400 Invalid Data',
            '413 Invalid Data',
            '404 Not Found',
            '429 Failure',
            r.method === 'HEAD' ? '404 ' : '',
            r.method === 'HEAD' ? '429 ' : '',
          ]).toContain(shape)
          // Only a miss is ever limited (from one address, beyond 1,000 in 10 s).
          if (a.statusCode === 429) {
            expect(r.expect, what).toBe('notfound')
            limited++
          } else if (r.expect === 'notfound') expect(a.statusCode, what).toBe(404)
          if (r.expect === 'accept') expect(shape, what).toBe('200 Accepted')
          if (r.expect === 'refuse') expect(a.statusCode, what).toBe(400)
          if (a.statusCode === 200) accepted.add(r.id)
          if (a.statusCode === 400) refused++
          expect(a.headers['cache-control']).toBe('no-store')
        })
      }),
      {
        numRuns: Math.ceil(RUNS / BATCH),
        seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined,
      },
    )
    expect(sent).toBeGreaterThanOrEqual(RUNS)
    expect(accepted.size).toBeGreaterThan(0)
    expect(refused).toBeGreaterThan(0)
    console.log(
      `fuzz: ${sent} requests, ${accepted.size} calls, ${refused} refused, ${limited} misses limited`,
    )
    const ctx = ownerContext('http', 'fuzz')
    const page = await core.handlers['calls:list']({ limit: 1 }, ctx)
    expect(page.total).toBe(accepted.size)
    for (const id of accepted)
      expect(await core.handlers['calls:get']({ id }, ctx), id).not.toBeNull()
    expect((await core.health()).rejectedCount).toBe(refused)
  })
})
