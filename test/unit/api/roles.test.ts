import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { CHANNELS, MIN_ROLE, mayUse, type Channel } from '../../../src/shared/contract'
import { ROLES, type Role } from '../../../src/shared/team'
import { buildApiApp } from '../../../src/main/api/app'
import { AccountService, openAccountsDocument } from '../../../src/main/accounts/accounts'
import { silentLogger } from '../../../src/main/ground/logger'
import { makeFakeCore, SAMPLE_REQUESTS, type FakeCore } from './fakeCore'
import { GOOD, PORT, TOKEN, httpCallFor } from './helpers'

let app: FastifyInstance
let fake: FakeCore
let accounts: AccountService
const tokens = {} as Record<Role, string>

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ivrs-roles-'))
  accounts = new AccountService(await openAccountsDocument(dir), { now: Date.now }, silentLogger)
  for (const role of ROLES)
    tokens[role] = (await accounts.add({ name: `The ${role}`, role }, 'test')).token
  fake = makeFakeCore()
  app = appLimitedTo(1000)
  return () => app.close()
})

/** The API with real accounts, allowing `max` requests without a valid token a minute. */
function appLimitedTo(max: number): FastifyInstance {
  return buildApiApp({
    core: fake.core,
    token: TOKEN,
    accounts,
    port: () => PORT,
    staticDir: null,
    logger: silentLogger,
    authFailureLimit: { max, windowMs: 60_000 },
  })
}

async function send(channel: Channel, token: string) {
  const call = httpCallFor(channel, SAMPLE_REQUESTS[channel])
  return app.inject({
    method: call.method,
    url: call.url,
    headers: { host: GOOD.host, authorization: `Bearer ${token}`, ...call.headers },
    ...(call.payload !== undefined ? { payload: call.payload } : {}),
  })
}

describe('each role over HTTP, from the one table (MIN_ROLE)', () => {
  const cases = CHANNELS.flatMap((channel) => ROLES.map((role) => [channel, role] as const))

  it.each(cases)('%s as a %s', async (channel, role) => {
    const before = fake.calls.length
    const res = await send(channel, tokens[role])
    if (mayUse(role, channel)) {
      expect(res.statusCode, res.body).toBe(200)
      if (channel !== 'calls:exportCsv') {
        expect(fake.calls.length).toBe(before + 1)
        expect(fake.calls.at(-1)!.ctx).toMatchObject({ user: `The ${role}`, role })
      }
      return
    }
    expect(res.statusCode).toBe(403)
    expect(res.json().error).toBe(
      `Forbidden: ${channel} needs the ${MIN_ROLE[channel]} role or above; The ${role} is a ${role}. Ask an admin of this team server.`,
    )
    expect(fake.calls.length).toBe(before)
  })

  it('lets the owner (the launch token) do everything, as an admin without an account', async () => {
    for (const channel of CHANNELS) {
      const res = await send(channel, TOKEN)
      expect(res.statusCode, channel).toBe(200)
    }
    expect(fake.calls.at(-1)!.ctx).toMatchObject({ role: 'admin', accountId: null })
  })

  it('gives each role something it may not do, but the admin', () => {
    expect(CHANNELS.filter((c) => !mayUse('viewer', c)).length).toBeGreaterThan(0)
    expect(CHANNELS.filter((c) => !mayUse('supervisor', c)).length).toBeGreaterThan(0)
    expect(CHANNELS.every((c) => mayUse('admin', c))).toBe(true)
    expect(mayUse('viewer', 'agents:setStatus')).toBe(false)
    expect(mayUse('supervisor', 'agents:setStatus')).toBe(true)
    expect(mayUse('supervisor', 'settings:update')).toBe(false)
  })

  it('refuses a revoked token with 401 on its very next request', async () => {
    const made = await accounts.add({ name: 'Leaving', role: 'supervisor' }, 'test')
    expect((await send('health:get', made.token)).statusCode).toBe(200)
    await accounts.revoke('Leaving', 'test')
    const res = await send('health:get', made.token)
    expect(res.statusCode).toBe(401)
    expect(res.json().error).toMatch(/revoked/)
  })

  it('answers 429 after too many requests without a valid token from one address', async () => {
    const strict = appLimitedTo(3)
    const codes: number[] = []
    for (let i = 0; i < 5; i++) {
      const res = await strict.inject({
        url: '/api/v1/health',
        headers: { host: GOOD.host, authorization: 'Bearer wrong-token-0123456789' },
      })
      codes.push(res.statusCode)
    }
    expect(codes).toEqual([401, 401, 401, 429, 429])
    // The right token still passes: only failures are counted.
    const ok = await strict.inject({ url: '/api/v1/health', headers: GOOD })
    expect(ok.statusCode).toBe(200)
    await strict.close()
  })
})
