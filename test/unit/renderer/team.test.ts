import { describe, expect, it, vi } from 'vitest'
import type { ContractApi, EventName, Events } from '../../../src/shared/contract'
import type { Session } from '../../../src/shared/team'
import { startBootstrap } from '../../../src/renderer/src/bootstrap'
import { createAppStore } from '../../../src/renderer/src/store'

/** A transport whose requests answer from `answers` (counted) and whose events the test fires. */
function fakeApi(answers: Record<string, unknown>) {
  const asked: Record<string, number> = {}
  const listeners = new Map<string, Set<(p: unknown) => void>>()
  const api = new Proxy({} as Record<string, unknown>, {
    get(_t, domain: string) {
      if (domain === 'on')
        return (event: string, h: (p: unknown) => void) => {
          const set = listeners.get(event) ?? new Set()
          listeners.set(event, set.add(h))
          return () => set.delete(h)
        }
      return new Proxy(
        {},
        {
          get: (_g, verb: string) => async () => {
            const key = `${domain}:${verb}`
            asked[key] = (asked[key] ?? 0) + 1
            if (key in answers) return answers[key]
            if (key === 'calls:list') return { calls: [], total: 0, nextCursor: null }
            if (key === 'missed:list') return { items: [], openCount: 0 }
            if (key === 'holidays:list') return { holidays: [], rules: [] }
            if (key.endsWith(':list') || key === 'pushes:rejected') return []
            return null
          },
        },
      )
    },
  }) as unknown as ContractApi
  const fire = <E extends EventName>(event: E, payload: Events[E]) =>
    listeners.get(event)?.forEach((h) => h(payload))
  return { api, asked, fire }
}

const viewer: Session = { name: 'Vikram Shah', role: 'viewer', owner: false }
const admin: Session = { name: 'Meera', role: 'admin', owner: false }

describe('the renderer on a team server', () => {
  it('loads who is looking, and the accounts only for an admin', async () => {
    const store = createAppStore()
    const v = fakeApi({ 'session:get': viewer })
    startBootstrap({ store, api: v.api })
    await vi.waitFor(() => expect(store.getState().session).toEqual(viewer))
    expect(v.asked['accounts:list']).toBeUndefined()

    const a = fakeApi({ 'session:get': admin, 'accounts:list': [{ id: 'x', name: 'Asha' }] })
    const adminStore = createAppStore()
    startBootstrap({ store: adminStore, api: a.api })
    await vi.waitFor(() => expect(adminStore.getState().accounts).toHaveLength(1))
  })

  it('loads everything again when main says app:reload, and not on a mere reconnect', async () => {
    const store = createAppStore()
    const f = fakeApi({ 'session:get': viewer })
    let streamListener: ((s: 'open' | 'reconnecting') => void) | null = null
    startBootstrap({
      store,
      api: f.api,
      onStreamState: (l) => {
        streamListener = l
        return () => {}
      },
    })
    await vi.waitFor(() => expect(f.asked['calls:list']).toBe(1))
    streamListener!('open')
    streamListener!('reconnecting')
    streamListener!('open')
    expect(f.asked['calls:list']).toBe(1)
    expect(store.getState().stream).toBe('open')
    f.fire('app:reload', { reason: 'The server restarted since this client last heard from it.' })
    await vi.waitFor(() => expect(f.asked['calls:list']).toBe(2))
    expect(f.asked['session:get']).toBe(2)
  })

  it("takes the desktop's team connection, and who it is there, from team:updated", async () => {
    const store = createAppStore()
    const f = fakeApi({ 'session:get': { name: 'desk-user', role: 'admin', owner: true } })
    startBootstrap({ store, api: f.api })
    await vi.waitFor(() => expect(store.getState().session?.owner).toBe(true))
    f.fire('team:updated', {
      mode: 'client',
      server: 'https://team.example',
      as: viewer,
      state: 'unreachable',
      error: 'The team server cannot be reached (ECONNREFUSED)',
    })
    expect(store.getState().team?.state).toBe('unreachable')
    expect(store.getState().session).toEqual(viewer)
  })
})
