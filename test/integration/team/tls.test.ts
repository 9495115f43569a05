/**
 * Offering the API beyond loopback, as `npm run serve` starts: refused without TLS or a declared
 * proxy (naming the variable to set), served over HTTPS with a certificate the test makes, and
 * behind a declared proxy with its host names.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { Agent, request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHeadless, type Headless } from '../../support/headless'
import { openStream } from '../../support/eventStream'
import { addPerson } from '../../support/users'

const run = promisify(execFile)

let dir: string
let cert: string
let key: string
let trusting: Agent
const started: Headless[] = []

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ivrs-tls-'))
  cert = join(dir, 'cert.pem')
  key = join(dir, 'key.pem')
  await run('/usr/bin/openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    key,
    '-out',
    cert,
    '-days',
    '2',
    '-subj',
    '/CN=supervisor.test',
    '-addext',
    'subjectAltName=DNS:supervisor.test,IP:127.0.0.1',
  ])
  trusting = new Agent({ connect: { ca: await readFile(cert) } })
})
afterAll(async () => {
  for (const h of started) await h.stop()
  await trusting?.close()
  await rm(dir, { recursive: true, force: true })
})

async function start(env: Record<string, string>): Promise<Headless> {
  const h = await startHeadless({ env })
  started.push(h)
  return h
}

/** Start-up must fail with exit code 2 and this message on stderr. */
async function refused(env: Record<string, string>, message: RegExp): Promise<void> {
  await expect(startHeadless({ env, timeoutMs: 60_000 })).rejects.toThrow(
    new RegExp(`exited with 2[\\s\\S]*Configuration error: ${message.source}`),
  )
}

describe('start-up refuses an API offered beyond loopback without TLS', () => {
  it('names IVRS_API_HOST and what to set', async () => {
    await refused({ IVRS_API_HOST: '0.0.0.0' }, /IVRS_API_HOST=0\.0\.0\.0 would offer the API/)
  })

  it('names IVRS_API_HOSTNAMES behind a declared proxy without them', async () => {
    await refused(
      { IVRS_API_HOST: '0.0.0.0', IVRS_TRUST_PROXY: 'loopback' },
      /IVRS_API_HOSTNAMES must name/,
    )
  })

  it('names the TLS file it cannot read, and a certificate that is no PEM', async () => {
    await refused(
      { IVRS_API_HOST: '0.0.0.0', IVRS_TLS_CERT: cert, IVRS_TLS_KEY: join(dir, 'missing.pem') },
      /IVRS_TLS_KEY names a file that cannot be read/,
    )
    const junk = join(dir, 'junk.pem')
    await writeFile(junk, 'not a certificate')
    await refused(
      { IVRS_API_HOST: '0.0.0.0', IVRS_TLS_CERT: junk, IVRS_TLS_KEY: key },
      /IVRS_TLS_CERT and IVRS_TLS_KEY must be a PEM certificate/,
    )
  })
})

describe('a team server with its own certificate', () => {
  let h: Headless
  beforeAll(async () => {
    h = await start({
      IVRS_API_HOST: '0.0.0.0',
      IVRS_TLS_CERT: cert,
      IVRS_TLS_KEY: key,
      IVRS_API_HOSTNAMES: 'supervisor.test',
    })
  })

  it('serves HTTPS only, to a person with their token, under its names', async () => {
    expect(h.apiUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    const port = new URL(h.apiUrl).port
    expect(h.stdout()).toContain(`Team address: https://supervisor.test:${port}/`)
    const token = await addPerson(h.dataDir, 'Asha Rao', 'viewer')
    const get = (host: string, dispatcher: Agent = trusting) =>
      request(`${h.apiUrl}/api/v1/session`, {
        headers: { authorization: `Bearer ${token}`, host },
        dispatcher,
      })
    const ok = await get('supervisor.test')
    expect(ok.statusCode).toBe(200)
    expect(await ok.body.json()).toEqual({ name: 'Asha Rao', role: 'viewer', owner: false })
    expect((await get(`127.0.0.1:${port}`)).statusCode).toBe(200)
    // A client that does not check the certificate's name still meets the Host check.
    const careless = new Agent({ connect: { rejectUnauthorized: false } })
    const rebound = await get('evil.test', careless)
    expect(rebound.statusCode).toBe(403)
    await rebound.body.dump()
    await careless.close()

    // Plain HTTP on the same port gets no API.
    const plain = await request(`http://127.0.0.1:${port}/api/v1/session`, {
      headers: { authorization: `Bearer ${token}` },
    }).then(
      async (r) => ({ status: r.statusCode, body: await r.body.text() }),
      (err: Error) => ({ status: 0, body: err.message }),
    )
    expect(plain.status).not.toBe(200)

    const stream = await openStream(h.apiUrl, token, { dispatcher: trusting })
    expect(stream.status).toBe(200)
    await stream.until(() => stream.lastEventId() !== null, 'the preamble')
    stream.close()
  })
})

describe('a team server behind a declared proxy', () => {
  it('answers under the names it was given and refuses others', async () => {
    const h = await start({
      IVRS_API_HOST: '0.0.0.0',
      IVRS_TRUST_PROXY: 'loopback',
      IVRS_API_HOSTNAMES: 'supervisor.test',
    })
    expect(h.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const get = (host: string) =>
      request(`${h.apiUrl}/api/v1/health`, {
        headers: { authorization: `Bearer ${h.apiToken}`, host, 'x-forwarded-for': '203.0.113.9' },
      })
    const ok = await get('supervisor.test')
    expect(ok.statusCode).toBe(200)
    await ok.body.dump()
    const rebound = await get('evil.test')
    expect(rebound.statusCode).toBe(403)
    await rebound.body.dump()
  })
})

describe('a team server bound beyond loopback behind a proxy, without TLS of its own', () => {
  it('serves its plain HTTP to the declared proxy only: any other peer, loopback too, gets 403', async () => {
    // Two addresses of this machine: the proxy's (declared) and another peer's (127.0.0.1).
    const h = await start({
      IVRS_API_HOST: '0.0.0.0',
      IVRS_TRUST_PROXY: '127.0.0.2',
      IVRS_API_HOSTNAMES: 'supervisor.test',
    })
    const fromProxy = new Agent({ localAddress: '127.0.0.2' })
    const get = async (dispatcher?: Agent) => {
      const res = await request(`${h.apiUrl}/api/v1/session`, {
        headers: { authorization: `Bearer ${h.apiToken}`, host: 'supervisor.test' },
        dispatcher,
      })
      return { status: res.statusCode, body: await res.body.text() }
    }
    const direct = await get()
    expect(direct.status).toBe(403)
    expect(direct.body).toContain('declared proxy only')
    expect(direct.body).not.toContain('admin')
    // The webpage and the probes are refused alike.
    const page = await request(`${h.apiUrl}/`, { headers: { host: 'supervisor.test' } })
    expect(page.statusCode).toBe(403)
    await page.body.dump()
    const proxied = await get(fromProxy)
    expect(proxied.status).toBe(200)
    expect(JSON.parse(proxied.body)).toMatchObject({ role: 'admin', owner: true })
    await fromProxy.close()
  })
})
