/**
 * Watching a server as an operator does, through `npm run serve` (serve.ts) with its default
 * settings: the probes without a token, `/metrics` counting the pushes really sent to its
 * webhook, JSON log lines a collector parses (with the secrets redacted), the version of its
 * package.json wherever it is shown, and, on PostgreSQL, `/readyz` answering 503 while the
 * database is down and the refused pushes' errors folded into one line with a count.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { request } from 'undici'
import { afterAll, describe, expect, it } from 'vitest'
import { samplePushUrl, startHeadless, type Headless } from '../../support/headless'
import { createDatabase, startCluster, type PgCluster } from '../../support/postgres'
import { until } from '../postgres/helpers'

const ROOT = resolve(import.meta.dirname, '../../..')
const VERSION = (
  JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { version: string }
).version
const API_TOKEN = 'api-token-that-must-never-be-logged'
const WEBHOOK_TOKEN = 'webhookTokenThatMustNeverBeLogged'
const started: Headless[] = []
let cluster: PgCluster | null = null

afterAll(async () => {
  for (const h of started) await h.stop()
  cluster?.stop()
})

async function serve(env: Record<string, string> = {}): Promise<Headless> {
  const h = await startHeadless({
    env: {
      IVRS_LOG_FORMAT: 'json',
      IVRS_API_TOKEN: API_TOKEN,
      IVRS_WEBHOOK_TOKEN: WEBHOOK_TOKEN,
      // Started as systemd starts it: node itself, no npm to set npm_package_version.
      npm_package_version: '',
      ...env,
    },
  })
  started.push(h)
  return h
}

async function get(h: Headless, path: string, headers: Record<string, string> = {}) {
  const res = await request(`${h.apiUrl}${path}`, { headers })
  return { status: res.statusCode, type: res.headers['content-type'], text: await res.body.text() }
}

const auth = { authorization: `Bearer ${API_TOKEN}` }

/** One sample of a metric (`name{labels} value`) from the Prometheus text. */
function sample(text: string, name: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `))
  return line === undefined ? null : Number(line.slice(name.length + 1))
}

async function push(h: Headless, over: Record<string, string>) {
  const res = await request(samplePushUrl(h.webhookUrl, over))
  return `${res.statusCode} ${await res.body.text()}`
}

/** The log's lines, each parsed as JSON (throws on one that is not). */
function jsonLines(h: Headless): Record<string, unknown>[] {
  return h
    .stderr()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>)
}

describe('watching a server', () => {
  it('probes without a token, metrics of the real pushes, JSON logs, the real version', async () => {
    const h = await serve({ IVRS_LOG_LEVEL: 'debug' })
    expect(h.stdout()).toContain(`IVR Supervisor ${VERSION} (headless)`)

    // The probes: no token, any Host, a word and nothing else.
    const alive = await get(h, '/healthz', { host: 'monitor.internal' })
    expect([alive.status, JSON.parse(alive.text)]).toEqual([200, { status: 'ok' }])
    const ready = await get(h, '/readyz')
    expect([ready.status, JSON.parse(ready.text)]).toEqual([200, { status: 'ready' }])

    // The figures need a token.
    expect((await get(h, '/metrics')).status).toBe(401)
    const accepted = ['w-1', 'w-2', 'w-3', 'w-4']
    for (const id of accepted) expect(await push(h, { calllogid: id })).toBe('200 Accepted')
    // The same call again: accepted (idempotent), counted.
    expect(await push(h, { calllogid: 'w-1' })).toBe('200 Accepted')
    expect(await push(h, { calllogid: 'w-bad', date: '2026-02-30' })).toBe('400 Invalid Data')
    const metrics = await get(h, '/metrics', auth)
    expect(metrics.status).toBe(200)
    expect(metrics.type).toMatch(/^text\/plain; version=0\.0\.4/)
    expect(sample(metrics.text, 'ivrs_pushes_total{result="accepted"}')).toBe(5)
    expect(sample(metrics.text, 'ivrs_pushes_total{result="rejected"}')).toBe(1)
    expect(sample(metrics.text, 'ivrs_pushes_total{result="refused"}')).toBe(0)
    expect(sample(metrics.text, 'ivrs_push_commit_seconds_count')).toBe(5)
    expect(sample(metrics.text, 'ivrs_last_push_timestamp_seconds')).toBeGreaterThan(0)
    expect(sample(metrics.text, 'ivrs_outbox_pending_changes')).toBe(0)
    expect(sample(metrics.text, 'ivrs_event_stream_clients')).toBe(0)
    expect(sample(metrics.text, 'ivrs_ready')).toBe(1)
    expect(sample(metrics.text, `ivrs_build_info{version="${VERSION}"}`)).toBe(1)
    expect(sample(metrics.text, 'process_resident_memory_bytes')).toBeGreaterThan(0)

    // The version the API reports is the package's, started without npm.
    const info = await get(h, '/api/v1/info', auth)
    expect(JSON.parse(info.text)).toMatchObject({ version: VERSION })

    // Every line of the log is JSON: one per push at debug, the rejected one a warning.
    const lines = jsonLines(h)
    const acceptedLines = lines.filter((l) => l.msg === 'push accepted')
    expect(acceptedLines).toHaveLength(5)
    expect(acceptedLines[0]).toMatchObject({ level: 'debug', id: 'w-1', version: VERSION })
    expect(lines.find((l) => l.msg === 'push rejected')).toMatchObject({ level: 'warn' })
    for (const l of lines)
      expect(typeof l.time === 'string' && !Number.isNaN(Date.parse(l.time))).toBe(true)
    expect(h.stderr()).not.toContain(API_TOKEN)
    expect(h.stderr()).not.toContain(WEBHOOK_TOKEN)
  })

  it('at IVRS_LOG_LEVEL=warn, writes no info lines', async () => {
    const h = await serve({ IVRS_LOG_LEVEL: 'warn' })
    expect(await push(h, { calllogid: 'quiet-1' })).toBe('200 Accepted')
    expect(await push(h, { calllogid: 'quiet-bad', date: '2026-02-30' })).toBe('400 Invalid Data')
    await h.stop()
    const levels = new Set(jsonLines(h).map((l) => l.level))
    expect([...levels]).toEqual(['warn'])
  })

  it('on PostgreSQL: /readyz is 503 while the database is down, and the refusals are one line with a count', async () => {
    // A cluster of its own: this test stops it.
    cluster = await startCluster()
    const url = await createDatabase(cluster.adminUrl)
    const h = await serve({
      IVRS_DATABASE_URL: url,
      IVRS_SECRET_KEY: 'test-secret-key-of-enough-length',
    })
    expect(await push(h, { calllogid: 'pg-1' })).toBe('200 Accepted')
    expect((await get(h, '/readyz')).status).toBe(200)

    cluster.halt('fast')
    const down = await get(h, '/readyz')
    expect([down.status, JSON.parse(down.text)]).toEqual([503, { status: 'not ready' }])
    const REFUSED = 20
    for (let i = 0; i < REFUSED; i++)
      expect(await push(h, { calllogid: `pg-down-${i}` })).toBe('503 Failure')
    const metrics = await get(h, '/metrics', auth)
    expect(sample(metrics.text, 'ivrs_pushes_total{result="refused"}')).toBe(REFUSED)
    expect(sample(metrics.text, 'ivrs_ready')).toBe(0)
    expect(metrics.text).toContain(
      'ivrs_storage_problems{kind="database-unreachable",ongoing="true"} 1',
    )
    // The first refusal at once; the other 19 in one more line when the window ends.
    const refusals = () => jsonLines(h).filter((l) => l.msg === 'call could not be stored')
    await until('the repeats counted in one line', () => refusals().length === 2, 30_000)
    expect(refusals().map((l) => [l.level, l.repeated])).toEqual([
      ['error', undefined],
      ['error', REFUSED - 1],
    ])

    cluster.resume()
    await until('ready again', async () => (await get(h, '/readyz')).status === 200, 30_000)
    expect(await push(h, { calllogid: 'pg-2' })).toBe('200 Accepted')
  })
})
