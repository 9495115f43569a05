import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CHANNELS } from '../../../src/shared/contract'
import { INTERNAL_ERROR_MESSAGE } from '../../../src/shared/ipcError'
import { ownerContext, type Core, type RequestContext } from '../../../src/main/core/core'
import { UserError } from '../../../src/main/ground/errors'
import type { Logger } from '../../../src/main/ground/logger'
import { isTrustedFrame, rendererLocation } from '../../../src/main/electron/appUrl'
import { CsvRecordCounter } from '../../../src/main/electron/csvFile'
import {
  UNTRUSTED_SENDER_MESSAGE,
  forwardEvents,
  pendingCore,
  registerIpc,
  type IpcDeps,
} from '../../../src/main/electron/ipc'

type Handle = (event: { senderFrame: unknown }, ...args: unknown[]) => Promise<unknown>

const APP = rendererLocation(undefined)
const appFrame = { url: 'app://renderer/index.html#/missed', parent: null }

function setup(over: Partial<IpcDeps> = {}) {
  const registered = new Map<string, Handle>()
  const calls: { channel: string; req: unknown; ctx: RequestContext }[] = []
  const logs: { level: string; msg: string; ctx?: Record<string, unknown> }[] = []
  const logger: Logger = {
    debug: () => {},
    info: (msg, ctx) => logs.push({ level: 'info', msg, ctx }),
    warn: (msg, ctx) => logs.push({ level: 'warn', msg, ctx }),
    error: (msg, ctx) => logs.push({ level: 'error', msg, ctx }),
  }
  const behaviour = new Map<string, (req: unknown) => unknown>()
  const handlers = new Proxy(
    {},
    {
      get: (_t, channel: string) => async (req: unknown, ctx: RequestContext) => {
        calls.push({ channel, req, ctx })
        const b = behaviour.get(channel)
        return b ? b(req) : { ok: channel }
      },
    },
  ) as Core['handlers']
  const csvChunks: string[] = ['id,caller\n', '1,"+91 98\n(line two)"\n', '2,+9198\n']
  const deps: IpcDeps = {
    ipcMain: {
      handle: (channel: string, fn: Handle) => void registered.set(channel, fn),
      removeHandler: (channel: string) => void registered.delete(channel),
    } as unknown as IpcDeps['ipcMain'],
    core: {
      handlers,
      exportCsv: async function* () {
        yield* csvChunks
      },
    },
    isTrustedSender: (frame) => isTrustedFrame(frame, APP.origin),
    saveCsv: async () => null,
    user: 'asha',
    logger,
    ...over,
  }
  const unregister = registerIpc(deps)
  const invoke = (channel: string, frame: unknown, ...args: unknown[]) =>
    registered.get(channel)!({ senderFrame: frame }, ...args)
  return { registered, calls, logs, behaviour, invoke, unregister }
}

describe('registerIpc', () => {
  it('registers one handler per channel and removes them all', () => {
    const { registered, unregister } = setup()
    expect([...registered.keys()].sort()).toEqual([...CHANNELS].sort())
    unregister()
    expect(registered.size).toBe(0)
  })

  it('passes a valid payload to the handler with the ipc context and returns its answer', async () => {
    const { invoke, calls } = setup()
    const q = { status: 'MISSED', limit: 20 }
    await expect(invoke('calls:list', appFrame, q)).resolves.toEqual({ ok: 'calls:list' })
    await expect(invoke('health:get', appFrame)).resolves.toEqual({ ok: 'health:get' })
    expect(calls).toEqual([
      { channel: 'calls:list', req: q, ctx: ownerContext('ipc', 'asha') },
      { channel: 'health:get', req: undefined, ctx: ownerContext('ipc', 'asha') },
    ])
  })

  it('rejects an invalid payload with a message naming the fields, without calling the handler', async () => {
    const { invoke, calls } = setup()
    await expect(
      invoke('agents:setStatus', appFrame, { number: '9876543210', status: 'ON', x: 1 }),
    ).rejects.toThrow(
      'Invalid request for agents:setStatus: x is not a known field; status must be one of AVAIL, OFF',
    )
    await expect(invoke('calls:list', appFrame, { limit: 0 })).rejects.toThrow(
      /Invalid request for calls:list: limit /,
    )
    await expect(invoke('calls:get', appFrame)).rejects.toThrow(
      /Invalid request for calls:get: request must be object/,
    )
    await expect(invoke('health:get', appFrame, { sneaky: true })).rejects.toThrow(
      'Invalid request for health:get: it takes no request data',
    )
    await expect(invoke('calls:get', appFrame, { id: 'a' }, 'extra')).rejects.toThrow(
      /one argument expected/,
    )
    expect(calls).toEqual([])
  })

  it.each([
    ['a page elsewhere', { url: 'https://evil.example/', parent: null }],
    ['an embedded frame of the app', { url: 'app://renderer/index.html', parent: {} }],
    ['another host on the app scheme', { url: 'app://other/index.html', parent: null }],
    ['a file:// page', { url: 'file:///tmp/index.html', parent: null }],
    ['a frame already gone', null],
  ])('refuses IPC from %s', async (_name, frame) => {
    const { invoke, calls, logs } = setup()
    await expect(invoke('settings:get', frame)).rejects.toThrow(UNTRUSTED_SENDER_MESSAGE)
    expect(calls).toEqual([])
    expect(logs.some((l) => l.level === 'warn' && l.ctx?.['channel'] === 'settings:get')).toBe(true)
  })

  it('trusts the dev server origin in development', async () => {
    const dev = rendererLocation('http://localhost:5173/')
    const { invoke } = setup({ isTrustedSender: (f) => isTrustedFrame(f, dev.origin) })
    await expect(
      invoke('app:info', { url: 'http://localhost:5173/#/agents', parent: null }),
    ).resolves.toEqual({ ok: 'app:info' })
    await expect(
      invoke('app:info', { url: 'http://localhost:5174/', parent: null }),
    ).rejects.toThrow(UNTRUSTED_SENDER_MESSAGE)
  })

  it("passes a UserError's message to the renderer", async () => {
    const { invoke, behaviour } = setup()
    behaviour.set('calls:get', () => {
      throw new UserError('No call with id 42', 404)
    })
    await expect(invoke('calls:get', appFrame, { id: '42' })).rejects.toThrow(
      /^No call with id 42$/,
    )
  })

  it('hides internal errors behind a generic message and logs the details', async () => {
    const { invoke, behaviour, logs } = setup()
    behaviour.set('agents:list', () => {
      throw new Error('ENOENT /home/asha/.config/secret-path')
    })
    const err = await invoke('agents:list', appFrame).catch((e: Error) => e)
    expect(err).toBeInstanceOf(Error)
    expect((err as Error).message).toBe(INTERNAL_ERROR_MESSAGE)
    expect((err as Error).message).not.toMatch(/ENOENT/)
    expect((err as Error & { cause?: unknown }).cause).toBeUndefined()
    const logged = logs.find((l) => l.level === 'error')
    expect(String(logged?.ctx?.['error'])).toMatch(/ENOENT/)
  })

  it('tells onHandled about successful requests only', async () => {
    const seen: string[] = []
    const { invoke, behaviour } = setup({ onHandled: (c) => seen.push(c) })
    behaviour.set('settings:testConnection', () => {
      throw new UserError('nope')
    })
    await invoke('settings:update', appFrame, { alertsPaused: true })
    await invoke('settings:testConnection', appFrame).catch(() => {})
    expect(seen).toEqual(['settings:update'])
  })
})

describe('calls:exportCsv over IPC', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ivrs-csv-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('writes the CSV where the user chose and counts data rows', async () => {
    const target = join(dir, 'out.csv')
    await writeFile(target, 'old content')
    let suggested = ''
    const { invoke } = setup({
      saveCsv: async (name) => {
        suggested = name
        return target
      },
      today: () => '2026-11-27',
    })
    const res = await invoke('calls:exportCsv', appFrame, { status: 'MISSED' })
    expect(res).toEqual({ saved: true, path: target, rows: 2 })
    expect(suggested).toBe('calls-2026-11-27.csv')
    expect(await readFile(target, 'utf8')).toBe('id,caller\n1,"+91 98\n(line two)"\n2,+9198\n')
    expect(await readdir(dir)).toEqual(['out.csv'])
  })

  it('answers saved: false when the user cancels', async () => {
    const { invoke } = setup({ saveCsv: async () => null })
    await expect(invoke('calls:exportCsv', appFrame, {})).resolves.toEqual({
      saved: false,
      path: null,
      rows: 0,
    })
  })

  it('rejects paging fields the export does not take', async () => {
    const { invoke } = setup({ saveCsv: async () => join(dir, 'x.csv') })
    await expect(invoke('calls:exportCsv', appFrame, { limit: 10 })).rejects.toThrow(
      /limit is not a known field/,
    )
  })
})

describe('CsvRecordCounter', () => {
  it('counts records across chunks, ignoring newlines inside quotes', () => {
    const c = new CsvRecordCounter()
    for (const chunk of ['a,b\r\n', '"x\n', 'y""z",2\r', '\n3,"', '4"']) c.push(chunk)
    expect(c.total()).toBe(3)
  })
})

describe('forwardEvents', () => {
  it('sends each core event to the current window and stops after unsubscribe', () => {
    let handler: ((e: string, p: unknown) => void) | null = null
    const core = {
      subscribe: (h: (e: string, p: unknown) => void) => {
        handler = h
        return () => {
          handler = null
        }
      },
    } as unknown as Pick<Core, 'subscribe'>
    const sent: unknown[] = []
    let destroyed = false
    const off = forwardEvents(core, () => ({
      isDestroyed: () => destroyed,
      send: (ch, p) => sent.push([ch, p]),
    }))
    handler!('missed:updated', { items: [], openCount: 1 })
    destroyed = true
    handler!('missed:updated', { items: [], openCount: 2 })
    expect(sent).toEqual([['missed:updated', { items: [], openCount: 1 }]])
    off()
    expect(handler).toBeNull()
  })
})

describe('IPC before the core has started', () => {
  it('holds each request until the core is ready, then answers it', async () => {
    let ready!: (core: Pick<Core, 'handlers' | 'exportCsv'>) => void
    const core = pendingCore(new Promise((r) => (ready = r)))
    const ctx = ownerContext('ipc', 'asha')
    let answered: unknown = null
    const pending = core.handlers['settings:get'](undefined, ctx).then((a) => (answered = a))
    const chunks: string[] = []
    const exported = (async () => {
      for await (const c of core.exportCsv({} as never)) chunks.push(c)
    })()
    await new Promise((r) => setImmediate(r))
    expect(answered).toBeNull()
    ready({
      handlers: new Proxy(
        {},
        { get: (_t, ch: string) => async () => `answer of ${ch}` },
      ) as Core['handlers'],
      exportCsv: async function* () {
        yield 'id\n'
      },
    })
    await pending
    await exported
    expect(answered).toBe('answer of settings:get')
    expect(chunks).toEqual(['id\n'])
  })
})
