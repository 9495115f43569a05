/**
 * The team server's accounts over both backends: the table of roles over HTTP with accounts kept
 * in a data folder or in PostgreSQL; and, on PostgreSQL, several instances sharing them: what
 * one adds, revokes or re-roles works (or stops working) on the other at once, and the other's
 * listeners (its event streams) hear of it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import type { Role } from '../../../src/shared/team'
import {
  AccountService,
  openAccountsDocument,
  type AccountChange,
} from '../../../src/main/accounts/accounts'
import { silentLogger } from '../../../src/main/ground/logger'
import { Database } from '../../../src/main/storage/postgres/database'
import { pgDocuments } from '../../../src/main/storage/postgres/pgDocuments'
import { makeFakeCore, type FakeCore } from '../../unit/api/fakeCore'
import { expectRoleAnswer, peopleOfEachRole, ROLE_CASES, roleApp } from '../../unit/api/roleTable'
import { BACKENDS, until, useBackend, type Backend } from './backends'

const clock = { now: Date.now }

async function instance(backend: Backend): Promise<AccountService> {
  return new AccountService(
    await openAccountsDocument(await backend.documents()),
    clock,
    silentLogger,
  )
}

describe.each(BACKENDS)('accounts and roles over HTTP: $name', (factory) => {
  const place = useBackend(factory)
  let app: FastifyInstance
  let fake: FakeCore
  let tokens: Record<Role, string>

  beforeEach(async () => {
    const accounts = await instance(place())
    tokens = await peopleOfEachRole(accounts)
    fake = makeFakeCore()
    app = roleApp(fake, accounts)
  })
  afterEach(() => app.close())

  it('answers every channel for every role as the table says', async () => {
    for (const [channel, role] of ROLE_CASES)
      await expectRoleAnswer(app, fake, channel, role, tokens[role])
  })

  it('keeps the accounts across a restart: the same tokens work on a new instance', async () => {
    await place().closeAll()
    const again = roleApp(fake, await instance(place()))
    try {
      for (const [channel, role] of ROLE_CASES.filter(([c]) => c === 'agents:setStatus'))
        await expectRoleAnswer(again, fake, channel, role, tokens[role])
    } finally {
      await again.close()
    }
  })
})

describe('accounts on PostgreSQL: several instances', () => {
  const place = useBackend(BACKENDS.find((b) => b.name === 'PostgreSQL')!)

  it('lets a token added through A in on B at once, before any notice could arrive', async () => {
    const a = await instance(place())
    const b = await instance(place())
    const made = await a.add({ name: 'Asha Rao', role: 'supervisor' }, 'Meera')
    // No wait: B reads the accounts again for an id it does not know.
    expect(await b.verify(made.token)).toMatchObject({ name: 'Asha Rao', role: 'supervisor' })
    expect(b.list().map((x) => x.name)).toEqual(['Asha Rao'])
  })

  it("ends a revoked person on B and tells B's listeners; a new role likewise", async () => {
    const a = await instance(place())
    const b = await instance(place())
    const heardOnB: AccountChange[] = []
    b.onChange((c) => heardOnB.push(c))
    const made = await a.add({ name: 'Asha Rao', role: 'viewer' }, 'Meera')
    expect((await b.verify(made.token))?.role).toBe('viewer')

    await a.setRole('Asha Rao', 'supervisor', 'Meera')
    await until(() => heardOnB.some((c) => c.what === 'role'))
    expect((await b.verify(made.token))?.role).toBe('supervisor')

    await a.revoke('asha rao', 'Meera')
    await until(() => heardOnB.some((c) => c.what === 'revoked'))
    expect(await b.verify(made.token)).toBeNull()
    expect(heardOnB.map((c) => [c.what, c.account.name, c.account.role])).toEqual([
      ['added', 'Asha Rao', 'viewer'],
      ['role', 'Asha Rao', 'supervisor'],
      ['revoked', 'Asha Rao', 'supervisor'],
    ])
    expect(heardOnB.at(-1)!.account.revokedBy).toBe('Meera')
  })

  it("tells a change of A that B's own update carried in, with no notice of it", async () => {
    const a = await instance(place())
    // B hears no notices at all: what A changed reaches it only inside its own next update,
    // as when A's notice is still on the way (it then finds nothing newer to read).
    const db = await Database.open({ url: place().url!, logger: silentLogger, waitMs: 5_000 })
    try {
      const b = new AccountService(
        await openAccountsDocument(pgDocuments(db, null, silentLogger)),
        clock,
        silentLogger,
      )
      const made = await a.add({ name: 'Asha Rao', role: 'viewer' }, 'Meera')
      expect(await b.verify(made.token)).not.toBeNull()
      const heardOnB: AccountChange[] = []
      b.onChange((c) => heardOnB.push(c))
      await a.revoke('Asha Rao', 'Meera')
      await b.add({ name: 'Ravi', role: 'viewer' }, 'Meera')
      expect(heardOnB.map((c) => [c.what, c.account.name])).toEqual([
        ['revoked', 'Asha Rao'],
        ['added', 'Ravi'],
      ])
      expect(await b.verify(made.token)).toBeNull()
    } finally {
      await db.close()
    }
  })

  it('lets only one of two instances adding the same name at once succeed', async () => {
    const a = await instance(place())
    const b = await instance(place())
    const results = await Promise.allSettled([
      a.add({ name: 'Asha Rao', role: 'viewer' }, 'Meera'),
      b.add({ name: 'asha rao', role: 'admin' }, 'Ravi'),
    ])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
    expect(refused.reason).toMatchObject({ status: 409 })
    await until(() => a.list().length === 1 && b.list().length === 1)
  })
})
