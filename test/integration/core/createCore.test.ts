import { mkdtemp, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { request } from 'undici'
import { readEnvConfig } from '../../../src/main/config/env'
import type { Events } from '../../../src/shared/contract'
import type { Health } from '../../../src/shared/domain'
import { createCore, type AppCore } from '../../../src/main/core/createCore'
import { HEALTH_EVERY_MS } from '../../../src/main/core/health'
import { localDateTime } from '../../../src/shared/localTime'
import { samplePush } from '../../support/fixtures'
import { closedPort } from '../../support/ports'
import { silentLogger } from '../../../src/main/ground/logger'
import { MemorySecretStore } from '../../../src/main/dataFolder/secretsFile'
import { PROBLEMS_FILE } from '../../../src/main/maintenance/problems'
import { formatSseEvent } from '../../../src/main/api/sse'
import { ownerContext } from '../../../src/main/core/core'

const ctx = ownerContext('ipc', 'tester')
let core: AppCore | null = null
afterEach(async () => {
  await core?.stop()
  core = null
})

async function start(
  demo: boolean | 'until-configured',
  env: Record<string, string> = {},
  prepare: (dataDir: string) => Promise<void> = async () => {},
) {
  const dataDir = await mkdtemp(join(tmpdir(), 'ivrs-core-'))
  await prepare(dataDir)
  core = await createCore({
    env: readEnvConfig({
      IVRS_DATA_DIR: dataDir,
      IVRS_WEBHOOK_PORT: '0',
      IVRS_SIM_PORT: '0',
      IVRS_SIM_RATE: '1',
      ...env,
    }),
    dataDir,
    secrets: new MemorySecretStore(),
    logger: silentLogger,
    user: 'tester',
    appVersion: 'test',
    demo,
  })
  await core.start()
  return core
}

describe('createCore and the simulator', () => {
  it('stands in for the vendor and seeds its agents when no vendor is configured', async () => {
    const c = await start(true)
    expect(c.settings().simulator).toBe(true)
    expect(c.simulatorInfo()?.handlerUrl).toMatch(/handler\.ashx\?apikey=/)
    const agents = await c.handlers['agents:list'](undefined, ctx)
    expect(agents.length).toBeGreaterThan(0)
    expect(agents.every((a) => a.status === 'UNKNOWN')).toBe(true)
  })

  it('desktop: stops generating simulated calls once a tunnel address is set', async () => {
    const c = await start('until-configured')
    expect(c.simulatorInfo()?.generating).toBe(true)
    await c.handlers['settings:update']({ publicUrl: 'https://abc.trycloudflare.com' }, ctx)
    expect(c.simulatorInfo()?.generating).toBe(false)
    expect(c.webhookUrl()).toMatch(/^https:\/\/abc\.trycloudflare\.com\/api\/PostCallLogs\//)
  })

  it('desktop: generates nothing when a tunnel address is already set at start', async () => {
    const c = await start('until-configured', { IVRS_PUBLIC_URL: 'https://t.example' })
    expect(c.simulatorInfo()?.generating).toBe(false)
  })

  it('desktop: with its port taken by another program, pushes nothing there, simulated or test', async () => {
    // Another program on the webhook port, counting what reaches it.
    let reached = 0
    const other = createServer((_req, res) => {
      reached++
      res.end('Accepted')
    })
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r))
    const port = (other.address() as AddressInfo).port
    try {
      const c = await start('until-configured', { IVRS_WEBHOOK_PORT: String(port) })
      const health = await c.health()
      expect(health.listener.state).toBe('failed')
      expect(health.listener.error).toContain(`Port ${port}`)
      expect(c.simulatorInfo()?.generating).toBe(false)
      const test = await c.handlers['connection:testPush'](undefined, ctx)
      expect(test).toMatchObject({ ok: false, message: expect.stringContaining('not listening') })
      expect(reached).toBe(0)
    } finally {
      await new Promise((r) => other.close(r))
    }
  })

  it('headless: a listener that cannot listen stops start-up, naming its port', async () => {
    const other = createServer()
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r))
    const port = (other.address() as AddressInfo).port
    const dataDir = await mkdtemp(join(tmpdir(), 'ivrs-core-'))
    try {
      const c = await createCore({
        env: readEnvConfig({ IVRS_DATA_DIR: dataDir, IVRS_WEBHOOK_PORT: String(port) }),
        dataDir,
        secrets: new MemorySecretStore(),
        logger: silentLogger,
        user: 'tester',
        appVersion: 'test',
        demo: true,
        listenerRequired: true,
      })
      await expect(c.start()).rejects.toThrow(
        new RegExp(`webhook listener cannot start: Port ${port} .*IVRS_WEBHOOK_PORT`),
      )
      await c.stop()
    } finally {
      await new Promise((r) => other.close(r))
    }
  })

  it('headless --demo keeps generating whatever the settings', async () => {
    const c = await start(true)
    await c.handlers['settings:update']({ publicUrl: 'https://abc.trycloudflare.com' }, ctx)
    expect(c.simulatorInfo()?.generating).toBe(true)
  })

  it('uses the real vendor, and no simulator, when vendor settings are given', async () => {
    const c = await start(true, {
      IVRS_VENDOR_URL: 'http://127.0.0.1:9',
      IVRS_VENDOR_API_KEY: 'k'.repeat(20),
      IVRS_VENDOR_CUST_ID: '1',
    })
    expect(c.settings().simulator).toBe(false)
    expect(c.simulatorInfo()).toBeNull()
    expect(c.secretValues()).toContain('k'.repeat(20))
  })
})

describe('settings:testConnection tests what is on screen, saved or not', () => {
  it('reports a typed address at a closed port as failing while the saved settings work', async () => {
    const c = await start(false)
    const saved = await c.handlers['settings:testConnection']({}, ctx)
    expect(saved).toMatchObject({ ok: true, tested: 'the built-in simulator (no vendor is saved)' })
    const port = await closedPort()
    const typed = await c.handlers['settings:testConnection'](
      { vendorUrl: `http://127.0.0.1:${port}`, custId: 'C-1', apiKey: 'typed-key-1234' },
      ctx,
    )
    expect(typed.ok).toBe(false)
    expect(typed.message).toMatch(/refused the connection/)
    expect(typed.tested).toBe(
      `http://127.0.0.1:${port} as customer "C-1" with the API key typed here: not saved yet (Save to use them)`,
    )
    // Testing saved nothing.
    expect(c.settings()).toMatchObject({ vendorUrl: null, custId: null, apiKeySet: false })
  })

  it('tests typed values that work before they are saved, and says so once they are', async () => {
    const c = await start(false)
    const sim = new URL(c.simulatorInfo()!.handlerUrl)
    const typed = {
      vendorUrl: sim.origin,
      custId: sim.searchParams.get('custid')!,
      apiKey: sim.searchParams.get('apikey')!,
    }
    const before = await c.handlers['settings:testConnection'](typed, ctx)
    expect(before.ok).toBe(true)
    expect(before.tested).toMatch(/with the API key typed here: not saved yet/)
    await c.handlers['settings:update'](typed, ctx)
    const after = await c.handlers['settings:testConnection'](
      { vendorUrl: typed.vendorUrl, custId: typed.custId },
      ctx,
    )
    expect(after.tested).toBe(
      `${sim.origin} as customer "${typed.custId}" with the stored API key: the saved settings`,
    )
  })

  it('names the missing or malformed field, and keeps a typed key out of every answer', async () => {
    const c = await start(false)
    await expect(
      c.handlers['settings:testConnection']({ vendorUrl: 'ftp://x', custId: '1' }, ctx),
    ).rejects.toMatchObject({ fields: ['vendorUrl'] })
    await expect(
      c.handlers['settings:testConnection']({ vendorUrl: 'http://127.0.0.1:9', custId: '' }, ctx),
    ).rejects.toMatchObject({ fields: ['custId'] })
    await expect(
      c.handlers['settings:testConnection']({ vendorUrl: 'http://127.0.0.1:9', custId: '1' }, ctx),
    ).rejects.toMatchObject({ fields: ['apiKey'] })
    const port = await closedPort()
    const r = await c.handlers['settings:testConnection'](
      { vendorUrl: `http://127.0.0.1:${port}`, custId: '1', apiKey: 'SECRET-typed-key' },
      ctx,
    )
    expect(JSON.stringify(r)).not.toContain('SECRET-typed-key')
  })
})

describe('connection:testPush through the public address', () => {
  it("answers a tunnel's error page whole, as text, and says where the push went", async () => {
    const page = `<html><head><style>p{}</style></head><body><h1>502 Bad Gateway</h1><p>${'The origin did not answer. '.repeat(30)}END-OF-PAGE</p></body></html>`
    const tunnel = createServer((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' })
      res.end(page)
    })
    await new Promise<void>((r) => tunnel.listen(0, '127.0.0.1', r))
    try {
      const c = await start(false)
      const port = (tunnel.address() as AddressInfo).port
      // Pasted whole: the webhook path is taken off, so the push is not sent to a doubled path.
      await c.handlers['settings:update'](
        { publicUrl: `http://127.0.0.1:${port}/api/PostCallLogs/old-token/` },
        ctx,
      )
      expect(c.settings().publicUrl).toBe(`http://127.0.0.1:${port}`)
      const r = await c.handlers['connection:testPush'](undefined, ctx)
      expect(r.ok).toBe(false)
      expect(r.message).toMatch(/^The listener answered 502: 502 Bad Gateway The origin did not/)
      expect(r.message).toMatch(/END-OF-PAGE$/)
      expect(r.message).not.toMatch(/<|p\{\}/)
      expect(r.tested).toBe(
        `http://127.0.0.1:${port}/api/PostCallLogs/<token>/ (the public address: through the tunnel)`,
      )
    } finally {
      await new Promise<void>((r) => tunnel.close(() => r()))
    }
  })
})

describe('createCore: calls judged by the schedule in force when they arrived', () => {
  it('flags a call outside office hours only once hours were set, on the event and in history', async () => {
    const c = await start(false)
    const judged = new Map<string, boolean | undefined>()
    // Every subscriber gets one payload, whose text is the store's JSON with the flag spliced in.
    const oneForAll: boolean[] = []
    let first: unknown = null
    c.subscribe((event, payload) => {
      if (event === 'call:stored') first = payload
    })
    c.subscribe((event, payload, json) => {
      if (event !== 'call:stored') return
      const { call } = payload as Events['call:stored']
      judged.set(call.id, call.outsideOfficeHours)
      oneForAll.push(
        payload === first &&
          json !== undefined &&
          formatSseEvent(event, payload, undefined, json) ===
            `event: call:stored\ndata: ${JSON.stringify(payload)}\n\n`,
      )
    })
    const push = async (): Promise<string> => {
      const before = new Set(judged.keys())
      expect((await c.handlers['connection:testPush'](undefined, ctx)).ok).toBe(true)
      await vi.waitFor(() => expect(judged.size).toBe(before.size + 1))
      return [...judged.keys()].find((id) => !before.has(id))!
    }
    const early = await push()
    // Hours that exclude the present moment (the test push is stamped with now).
    const hour = Number(localDateTime(Date.now(), 'Asia/Kolkata').time.slice(0, 2))
    const [start_, end] = hour >= 2 ? ['00:00', '01:00'] : ['22:00', '23:00']
    const set = await c.handlers['officeHours:set']({ day: 'Daily', start: start_, end }, ctx)
    expect(set.change.state).toBe('confirmed')
    await new Promise((r) => setTimeout(r, 1100)) // the test push's time has whole seconds
    const late = await push()
    expect(judged.get(early)).toBe(false)
    expect(judged.get(late)).toBe(true)
    const page = await c.handlers['calls:list']({}, ctx)
    const flag = (id: string) => page.calls.find((x) => x.id === id)?.outsideOfficeHours
    expect([flag(early), flag(late)]).toEqual([false, true])
    expect(c.isOpenAt(Date.now())).toBe(false)
    expect(oneForAll).toEqual([true, true])
  })
})

describe('createCore and the data folder', () => {
  it('announces health again after a backup, with the backup as the last one', async () => {
    const c = await start(false)
    const announced = new Promise<string | undefined>((resolve) => {
      const off = c.subscribe((event, payload) => {
        if (event !== 'health:changed') return
        const last = (payload as Health).storage.lastBackup
        if (!last) return
        off()
        resolve(last.path)
      })
    })
    const made = await c.handlers['storage:backup'](undefined, ctx)
    expect(await announced).toBe(made.path)
  })
})

describe('createCore with pushes', () => {
  const push = async (c: AppCore, id: string, status: string, time: string) => {
    const { date } = localDateTime(Date.now(), 'Asia/Kolkata')
    const q = new URLSearchParams(
      samplePush(id, { agentnumber: '9123456780', callstatus: status, date, time }),
    )
    const res = await request(`${c.webhookUrl()}?${q}`)
    expect(await res.body.text()).toBe('Accepted')
  }

  it("keeps today's counts in health and on each agent, and publishes health coalesced", async () => {
    const c = await start(false)
    await c.handlers['agents:add']({ number: '9123456780', name: 'Asha', department: 'Sales' }, ctx)
    const published: number[] = []
    c.bus.on('health:changed', (h) => published.push(h.today.total))
    await push(c, 'h1', 'ANSWER', '00:00:01')
    await push(c, 'h2', 'DROPPED', '00:00:02')
    await Promise.all(
      Array.from({ length: 100 }, (_, i) => push(c, `h${i + 3}`, 'ANSWER', '00:00:03')),
    )
    const health = await c.health()
    expect(health.today).toMatchObject({ total: 102, answered: 101, dropped: 1, missed: 0 })
    const [agent] = await c.handlers['agents:list'](undefined, ctx)
    // Answered calls and their talk time; the last call is any of the agent's (the dropped one too).
    const answeredCall = (await c.handlers['calls:get']({ id: 'h3' }, ctx))!
    expect(agent!.today).toEqual({
      answered: 101,
      talkSeconds: 101 * answeredCall.talkSeconds!,
      lastCallAt: new Date(answeredCall.startedAt).toISOString(),
    })
    // The first push changed what a user acts on (no push yet -> a push): published at once;
    // the burst after it only moved the counts: a few updates, the last with the newest counts.
    await new Promise((r) => setTimeout(r, HEALTH_EVERY_MS * 2))
    expect(published[0]).toBe(1)
    expect(published.length).toBeLessThan(10)
    expect(published.at(-1)).toBe(102)
  })

  it('announces a storage change at once, while pushes wait for the next health update', async () => {
    const problem = {
      id: 'records-skipped:x',
      kind: 'records-skipped',
      firstAt: '2026-01-01T00:00:00.000Z',
      lastAt: '2026-01-01T00:00:00.000Z',
      count: 1,
      file: 'calls/journal/1.jsonl',
      summary: 'One damaged record was skipped.',
      advice: 'Nothing to do.',
      ongoing: false,
      lost: { count: 1, ids: [] },
      keptAt: null,
    }
    const c = await start(false, {}, (dir) =>
      writeFile(join(dir, PROBLEMS_FILE), JSON.stringify({ problems: [problem] })),
    )
    expect((await c.health()).storage.state).toBe('problem')
    const published: Health[] = []
    c.bus.on('health:changed', (h) => published.push(h))
    // The first push is a change of state (published at once), the second moves the counts
    // only: its update waits for the end of the interval.
    await push(c, 's1', 'ANSWER', '00:00:01')
    await push(c, 's2', 'ANSWER', '00:00:02')
    // Acknowledging the problem changes the storage state: announced without waiting.
    await c.handlers['storage:acknowledge']({}, ctx)
    await new Promise((r) => setImmediate(r))
    expect(published.at(-1)?.storage.state).toBe('ok')
    expect(published.at(-1)?.today.total).toBe(2)
  })
})
