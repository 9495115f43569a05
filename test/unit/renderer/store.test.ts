import { beforeEach, describe, expect, it } from 'vitest'
import { appStore, createAppStore, resetAppStore } from '../../../src/renderer/src/store'
import { FEED_LIMIT } from '../../../src/renderer/src/store/callsSlice'
import { agentTarget } from '../../../src/shared/domain'
import { agent, call, change, missed } from './fixtures'

const store = createAppStore()
beforeEach(() => resetAppStore(store))

describe('calls slice', () => {
  it('puts a new call first and replaces a revision in place', () => {
    const s = store.getState()
    s.callReceived(call('a'), 'created')
    s.callReceived(call('b'), 'created')
    expect(store.getState().feed.map((c) => c.id)).toEqual(['b', 'a'])
    store.getState().callReceived(call('a', { status: 'MISSED', revision: 2 }), 'updated')
    const feed = store.getState().feed
    expect(feed.map((c) => c.id)).toEqual(['b', 'a'])
    expect(feed[1]?.status).toBe('MISSED')
  })

  it('keeps at most FEED_LIMIT calls in memory', () => {
    for (let i = 0; i < FEED_LIMIT + 20; i++)
      store.getState().callReceived(call(`c${i}`), 'created')
    const feed = store.getState().feed
    expect(feed).toHaveLength(FEED_LIMIT)
    expect(feed[0]?.id).toBe(`c${FEED_LIMIT + 19}`)
  })

  it('merges the first page with pushes that raced ahead of it, newest first', () => {
    store
      .getState()
      .callReceived(call('new', { firstReceivedAt: '2026-01-05T11:00:00.000Z' }), 'created')
    store
      .getState()
      .feedLoadedFrom([
        call('old1', { firstReceivedAt: '2026-01-05T09:00:00.000Z' }),
        call('old2', { firstReceivedAt: '2026-01-05T10:00:00.000Z' }),
      ])
    expect(store.getState().feed.map((c) => c.id)).toEqual(['new', 'old2', 'old1'])
    expect(store.getState().feedLoaded).toBe(true)
  })
})

describe('missed slice', () => {
  it('takes the queue as main sends it (first load, then after each mark)', () => {
    store.getState().missedQueueChanged({ items: [missed('+911'), missed('+912')], openCount: 2 })
    store.getState().missedQueueChanged({
      items: [missed('+911', { state: 'called-back', note: 'ok' }), missed('+912')],
      openCount: 1,
    })
    const s = store.getState()
    expect(s.missedOpenCount).toBe(1)
    expect(s.missed.find((m) => m.callerNumber === '+911')?.note).toBe('ok')
  })
})

describe('agents slice', () => {
  it('adds, updates and removes agents, sorted by name', () => {
    const s = store.getState()
    s.agentsLoadedFrom([agent('2', 'Zoya'), agent('1', 'Asha')])
    expect(store.getState().agents.map((a) => a.name)).toEqual(['Asha', 'Zoya'])
    store.getState().agentUpdated(agent('3', 'Meera'))
    store.getState().agentUpdated(agent('2', 'Zoya K'))
    expect(store.getState().agents.map((a) => a.name)).toEqual(['Asha', 'Meera', 'Zoya K'])
    store.getState().agentRemoved('1')
    expect(store.getState().agents.map((a) => a.number)).toEqual(['3', '2'])
  })
})

describe('agent changes name their agent as main does', () => {
  it("a change's target is the agent's normalised number, not the digits it was registered with", () => {
    // The fixture once wrote `agent:<digits>`, which hid a renderer comparison with the number in
    // another form; main's target is `agent:+91…` (shared agentTarget; model.test.ts checks main).
    const a = agent('9876543210', 'Asha')
    expect(change('c1', '9876543210').target).toBe('agent:+919876543210')
    expect(change('c1', '9876543210').target).toBe(agentTarget(a.normalizedNumber))
    expect(change('c1', '9876543210').target).not.toBe(`agent:${a.number}`)
  })
})

describe('changes, health and ui slices', () => {
  it('moves an updated change to the top without duplicating it', () => {
    store.getState().changesLoadedFrom([change('a', '1'), change('b', '2')])
    store.getState().changeUpdated(change('b', '2', { state: 'confirmed' }))
    expect(store.getState().changes.map((c) => [c.id, c.state])).toEqual([
      ['b', 'confirmed'],
      ['a', 'pending'],
    ])
  })

  it('prepends rejected pushes', () => {
    const push = (id: string) => ({
      id,
      receivedAt: '2026-01-05T10:00:00.000Z',
      method: 'GET',
      params: {},
      reason: 'bad date',
      fields: ['date'],
      remoteAddress: null,
    })
    store.getState().rejectedLoadedFrom([push('1')])
    store.getState().pushRejected(push('2'))
    expect(store.getState().rejected.map((r) => r.id)).toEqual(['2', '1'])
  })

  it('navigates and resets to the initial state', () => {
    store.getState().navigated('agents')
    store.getState().callReceived(call('a'), 'created')
    expect(store.getState().screen).toBe('agents')
    resetAppStore(store)
    expect(store.getState().screen).toBe('live')
    expect(store.getState().feed).toEqual([])
  })

  it('the app store is a separate instance from test stores', () => {
    store.getState().navigated('missed')
    expect(appStore.getState().screen).toBe('live')
  })
})
