import { describe, expect, it } from 'vitest'
import { createCallAlerts, type AlertPage } from '../../../src/renderer/src/alerts'
import { badgeTitle } from '../../../src/renderer/src/badge'
import { fieldErrors } from '../../../src/renderer/src/formErrors'
import { ApiError } from '../../../src/renderer/src/api/errors'
import { toastStore } from '../../../src/renderer/src/toast'
import {
  changeText,
  formatMinutes,
  statGroups,
} from '../../../src/renderer/src/screens/dashboard/StatCards'
import type { Call, Settings } from '../../../src/shared/domain'
import { filterMissed, waitingText } from '../../../src/shared/missedQueue'
import { call, dashboardOf, missed, periodFigures, settings } from './fixtures'

function page(hidden: boolean, granted = true) {
  const shown: { title: string; body: string }[] = []
  const p: AlertPage = {
    hidden: () => hidden,
    notifier: () =>
      granted
        ? (title, options) => {
            shown.push({ title, body: options.body })
            return { onclick: null }
          }
        : null,
    focus: () => {},
  }
  return { p, shown }
}

function alerts(over: Partial<Settings>, pg: AlertPage, browser = true) {
  let t = 1_000_000
  const sounds: string[] = []
  const alert = createCallAlerts({
    settings: () => settings(over),
    browser,
    page: pg,
    openCall: () => {},
    sound: (c) => sounds.push(c.id),
    now: () => (t += 1000),
  })
  return { alert, sounds }
}

const missedCall = (id: string, over: Partial<Call> = {}): Call =>
  call(id, { status: 'MISSED', agentNumber: null, talkSeconds: null, ...over })

describe('call alerts in the renderer', () => {
  it("a background tab's notification names a missed call, then the burst it joins", () => {
    const { p, shown } = page(true)
    const { alert } = alerts({}, p)
    alert(call('a1')) // answered: not with "missed only"
    alert(missedCall('m1'))
    alert(missedCall('m2', { callerNumber: '+919812345678' }))
    expect(shown.map((n) => n.title)).toEqual([
      'Missed call from +91 98765 43210',
      '2 new calls (2 missed or dropped)',
    ])
    expect(toastStore.getState().callAlert).toMatchObject({ count: 2, callId: 'm2' })
  })

  it('no system notification in a visible tab, without permission, or in the desktop app', () => {
    for (const [hidden, granted, browser] of [
      [false, true, true],
      [true, false, true],
      [true, true, false],
    ] as const) {
      const { p, shown } = page(hidden, granted)
      alerts({}, p, browser).alert(missedCall('m1'))
      expect(shown).toEqual([])
      expect(toastStore.getState().callAlert).toMatchObject({ callId: 'm1' })
    }
  })

  it('keeps quiet for a call main judged outside office hours, when asked to; sound is a setting', () => {
    const { p, shown } = page(true)
    const quiet = alerts({ quietOutsideOfficeHours: true, alertSound: true }, p)
    toastStore.setState({ callAlert: null })
    quiet.alert(missedCall('late', { outsideOfficeHours: true }))
    expect(shown).toEqual([])
    expect(toastStore.getState().callAlert).toBeNull()
    quiet.alert(missedCall('in-hours', { outsideOfficeHours: false }))
    expect(shown).toHaveLength(1)
    expect(quiet.sounds).toEqual(['in-hours'])
    // A burst (a replay after a reconnect, a queue emptying) sounds once, and once more for its
    // first missed or dropped call, not once per call.
    const burst = alerts({ alertSound: true, notify: 'all' }, page(false).p)
    for (const id of ['b1', 'b2', 'b3']) burst.alert(call(id))
    for (const id of ['b4', 'b5']) burst.alert(missedCall(id))
    expect(burst.sounds).toEqual(['b1', 'b4'])
    const silent = alerts({}, page(true).p)
    silent.alert(missedCall('m'))
    expect(silent.sounds).toEqual([])
  })
})

describe('what the tab, the forms and the dashboard say', () => {
  it('counts callers waiting in the title', () => {
    expect(badgeTitle(0)).toBe('IVR Supervisor')
    expect(badgeTitle(3)).toBe('(3) IVR Supervisor')
  })

  it('places an error under the field it names, else at the foot of the form', () => {
    const bad = new ApiError('"12345" is not a valid phone number', 400, ['number'])
    expect(fieldErrors(bad, ['name', 'number'])).toEqual({ number: bad.message })
    expect(fieldErrors(new Error('Cannot reach'), ['number'])).toEqual({ form: 'Cannot reach' })
  })

  it('never says "0 min" for no call-backs, nor for a quick one', () => {
    expect(formatMinutes(null)).toBe('–')
    expect(formatMinutes(0.4)).toBe('under 1 min')
    expect(formatMinutes(65)).toBe('1 h 5 min')
    const figures = periodFigures(2)
    const d = dashboardOf(
      'today',
      {
        ...figures,
        totals: {
          ...figures.totals,
          answered: 1,
          missed: 1,
          answerRate: 0.5,
          rangAgainAnswered: 1,
        },
        inHours: { total: 1, answered: 1, missed: 0, dropped: 0, answerRate: 1 },
        afterHours: { total: 1, answered: 0, missed: 1, dropped: 0, answerRate: 0 },
      },
      periodFigures(4, {
        inHours: { total: 4, answered: 3, missed: 1, dropped: 0, answerRate: 0.75 },
      }),
    )
    const cards = Object.fromEntries(
      statGroups(d).flatMap((g) => g.cards.map((c) => [c.label, c.value])),
    )
    expect(cards).toMatchObject({
      'Called back by us': '0',
      'Rang again and got through': '1',
      'Median time to call back': '–',
      'Answer rate in hours': '100.0%',
      'Answer rate after hours': '0.0%',
      'Missed & dropped after hours': '1',
    })
  })

  it('puts each figure beside the period before, with an arrow and words for the change', () => {
    const now = periodFigures(6, {
      serviceLevel: { seconds: 20, answeredWithin: 3, total: 6, rate: 0.5 },
    })
    const before = periodFigures(4, {
      serviceLevel: { seconds: 20, answeredWithin: 3, total: 4, rate: 0.75 },
    })
    const cards = Object.fromEntries(
      statGroups(dashboardOf('today', now, before)).flatMap((g) =>
        g.cards.map((c) => [c.label, [c.value, c.before, c.change]]),
      ),
    )
    expect(cards.Calls).toEqual(['6', '4', '▲ 2'])
    expect(cards['Service level']).toEqual(['50.0%', '75.0%', '▼ 25.0 pts'])
    expect(cards['Answer rate']).toEqual(['100.0%', '100.0%', 'same'])
    expect(cards['Average talk time']).toEqual(['–', '–', null])
    expect(changeText(100, 100.4, (d) => String(Math.round(Math.abs(d))))).toBe('same')
  })
})

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
