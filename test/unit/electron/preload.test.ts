import { describe, expect, it } from 'vitest'
import { CHANNELS, EVENT_NAMES, splitChannel } from '../../../src/shared/contract'
import { ipcErrorMessage } from '../../../src/shared/ipcError'
import { buildApi, type IpcRendererLike } from '../../../src/preload/buildApi'

type Listener = (event: unknown, payload: unknown) => void

function fakeIpc(failing: string | null = null) {
  const invoked: { channel: string; args: unknown[] }[] = []
  const listeners = new Map<string, Set<Listener>>()
  const ipc: IpcRendererLike & { emit(ch: string, payload: unknown): void } = {
    invoke: async (channel, ...args) => {
      invoked.push({ channel, args })
      if (channel === failing)
        throw new Error(
          "Error invoking remote method 'settings:testConnection': Error: Vendor URL is not set",
        )
      return { answered: channel }
    },
    on: (channel, listener) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set())
      listeners.get(channel)!.add(listener)
    },
    removeListener: (channel, listener) => listeners.get(channel)?.delete(listener),
    emit: (ch, payload) => {
      for (const l of listeners.get(ch) ?? []) l({ sender: 'ipcRenderer itself' }, payload)
    },
  }
  return { ipc, invoked, listeners }
}

describe('preload api built from the contract', () => {
  it('has one function per channel, invoking that channel with the request', async () => {
    const { ipc, invoked } = fakeIpc()
    const api = buildApi(ipc) as unknown as Record<string, Record<string, (r?: unknown) => unknown>>
    for (const channel of CHANNELS) {
      const [domain, verb] = splitChannel(channel)
      expect(typeof api[domain]?.[verb], channel).toBe('function')
    }
    for (const channel of CHANNELS) {
      const [domain, verb] = splitChannel(channel)
      await expect(
        (api[domain]![verb]! as (r?: unknown) => Promise<unknown>)({ probe: channel }),
      ).resolves.toBeTruthy()
    }
    expect(invoked).toHaveLength(CHANNELS.length)
    for (const [i, channel] of CHANNELS.entries()) {
      expect(invoked[i]).toEqual({ channel, args: [{ probe: channel }] })
    }
  })

  it('sends no argument for channels without a request', async () => {
    const { ipc, invoked } = fakeIpc()
    const api = buildApi(ipc)
    await api.health.get()
    const query = { status: 'MISSED' as const, limit: 5 }
    await api.calls.list(query)
    expect(invoked).toEqual([
      { channel: 'health:get', args: [] },
      { channel: 'calls:list', args: [query] },
    ])
  })

  it('rejects with the user message, without Electron\'s "Error invoking remote method"', async () => {
    const { ipc } = fakeIpc('settings:testConnection')
    await expect(buildApi(ipc).settings.testConnection({})).rejects.toThrow(
      /^Vendor URL is not set$/,
    )
  })

  it('on() delivers the payload only, and its return value unsubscribes', () => {
    const { ipc, listeners } = fakeIpc()
    const api = buildApi(ipc)
    const seen: unknown[] = []
    const off = api.on('missed:updated', (p) => seen.push(p))
    ipc.emit('missed:updated', { items: [], openCount: 3 })
    expect(seen).toEqual([{ items: [], openCount: 3 }])
    off()
    ipc.emit('missed:updated', { items: [], openCount: 4 })
    expect(seen).toHaveLength(1)
    expect(listeners.get('missed:updated')?.size).toBe(0)
  })

  it('accepts every contract event and refuses other channels', () => {
    const { ipc } = fakeIpc()
    const api = buildApi(ipc)
    for (const e of EVENT_NAMES) api.on(e, () => {})()
    expect(() => api.on('calls:list' as never, () => {})).toThrow(/Unknown event/)
  })

  it('exposes neither ipcRenderer nor a generic invoke/send, and is frozen', () => {
    const { ipc } = fakeIpc()
    const api = buildApi(ipc) as unknown as Record<string, unknown>
    const domains = new Set(CHANNELS.map((c) => splitChannel(c)[0]))
    expect(Object.keys(api).sort()).toEqual([...domains, 'on'].sort())
    const reachable = JSON.stringify(api, (_k, v) => (typeof v === 'function' ? 'fn' : v))
    expect(reachable).not.toMatch(/invoke|send|ipcRenderer/)
    for (const value of Object.values(api)) expect(value).not.toBe(ipc)
    expect(Object.isFrozen(api)).toBe(true)
    expect(Object.isFrozen(api['calls'])).toBe(true)
  })
})

describe('ipcErrorMessage', () => {
  it.each([
    ["Error invoking remote method 'calls:get': Error: No such call", 'No such call'],
    ["Error: Error invoking remote method 'a:b': UserError: Bad date", 'Bad date'],
    ['Plain message', 'Plain message'],
  ])('%s', (input, out) => {
    expect(ipcErrorMessage(new Error(input))).toBe(out)
  })
})
