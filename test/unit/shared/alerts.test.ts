import { describe, expect, it } from 'vitest'
import { AlertBurst, alertContent, shouldAlert } from '../../../src/shared/alerts'
import type { CallStatus, NotifyChoice } from '../../../src/shared/domain'

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
