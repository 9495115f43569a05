/**
 * The team server on PostgreSQL, as it ships: `npm run users` with IVRS_DATABASE_URL (before and
 * while servers run), two `npm run serve` receivers on one database, each role's requests on
 * either instance, an account added, revoked or re-roled through one instance taking effect on
 * the other (its open event streams ended or reloaded), the person in the database's activity
 * log and vendor audit trail, and a client that reconnects to the other instance (as behind a
 * load balancer) told to reload rather than miss events.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { request } from 'undici'
import type { Account, AccountCreated } from '../../../src/shared/team'
import type { ActivityEntry } from '../../../src/main/core/changeLog'
import type { AuditEntry } from '../../../src/main/ivrApi/audit'
import { samplePushUrl, type Headless } from '../../support/headless'
import { openStream } from '../../support/eventStream'
import { freshDatabase } from '../../support/pgDatabase'
import { runUsers } from '../../support/users'
import { FakeVendor } from '../ivrApi/fakeVendor'
import { api, documentBody, logEntries, startReceiver } from './helpers'

const TOKEN_LINE = /^ivrs_[A-Za-z0-9_-]{12}_[A-Za-z0-9_-]{43}$/

let url: string
let vendor: FakeVendor
let vendorUrl: string
/** A folder no server uses: with the database, the command needs none. */
let spareDir: string
let a: Headless
let b: Headless
const tokens: Record<string, string> = {}

/** `npm run users` against the database, on `dir` (a running server's folder or none's). */
const users = (args: string[], dir = spareDir) => runUsers(dir, args, { IVRS_DATABASE_URL: url })

const push = async (h: Headless, calllogid: string) => {
  const res = await request(samplePushUrl(h.webhookUrl, { calllogid }))
  expect(await res.body.text()).toBe('Accepted')
}

beforeAll(async () => {
  url = await freshDatabase('team')
  spareDir = await mkdtemp(join(tmpdir(), 'ivrs-pg-users-'))
  vendor = new FakeVendor()
  vendorUrl = await vendor.start()
})

afterAll(async () => {
  for (const h of [a, b]) {
    await h?.stop()
    if (h) await rm(h.dataDir, { recursive: true, force: true })
  }
  await vendor?.stop()
  await rm(spareDir, { recursive: true, force: true })
})

describe('npm run users with IVRS_DATABASE_URL, no server running', () => {
  it("adds people to the database's accounts, each token printed once on the last line", async () => {
    for (const [name, role] of [
      ['Asha Rao', 'supervisor'],
      ['Vikram Shah', 'viewer'],
      ['Meera Iyer', 'admin'],
    ] as const) {
      const run = await users(['add', name, '--role', role])
      expect(run.code, run.stderr).toBe(0)
      expect(run.stdout).toMatch(/shown this once only/)
      expect(run.lastLine).toMatch(TOKEN_LINE)
      tokens[name] = run.lastLine
    }
    const list = await users(['list'])
    expect(list.stdout).toMatch(/^Meera Iyer\tadmin\tactive\tcreated .* by command line$/m)
    expect(list.stdout.trim().split('\n')).toHaveLength(3)
    // Kept in the database, as salted hashes only; the folder holds nothing.
    const stored = await documentBody(url, 'accounts.json')
    expect(JSON.parse(stored).accounts).toHaveLength(3)
    for (const t of Object.values(tokens)) expect(stored).not.toContain(t.slice(18))
    expect(await readdir(spareDir)).not.toContain('accounts.json')
  })
})

describe('two receivers sharing the accounts', () => {
  beforeAll(async () => {
    const env = {
      IVRS_VENDOR_URL: vendorUrl,
      IVRS_VENDOR_API_KEY: vendor.apiKey,
      IVRS_VENDOR_CUST_ID: vendor.custId,
    }
    ;[a, b] = await Promise.all([startReceiver(url, env), startReceiver(url, env)])
    for (const h of [a, b]) expect(h.stdout()).toMatch(/^Accounts: 3 active/m)
  })

  it('answers each role the same on either instance', async () => {
    const agent = { number: '9811100005', name: 'Kiran', department: 'Sales' }
    for (const h of [a, b]) {
      expect((await api(h, 'GET', '/api/v1/health', undefined, tokens['Vikram Shah'])).status).toBe(
        200,
      )
      const refused = await api<{ error: string }>(
        h,
        'POST',
        '/api/v1/agents',
        agent,
        tokens['Vikram Shah'],
      )
      expect(refused.status).toBe(403)
      expect(refused.json.error).toMatch(/needs the supervisor role .* Vikram Shah is a viewer/)
      const settings = await api(h, 'PATCH', '/api/v1/settings', {}, tokens['Asha Rao'])
      expect(settings.status).toBe(403)
      const list = await api<Account[]>(
        h,
        'GET',
        '/api/v1/accounts',
        undefined,
        tokens['Meera Iyer'],
      )
      expect(list.json.map((x) => x.name)).toEqual(['Asha Rao', 'Vikram Shah', 'Meera Iyer'])
    }
    expect((await api(b, 'POST', '/api/v1/agents', agent, tokens['Asha Rao'])).status).toBe(200)
  })

  it('lets in at once on B a person added through A, and one added by the command line', async () => {
    const made = await api<AccountCreated>(
      a,
      'POST',
      '/api/v1/accounts',
      { name: 'Temp A', role: 'viewer' },
      tokens['Meera Iyer'],
    )
    expect(made.status).toBe(200)
    tokens['Temp A'] = made.json.token
    const onB = await api(b, 'GET', '/api/v1/session', undefined, made.json.token)
    expect(onB).toMatchObject({ status: 200, json: { name: 'Temp A', role: 'viewer' } })

    // While both run, on A's own folder: the database's accounts, not A's admin channel.
    const run = await users(['add', 'Temp CLI', '--role', 'viewer'], a.dataDir)
    expect(run.code, run.stderr).toBe(0)
    expect(run.lastLine).toMatch(TOKEN_LINE)
    tokens['Temp CLI'] = run.lastLine
    for (const h of [a, b])
      expect((await api(h, 'GET', '/api/v1/session', undefined, run.lastLine)).status).toBe(200)
  })

  it('ends on B the open stream of a person revoked through A, and refuses them on both', async () => {
    const stream = await openStream(b.apiUrl, tokens['Temp A']!)
    expect(stream.status).toBe(200)
    await stream.until(() => stream.lastEventId() !== null, 'the preamble')
    const revoked = await api(
      a,
      'POST',
      '/api/v1/accounts/Temp%20A/revoke',
      undefined,
      tokens['Meera Iyer'],
    )
    expect(revoked.status).toBe(200)
    await stream.ended
    for (const h of [a, b])
      expect((await api(h, 'GET', '/api/v1/health', undefined, tokens['Temp A'])).status).toBe(401)
  })

  it('ends on both instances the streams of a person revoked by the command line', async () => {
    const streams = await Promise.all([a, b].map((h) => openStream(h.apiUrl, tokens['Temp CLI']!)))
    for (const s of streams) await s.until(() => s.lastEventId() !== null, 'the preamble')
    const run = await users(['revoke', 'Temp CLI'])
    expect(run.code, run.stderr).toBe(0)
    await Promise.all(streams.map((s) => s.ended))
    for (const h of [a, b])
      expect((await api(h, 'GET', '/api/v1/health', undefined, tokens['Temp CLI'])).status).toBe(
        401,
      )
    // Everyone else keeps theirs.
    expect((await api(b, 'GET', '/api/v1/health', undefined, tokens['Vikram Shah'])).status).toBe(
      200,
    )
  })

  it('reloads on both instances the streams of a person whose role changed', async () => {
    const streams = await Promise.all(
      [a, b].map((h) => openStream(h.apiUrl, tokens['Vikram Shah']!)),
    )
    for (const s of streams) await s.until(() => s.lastEventId() !== null, 'the preamble')
    expect((await users(['role', 'Vikram Shah', 'supervisor'])).code).toBe(0)
    for (const s of streams) {
      const frames = await s.until((f) => f.some((x) => x.event === 'app:reload'), 'app:reload')
      expect(JSON.parse(frames.find((x) => x.event === 'app:reload')!.data).reason).toMatch(
        /Vikram Shah is now a supervisor/,
      )
      s.close()
    }
    for (const h of [a, b])
      expect(
        (await api<{ role: string }>(h, 'GET', '/api/v1/session', undefined, tokens['Vikram Shah']))
          .json.role,
      ).toBe('supervisor')
    expect((await users(['role', 'Vikram Shah', 'viewer'])).code).toBe(0)
  })

  it("records the person in the database's activity log and vendor audit trail", async () => {
    const switched = await api<{ change: { requestedBy: string } }>(
      a,
      'PUT',
      '/api/v1/agents/9811100005/status',
      { status: 'OFF' },
      tokens['Asha Rao'],
    )
    expect(switched.status).toBe(200)
    expect(switched.json.change.requestedBy).toBe('Asha Rao')
    const audit = await logEntries<AuditEntry>(url, 'vendor-audit')
    const requested = audit.flatMap((e) => (e.type === 'requested' ? [e.change] : []))
    expect(requested.at(-1)?.requestedBy).toBe('Asha Rao')

    const activity = await logEntries<ActivityEntry>(url, 'activity')
    expect(activity.map((e) => [e.channel, e.by, e.role, e.transport])).toEqual(
      expect.arrayContaining([
        ['accounts:add', 'command line', 'admin', 'cli'],
        ['agents:add', 'Asha Rao', 'supervisor', 'http'],
        ['accounts:add', 'Meera Iyer', 'admin', 'http'],
        ['accounts:revoke', 'Meera Iyer', 'admin', 'http'],
        ['accounts:revoke', 'command line', 'admin', 'cli'],
        ['accounts:setRole', 'command line', 'admin', 'cli'],
        ['agents:setStatus', 'Asha Rao', 'supervisor', 'http'],
      ]),
    )
    // Refused requests changed nothing and are not changes.
    expect(activity.some((e) => e.by === 'Vikram Shah')).toBe(false)
    // Nothing in the folders: one log for every instance.
    for (const h of [a, b]) expect(await readdir(h.dataDir)).not.toContain('activity.jsonl')
  })

  it('tells a client that reconnects to the other instance to reload, then resumes it there', async () => {
    const onA = await openStream(a.apiUrl, tokens['Vikram Shah']!)
    await onA.until(() => onA.lastEventId() !== null, 'the preamble')
    const lastOnA = onA.lastEventId()!
    onA.close()
    await onA.ended
    // A call while the client is away: A's numbers say nothing of what B sent.
    await push(a, 'lb-away')

    const onB = await openStream(b.apiUrl, tokens['Vikram Shah']!, { lastEventId: lastOnA })
    const frames = await onB.until((f) => f.length > 0, 'a frame')
    expect(frames[0]!.event).toBe('app:reload')
    expect(JSON.parse(frames[0]!.data).reason).toMatch(/another instance/)
    const lastOnB = onB.lastEventId()!
    expect(lastOnB.split('.')[0]).not.toBe(lastOnA.split('.')[0])
    onB.close()
    await onB.ended

    // Back on B with B's id: what came meanwhile (a call through A, heard by B) is replayed.
    await push(a, 'lb-later')
    const again = await openStream(b.apiUrl, tokens['Vikram Shah']!, { lastEventId: lastOnB })
    const replayed = await again.until(
      (f) => f.some((x) => x.event === 'call:stored' && x.data.includes('"lb-later"')),
      'the call through A',
    )
    expect(replayed.some((x) => x.event === 'app:reload')).toBe(false)
    again.close()
  })
})
