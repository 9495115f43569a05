import { describe, expect, it } from 'vitest'
import type { ContractApi } from '../../../src/shared/contract'
import { createIpcApi } from '../../../src/renderer/src/api/ipc'
import { ipcErrorMessage, withFields } from '../../../src/shared/ipcError'
import { ApiError } from '../../../src/renderer/src/api/errors'

function fakeBridge() {
  const handlers = new Set<(p: unknown) => void>()
  const bridge = {
    health: {
      get: async () => ({ simulator: true }),
    },
    agents: {
      setStatus: async () => {
        throw new Error(
          "Error invoking remote method 'agents:setStatus': Error: Unknown agent 98765",
        )
      },
      add: async () => {
        // What main's IPC glue throws for a UserError about a field (ipc.ts: withFields).
        throw new Error(
          `Error invoking remote method 'agents:add': Error: ${withFields('"12345" is not a valid phone number', ['number'])}`,
        )
      },
    },
    on: (_event: string, handler: (p: unknown) => void) => {
      handlers.add(handler)
      return () => handlers.delete(handler)
    },
  }
  return { bridge: bridge as unknown as ContractApi, handlers }
}

describe('IPC transport', () => {
  it('carries the fields at fault, so form errors show under their field as over HTTP', async () => {
    const api = createIpcApi(fakeBridge().bridge)
    const err = await api.agents.add({ number: '12345', name: 'X' }).catch((e) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err).toMatchObject({
      message: '"12345" is not a valid phone number',
      fields: ['number'],
    })
  })

  it('passes results through', async () => {
    const api = createIpcApi(fakeBridge().bridge)
    expect(await api.health.get()).toEqual({ simulator: true })
  })

  it("strips Electron's prefix so the user sees the service's words", async () => {
    const api = createIpcApi(fakeBridge().bridge)
    const err = await api.agents.setStatus({ number: '98765', status: 'OFF' }).catch((e) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect((err as Error).message).toBe('Unknown agent 98765')
    expect(ipcErrorMessage("Error invoking remote method 'x:y': UserError: Bad date")).toBe(
      'Bad date',
    )
    expect(ipcErrorMessage('plain')).toBe('plain')
  })

  it('on() subscribes through the bridge and returns an unsubscribe', () => {
    const { bridge, handlers } = fakeBridge()
    const api = createIpcApi(bridge)
    const seen: unknown[] = []
    const off = api.on('agent:removed', (p) => seen.push(p))
    expect(handlers.size).toBe(1)
    for (const h of handlers) h({ number: '1' })
    off()
    expect(handlers.size).toBe(0)
    expect(seen).toEqual([{ number: '1' }])
  })
})
