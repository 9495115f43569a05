import { fileDocuments } from '../../../src/main/storage/folder/documents'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import {
  ACCOUNTS_FILE,
  AccountService,
  openAccountsDocument,
  type AccountChange,
  type AccountsDocument,
} from '../../../src/main/accounts/accounts'
import { parseToken } from '../../../src/main/accounts/tokens'
import { silentLogger } from '../../../src/main/ground/logger'

let dir: string
let now = Date.parse('2026-03-02T10:00:00Z')
const clock = { now: () => now }

async function open(): Promise<AccountService> {
  return new AccountService(await openAccountsDocument(fileDocuments(dir)), clock, silentLogger)
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ivrs-accounts-'))
})

describe('AccountService', () => {
  it('gives a new person a token that works, and keeps only its salted hash', async () => {
    const accounts = await open()
    const made = await accounts.add({ name: '  Asha Rao ', role: 'supervisor' }, 'Ravi')
    expect(made.account).toMatchObject({ name: 'Asha Rao', role: 'supervisor', createdBy: 'Ravi' })
    expect(parseToken(made.token)?.id).toBe(made.account.id)
    expect(await accounts.verify(made.token)).toEqual(made.account)

    const file = await readFile(join(dir, ACCOUNTS_FILE), 'utf8')
    const secret = parseToken(made.token)!.secret
    expect(file).not.toContain(secret)
    expect(file).not.toContain(made.token)
    const stored = JSON.parse(file).accounts[0]
    expect(stored.salt).toMatch(/^[A-Za-z0-9+/]{22}==$/)
    expect(stored.hash).toMatch(/^[A-Za-z0-9+/]{43}=$/)

    // Another process (a restart) verifies it from the file alone.
    const again = await open()
    expect((await again.verify(made.token))?.name).toBe('Asha Rao')
  })

  it('refuses wrong, altered and malformed tokens', async () => {
    const accounts = await open()
    const made = await accounts.add({ name: 'Asha', role: 'viewer' }, 'Ravi')
    const { id, secret } = parseToken(made.token)!
    const flipped = secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A')
    for (const wrong of [
      `ivrs_${id}_${flipped}`,
      `ivrs_AAAAAAAAAAAA_${secret}`,
      made.token.slice(0, -1),
      `${made.token}x`,
      '',
      'Bearer ' + made.token,
    ])
      expect(await accounts.verify(wrong), wrong).toBeNull()
    // Still refused once the right one was verified (the in-memory record of it).
    expect(await accounts.verify(made.token)).not.toBeNull()
    expect(await accounts.verify(`ivrs_${id}_${flipped}`)).toBeNull()
  })

  it('stops a revoked token at once, tells the listeners, and keeps the record', async () => {
    const accounts = await open()
    const changes: AccountChange[] = []
    accounts.onChange((c) => changes.push(c))
    const made = await accounts.add({ name: 'Asha', role: 'viewer' }, 'Ravi')
    expect(await accounts.verify(made.token)).not.toBeNull()
    now += 60_000
    const revoked = await accounts.revoke('asha', 'Ravi')
    expect(revoked.revokedAt).toBe(new Date(now).toISOString())
    expect(revoked.revokedBy).toBe('Ravi')
    expect(await accounts.verify(made.token)).toBeNull()
    expect(changes.map((c) => c.what)).toEqual(['added', 'revoked'])
    expect(accounts.list()).toHaveLength(1)
    expect(accounts.activeCount()).toBe(0)
    // The name is free again; the old token stays dead.
    const next = await accounts.add({ name: 'Asha', role: 'admin' }, 'Ravi')
    expect(await accounts.verify(made.token)).toBeNull()
    expect((await accounts.verify(next.token))?.role).toBe('admin')
    await expect(accounts.revoke('Nobody', 'Ravi')).rejects.toThrow(/No active account/)
  })

  it('changes a role for the next request and records who changed it', async () => {
    const accounts = await open()
    const made = await accounts.add({ name: 'Asha', role: 'viewer' }, 'Ravi')
    expect((await accounts.verify(made.token))?.role).toBe('viewer')
    const changed = await accounts.setRole('Asha', 'supervisor', 'Meera')
    expect(changed).toMatchObject({ role: 'supervisor', roleChangedBy: 'Meera' })
    expect((await accounts.verify(made.token))?.role).toBe('supervisor')
  })

  it('refuses a second active account of the same name', async () => {
    const accounts = await open()
    await accounts.add({ name: 'Asha Rao', role: 'viewer' }, 'Ravi')
    await expect(accounts.add({ name: 'asha rao', role: 'admin' }, 'Ravi')).rejects.toMatchObject({
      status: 409,
    })
  })

  it('verifies concurrent requests of a new token alike', async () => {
    const accounts = await open()
    const made = await accounts.add({ name: 'Asha', role: 'viewer' }, 'Ravi')
    const fresh = await open()
    const all = await Promise.all(Array.from({ length: 8 }, () => fresh.verify(made.token)))
    expect(all.every((a) => a?.name === 'Asha')).toBe(true)
  })

  it('reads the accounts again for an unknown id, at most once a second', async () => {
    // Another instance on a database may have added the account a moment ago.
    const doc = await openAccountsDocument(fileDocuments(dir))
    let reads = 0
    const counted: AccountsDocument = {
      get data() {
        return doc.data
      },
      update: (fn) => doc.update(fn),
      onExternalChange: (fn) => doc.onExternalChange(fn),
      reload: async () => void reads++,
    }
    const accounts = new AccountService(counted, clock, silentLogger)
    const made = await accounts.add({ name: 'Asha', role: 'viewer' }, 'Ravi')
    expect(await accounts.verify(made.token)).not.toBeNull()
    expect(reads).toBe(0)
    const unknown = (i: number) => `ivrs_${String(i).padStart(12, 'A')}_${'x'.repeat(43)}`
    const burst = await Promise.all(
      Array.from({ length: 20 }, (_, i) => accounts.verify(unknown(i))),
    )
    expect(burst.every((a) => a === null)).toBe(true)
    expect(reads).toBe(1)
    now += 999
    expect(await accounts.verify(unknown(99))).toBeNull()
    expect(reads).toBe(1)
    now += 1
    expect(await accounts.verify(unknown(100))).toBeNull()
    expect(reads).toBe(2)
  })
})
