import { fileDocuments } from '../../../src/main/storage/folder/documents'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { CHANNELS, mayUse } from '../../../src/shared/contract'
import type { Role } from '../../../src/shared/team'
import { AccountService, openAccountsDocument } from '../../../src/main/accounts/accounts'
import { silentLogger } from '../../../src/main/ground/logger'
import { makeFakeCore, type FakeCore } from './fakeCore'
import { GOOD, TOKEN } from './helpers'
import { expectRoleAnswer, peopleOfEachRole, ROLE_CASES, roleApp, sendAs } from './roleTable'

let app: FastifyInstance
let fake: FakeCore
let accounts: AccountService
let tokens: Record<Role, string>

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ivrs-roles-'))
  accounts = new AccountService(
    await openAccountsDocument(fileDocuments(dir)),
    { now: Date.now },
    silentLogger,
  )
  tokens = await peopleOfEachRole(accounts)
  fake = makeFakeCore()
  app = roleApp(fake, accounts)
  return () => app.close()
})

const send = (channel: Parameters<typeof sendAs>[1], token: string) => sendAs(app, channel, token)

describe('each role over HTTP, from the one table (the role in each row of REQUESTS)', () => {
  it.each(ROLE_CASES)('%s as a %s', (channel, role) =>
    expectRoleAnswer(app, fake, channel, role, tokens[role]),
  )

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
    const strict = roleApp(fake, accounts, 3)
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
