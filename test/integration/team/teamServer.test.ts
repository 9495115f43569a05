/**
 * The team server as it ships (`src/main/headless/serve.ts` in a child process): people added with
 * `npm run users` before and while it runs, each role's requests, the person in the audit logs,
 * revocation ending an open event stream, and a client catching up with Last-Event-ID.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHeadless, samplePushUrl, type Headless } from '../../support/headless'
import { openStream } from '../../support/eventStream'
import { addPerson, runUsers } from '../../support/users'

const TOKEN_LINE = /^ivrs_[A-Za-z0-9_-]{12}_[A-Za-z0-9_-]{43}$/

let dataDir: string
let server: Headless | null = null
let supervisor: string
let viewer: string

async function api(token: string, method: string, path: string, body?: unknown) {
  const res = await request(server!.apiUrl + path, {
    method: method as 'GET',
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.body.text()
  return { status: res.statusCode, json: text ? JSON.parse(text) : null }
}

async function push(calllogid: string, over: Record<string, string> = {}): Promise<void> {
  const res = await request(samplePushUrl(server!.webhookUrl, { calllogid, ...over }))
  expect(await res.body.text()).toBe('Accepted')
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ivrs-team-'))
})
afterAll(async () => {
  await server?.stop()
  await rm(dataDir, { recursive: true, force: true })
})

describe('npm run users with no server running', () => {
  it('adds a person, printing their token once, alone on the last line', async () => {
    const run = await runUsers(dataDir, ['add', 'Asha Rao', '--role', 'supervisor'], {
      IVRS_API_PORT: '8790',
      IVRS_API_HOSTNAMES: '',
    })
    expect(run.code, run.stderr).toBe(0)
    expect(run.lastLine).toMatch(TOKEN_LINE)
    expect(run.stdout).toMatch(/shown this once only/)
    supervisor = run.lastLine
    // The address the server will be reached at with this environment, the token in it.
    const lines = run.stdout.trimEnd().split('\n')
    expect(lines.at(-2)).toBe(
      `Open the app as Asha Rao: http://127.0.0.1:8790/#token=${encodeURIComponent(supervisor)}`,
    )
    expect(await readFile(join(dataDir, 'accounts.json'), 'utf8')).not.toContain(
      supervisor.slice(18),
    )
    const list = await runUsers(dataDir, ['list'])
    expect(list.stdout).toMatch(/^Asha Rao\tsupervisor\tactive\tcreated .* by command line$/m)
    // A change like any other: in the activity log, by the command line itself.
    const activity = JSON.parse(await readFile(join(dataDir, 'activity.jsonl'), 'utf8'))
    expect(activity).toMatchObject({
      channel: 'accounts:add',
      by: 'command line',
      transport: 'cli',
      request: { name: 'Asha Rao', role: 'supervisor' },
    })
  })

  it("prints the team's address when it has one, and says so when the port is chosen at start", async () => {
    // A folder of its own: the server below starts with Asha Rao alone.
    const other = await mkdtemp(join(tmpdir(), 'ivrs-team-address-'))
    const team = await runUsers(other, ['add', 'Meena Iyer', '--role', 'viewer'], {
      IVRS_API_HOSTNAMES: 'supervisor.example.com',
      IVRS_API_PORT: '8788',
    })
    expect(team.stdout).toContain(
      `Open the app as Meena Iyer: https://supervisor.example.com/#token=${encodeURIComponent(team.lastLine)}`,
    )
    const unknown = await runUsers(other, ['add', 'Anil Das', '--role', 'viewer'], {
      IVRS_API_PORT: '0',
      IVRS_API_HOSTNAMES: '',
    })
    expect(unknown.stdout).toMatch(
      /^Open the app as Anil Das: the server's address \(npm run serve prints it\) followed by \/#token= and the token below$/m,
    )
    await rm(other, { recursive: true, force: true })
  })

  it('refuses what it cannot do, with the usage', async () => {
    const bad = await runUsers(dataDir, ['add', 'Ravi', '--role', 'boss'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/role/)
    expect(bad.stderr).toMatch(/Usage:/)
    const none = await runUsers(dataDir, ['revoke', 'Nobody'])
    expect(none.code).toBe(1)
    expect(none.stderr).toMatch(/No active account named "Nobody"/)
  })
})

describe('a running team server', () => {
  beforeAll(async () => {
    server = await startHeadless({ dataDir })
    expect(server.stdout()).toMatch(/^Accounts: 1 active/m)
  })

  it('takes a person added while it runs, through its admin channel, at once', async () => {
    const run = await runUsers(dataDir, ['add', 'Vikram Shah', '--role', 'viewer'])
    expect(run.code, run.stderr).toBe(0)
    expect(run.lastLine).toMatch(TOKEN_LINE)
    viewer = run.lastLine
    // The running server's own address (its port chosen at start), from its answer.
    expect(run.stdout).toContain(
      `Open the app as Vikram Shah: ${server!.apiUrl}/#token=${encodeURIComponent(viewer)}`,
    )
    const who = await api(viewer, 'GET', '/api/v1/session')
    expect(who).toEqual({
      status: 200,
      json: { name: 'Vikram Shah', role: 'viewer', owner: false },
    })
    const owner = await api(server!.apiToken, 'GET', '/api/v1/session')
    expect(owner.json).toMatchObject({ role: 'admin', owner: true })
  })

  it('shows the webhook token to admins only, in answers and in the event stream', async () => {
    const token = new URL(server!.webhookUrl).pathname.split('/')[3]!
    const asViewer = await api(viewer, 'GET', '/api/v1/health')
    expect(asViewer.json.webhookUrl).toBe(server!.webhookUrl.replace(token, '<token>'))
    expect(JSON.stringify(asViewer.json)).not.toContain(token)
    expect((await api(server!.apiToken, 'GET', '/api/v1/health')).json.webhookUrl).toBe(
      server!.webhookUrl,
    )
    const [asSupervisor, asOwner] = await Promise.all([
      openStream(server!.apiUrl, supervisor),
      openStream(server!.apiUrl, server!.apiToken),
    ])
    for (const s of [asSupervisor, asOwner])
      await s.until(() => s.lastEventId() !== null, 'the preamble')
    await push('health-masked')
    const health = (frames: { event: string; data: string }[]) =>
      frames.filter((f) => f.event === 'health:changed').map((f) => JSON.parse(f.data).webhookUrl)
    await asSupervisor.until((f) => health(f).length > 0, 'health')
    await asOwner.until((f) => health(f).length > 0, 'health')
    expect(health(asSupervisor.frames)[0]).toBe(server!.webhookUrl.replace(token, '<token>'))
    expect(health(asOwner.frames)[0]).toBe(server!.webhookUrl)
    asSupervisor.close()
    asOwner.close()
  })

  it('lets a supervisor switch an agent and refuses a viewer, recording the person', async () => {
    const agent = { number: '9000012345', name: 'Kiran', department: 'Sales' }
    expect((await api(viewer, 'POST', '/api/v1/agents', agent)).status).toBe(403)
    expect((await api(supervisor, 'POST', '/api/v1/agents', agent)).status).toBe(200)
    // One the simulator (standing in for the vendor) knows.
    const [known] = (await api(viewer, 'GET', '/api/v1/agents')).json as { number: string }[]

    const refused = await api(viewer, 'PUT', `/api/v1/agents/${known!.number}/status`, {
      status: 'OFF',
    })
    expect(refused.status).toBe(403)
    expect(refused.json.error).toBe(
      'Forbidden: agents:setStatus needs the supervisor role or above; Vikram Shah is a viewer. Ask an admin of this team server.',
    )
    const done = await api(supervisor, 'PUT', `/api/v1/agents/${known!.number}/status`, {
      status: 'OFF',
    })
    expect(done.status).toBe(200)
    expect(done.json.change.requestedBy).toBe('Asha Rao')

    const audit = await readFile(join(dataDir, 'vendor', 'vendor-audit.jsonl'), 'utf8')
    const requested = audit
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((e) => e.type === 'requested')
    expect(requested.at(-1).change.requestedBy).toBe('Asha Rao')

    const activity = (await readFile(join(dataDir, 'activity.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(activity.map((e) => [e.channel, e.by, e.role])).toEqual(
      expect.arrayContaining([
        ['accounts:add', 'command line', 'admin'],
        ['agents:add', 'Asha Rao', 'supervisor'],
        ['agents:setStatus', 'Asha Rao', 'supervisor'],
      ]),
    )
    // Refused requests changed nothing and are not changes.
    expect(activity.some((e) => e.by === 'Vikram Shah')).toBe(false)
  })

  it("ends a revoked person's open event stream at once, and refuses them after", async () => {
    const extra = await addPerson(dataDir, 'Temp Staff', 'viewer')
    const stream = await openStream(server!.apiUrl, extra)
    expect(stream.status).toBe(200)
    await stream.until((f) => f.length >= 0 && stream.lastEventId() !== null, 'the preamble')
    const run = await runUsers(dataDir, ['revoke', 'Temp Staff'])
    expect(run.code, run.stderr).toBe(0)
    await stream.ended
    expect((await api(extra, 'GET', '/api/v1/health')).status).toBe(401)
    // Everyone else keeps theirs.
    expect((await api(viewer, 'GET', '/api/v1/health')).status).toBe(200)
  })

  it('tells an open stream to reload when its role changes', async () => {
    const stream = await openStream(server!.apiUrl, viewer)
    await stream.until(() => stream.lastEventId() !== null, 'the preamble')
    expect((await runUsers(dataDir, ['role', 'Vikram Shah', 'supervisor'])).code).toBe(0)
    const frames = await stream.until((f) => f.some((x) => x.event === 'app:reload'), 'app:reload')
    expect(JSON.parse(frames.find((x) => x.event === 'app:reload')!.data).reason).toMatch(
      /Vikram Shah is now a supervisor/,
    )
    stream.close()
    expect((await api(viewer, 'GET', '/api/v1/session')).json.role).toBe('supervisor')
    await runUsers(dataDir, ['role', 'Vikram Shah', 'viewer'])
  })

  it('gives a client back with Last-Event-ID exactly the 50 calls it missed', async () => {
    const before = await openStream(server!.apiUrl, viewer)
    await before.until(() => before.lastEventId() !== null, 'the preamble')
    const last = before.lastEventId()!
    before.close()
    await before.ended

    const missed = Array.from({ length: 50 }, (_, i) => `away-${i}`)
    for (const id of missed) await push(id, { callstatus: 'MISSED', agentnumber: 'NA' })

    const back = await openStream(server!.apiUrl, viewer, { lastEventId: last })
    await back.until(
      (f) => f.filter((x) => x.event === 'call:stored').length >= 50,
      'the 50 missed calls',
    )
    // A call after them marks where the replay ends: nothing more, nothing twice, in order.
    await push('after-the-replay')
    const frames = await back.until(
      (f) => f.some((x) => x.event === 'call:stored' && x.data.includes('after-the-replay')),
      'the call after',
    )
    const calls = frames
      .filter((x) => x.event === 'call:stored')
      .map((x) => JSON.parse(x.data).call.id as string)
    expect(calls).toEqual([...missed, 'after-the-replay'])
    // Replayed as they were sent live: each with its id and its judgement by the schedule.
    for (const x of frames.filter((f) => f.event === 'call:stored')) {
      expect(x.id).toMatch(/^[0-9a-f]+\.\d+$/)
      expect(typeof JSON.parse(x.data).call.outsideOfficeHours).toBe('boolean')
    }
    expect(frames.some((x) => x.event === 'app:reload')).toBe(false)
    // The queue as it stands now came too (only its newest state is kept).
    expect(frames.some((x) => x.event === 'missed:updated')).toBe(true)
    back.close()
  })

  it('asks a client from before a restart to reload', async () => {
    const stream = await openStream(server!.apiUrl, viewer)
    await stream.until(() => stream.lastEventId() !== null, 'the preamble')
    const last = stream.lastEventId()!
    stream.close()
    await server!.stop()
    server = await startHeadless({ dataDir })
    const back = await openStream(server.apiUrl, viewer, { lastEventId: last })
    const frames = await back.until((f) => f.length > 0, 'a frame')
    expect(frames[0]!.event).toBe('app:reload')
    expect(JSON.parse(frames[0]!.data).reason).toMatch(/restarted/)
    // It now stands at the new run's current id, so its next reconnect resumes normally.
    expect(back.lastEventId()).toMatch(/^[0-9a-f]+\.\d+$/)
    expect(back.lastEventId()!.split('.')[0]).not.toBe(last.split('.')[0])
    back.close()
  })
})
