import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createAppStore, resetAppStore } from '../../../../src/renderer/src/store'
import {
  DAY_CHECK_MS,
  followCalls,
  REFRESH_AFTER_MS,
  runsToToday,
} from '../../../../src/renderer/src/screens/dashboard/refresh'
import { localToday } from '../../../../src/shared/localTime'
import type { DashboardRequest } from '../../../../src/shared/schemas'
import { call } from '../fixtures'

const ZONE = 'Asia/Kolkata'
const store = createAppStore()
beforeEach(() => {
  resetAppStore(store)
  vi.useFakeTimers()
})
afterEach(() => vi.useRealTimers())

/** Follows `period` on the store with a clock the test moves; returns what was loaded, in order. */
function follow(period: DashboardRequest, start: number) {
  let now = start
  const loads: DashboardRequest[] = []
  const stop = followCalls(
    store,
    { period: () => period, load: async (p) => void loads.push(p) },
    () => now,
  )
  return {
    loads,
    stop,
    /** Moves the clock and runs the timers due meanwhile. */
    advance(ms: number) {
      now += ms
      vi.advanceTimersByTime(ms)
    },
  }
}

describe('following the calls', () => {
  it('a period running until today reloads once for calls arriving together', () => {
    const f = follow({ range: 'today' }, Date.now())
    expect(f.loads).toHaveLength(1)
    store.getState().callReceived(call('a'), 'created')
    store.getState().callReceived(call('b'), 'created')
    f.advance(REFRESH_AFTER_MS)
    expect(f.loads).toHaveLength(2)
    f.stop()
  })

  it('a wallboard left on over midnight loads the new day, with no call arriving', () => {
    // Two minutes to local midnight, in the zone main works in.
    const today = localToday(Date.now(), ZONE)
    const midnight = Date.parse(`${today}T00:00:00+05:30`) + 86_400_000
    const f = follow({ range: 'today' }, midnight - 120_000)
    f.advance(DAY_CHECK_MS)
    expect(f.loads).toHaveLength(1)
    f.advance(2 * DAY_CHECK_MS + REFRESH_AFTER_MS)
    expect(f.loads).toHaveLength(2)
    // Calls after midnight still count: the period runs until the new today.
    store.getState().callReceived(call('late'), 'created')
    f.advance(REFRESH_AFTER_MS)
    expect(f.loads).toHaveLength(3)
    f.stop()
  })

  it('a period that ended does not reload for calls', () => {
    const f = follow({ range: 'yesterday' }, Date.now())
    store.getState().callReceived(call('a'), 'created')
    f.advance(REFRESH_AFTER_MS)
    expect(f.loads).toHaveLength(1)
    f.stop()
  })

  it('judges whether a period still moves by the period asked for, not by an answer', () => {
    const today = '2030-05-10'
    expect(runsToToday({ range: 'today' }, today)).toBe(true)
    expect(runsToToday({ range: '30d' }, today)).toBe(true)
    expect(runsToToday({ range: 'yesterday' }, today)).toBe(false)
    expect(runsToToday({ range: 'custom', from: '2030-05-01', to: '2030-05-10' }, today)).toBe(true)
    expect(runsToToday({ range: 'custom', from: '2030-05-01', to: '2030-05-09' }, today)).toBe(
      false,
    )
  })
})
