import { describe, expect, it } from 'vitest'
import { AlertBurst, alertContent, shouldAlert } from '../../../src/shared/alerts'
import type { CallStatus, MissedItem, NotifyChoice } from '../../../src/shared/domain'
import { filterMissed, waitingText } from '../../../src/shared/missedQueue'

const call = (status: CallStatus, callerNumber = '+919876543210') => ({
  status,
  callerNumber,
  department: 'Sales',
  time: '21:57:09',
  ivrSeconds: 34,
})

describe('one alert rule for desktop and browser', () => {
  const rows: [NotifyChoice, boolean, boolean, CallStatus, boolean, boolean][] = [
    // notify, paused, quiet, status, closed at start, alerts
    ['all', false, false, 'ANSWER', false, true],
    ['missed', false, false, 'ANSWER', false, false],
    ['missed', false, false, 'DROPPED', true, true],
    ['missed', false, true, 'MISSED', true, false],
    ['missed', false, true, 'MISSED', false, true],
    ['off', false, false, 'MISSED', false, false],
    ['all', true, false, 'MISSED', false, false],
  ]
  it.each(rows)('notify=%s paused=%s quiet=%s %s closed=%s → %s', (n, p, q, s, c, expected) => {
    const settings = { notify: n, alertsPaused: p, quietOutsideOfficeHours: q }
    expect(shouldAlert(s, settings, c)).toBe(expected)
  })

  it('says what happened in the one date format', () => {
    expect(alertContent(call('MISSED'))).toEqual({
      title: 'Missed call from +91 98765 43210',
      body: 'Sales · at 9:57 pm · waited 34 s',
    })
  })

  it('collapses calls that come fast into one alert, and starts again after a pause', () => {
    const burst = new AlertBurst(10_000)
    expect(burst.add(call('MISSED'), 0)).toMatchObject({ count: 1, title: /^Missed call/ })
    burst.add(call('ANSWER'), 3_000)
    burst.add(call('DROPPED'), 6_000)
    burst.add(call('ANSWER'), 9_000)
    const fifth = burst.add(call('MISSED', '+919812345678'), 12_000)
    expect(fifth.count).toBe(5)
    expect(fifth.title).toBe('5 new calls (3 missed or dropped)')
    expect(fifth.body).toBe(
      'Latest: Missed call from +91 98123 45678, Sales · at 9:57 pm · waited 34 s',
    )
    expect(burst.add(call('ANSWER'), 40_000)).toMatchObject({ count: 1, title: /^Answered/ })
  })
})

function missed(callerNumber: string, over: Partial<MissedItem> = {}): MissedItem {
  return {
    callerNumber,
    callIds: ['c1'],
    count: 1,
    firstMissedAt: '2026-01-05T10:00:00.000Z',
    lastMissedAt: '2026-01-05T10:00:00.000Z',
    state: 'open',
    note: null,
    settledAt: null,
    settledBy: null,
    department: null,
    assignee: null,
    ...over,
  }
}

describe('the Missed & dropped queue, one rule for screen and export', () => {
  const items = [
    missed('+918597834899', { department: 'Sales', firstMissedAt: '2026-01-05T09:00:00Z' }),
    missed('+919812345678', {
      department: 'Support',
      assignee: 'Meena',
      firstMissedAt: '2026-01-05T08:00:00Z',
    }),
    missed('+917012345678', { state: 'resolved', department: 'Sales' }),
  ]

  it('finds a caller by any spelling of the number, and by assignee or department', () => {
    expect(filterMissed(items, { show: 'open', text: '085978 34899' })).toEqual([items[0]])
    expect(filterMissed(items, { show: 'open', text: 'meena' })).toEqual([items[1]])
    expect(filterMissed(items, { show: 'open', department: 'SALES' })).toEqual([items[0]])
    expect(filterMissed(items, { show: 'all', department: 'sales' })).toHaveLength(2)
    // Longest waiting first.
    expect(filterMissed(items, { show: 'open' }).map((i) => i.callerNumber)).toEqual([
      '+919812345678',
      '+918597834899',
    ])
  })

  it('counts callers, under one name', () => {
    expect(waitingText(1)).toBe('1 caller waiting')
    expect(waitingText(3)).toBe('3 callers waiting')
  })
})
