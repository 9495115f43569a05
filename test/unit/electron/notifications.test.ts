import { describe, expect, it, vi } from 'vitest'
import type { EventName, Events } from '../../../src/shared/contract'
import type { Call, CallStatus, NotifyChoice } from '../../../src/shared/domain'
import type { Core } from '../../../src/main/core/core'
import { silentLogger } from '../../../src/main/ground/logger'
import {
  notificationContent,
  shouldNotify,
  wireNotifications,
  BURST_SHOWN,
  BURST_WINDOW_MS,
  type NotifySettings,
} from '../../../src/main/electron/notifications'
import { fakeNotifications } from './fakeNotification'

const OPEN_FROM = Date.parse('2026-11-27T09:00:00+05:30')
const OPEN_TO = Date.parse('2026-11-27T18:00:00+05:30')
const isOpenAt = (ms: number) => ms >= OPEN_FROM && ms < OPEN_TO
const IN_HOURS = '2026-11-27T10:15:00+05:30'
const AFTER_HOURS = '2026-11-27T21:40:00+05:30'

function call(status: CallStatus, startedAt = IN_HOURS, over: Partial<Call> = {}): Call {
  return {
    id: `c-${status}-${startedAt}`,
    callerNumber: '+919876543210',
    agentNumber: null,
    status,
    date: '2026-11-27',
    time: '10:15:00',
    startedAt,
    ivrSeconds: 34,
    talkSeconds: null,
    circle: 'Kerala',
    virtualNumber: null,
    department: 'Sales',
    recordingUrl: null,
    callType: null,
    receivedAt: '2026-11-27T04:45:05Z',
    firstReceivedAt: '2026-11-27T04:45:05Z',
    revision: 1,
    raw: {},
    history: [],
    ...over,
  }
}

const settings = (
  notify: NotifyChoice,
  alertsPaused = false,
  quietOutsideOfficeHours = false,
): NotifySettings => ({ notify, alertsPaused, quietOutsideOfficeHours })

describe('shouldNotify truth table', () => {
  const rows: [NotifyChoice, boolean, boolean, CallStatus, string, boolean][] = [
    // notify, paused, quiet, status, startedAt, expected
    ['all', false, false, 'ANSWER', IN_HOURS, true],
    ['all', false, false, 'MISSED', IN_HOURS, true],
    ['all', false, false, 'DROPPED', AFTER_HOURS, true],
    ['missed', false, false, 'ANSWER', IN_HOURS, false],
    ['missed', false, false, 'MISSED', IN_HOURS, true],
    ['missed', false, false, 'DROPPED', IN_HOURS, true],
    ['missed', false, false, 'MISSED', AFTER_HOURS, true],
    ['off', false, false, 'MISSED', IN_HOURS, false],
    ['off', false, false, 'ANSWER', IN_HOURS, false],
    ['all', true, false, 'MISSED', IN_HOURS, false],
    ['missed', true, false, 'DROPPED', IN_HOURS, false],
    ['missed', false, true, 'MISSED', IN_HOURS, true],
    ['missed', false, true, 'MISSED', AFTER_HOURS, false],
    ['all', false, true, 'ANSWER', AFTER_HOURS, false],
    ['all', false, true, 'ANSWER', IN_HOURS, true],
    ['off', false, true, 'MISSED', IN_HOURS, false],
  ]
  it.each(rows)('notify=%s paused=%s quiet=%s %s at %s → %s', (n, p, q, status, at, expected) => {
    expect(shouldNotify(call(status, at), settings(n, p, q), isOpenAt)).toBe(expected)
  })

  it("keeps quiet by the judgement the call left main with, whatever today's hours say", () => {
    const quiet = settings('missed', false, true)
    // main judged it by the schedule in force when it started: that wins over `isOpenAt`.
    expect(
      shouldNotify(call('MISSED', IN_HOURS, { outsideOfficeHours: true }), quiet, isOpenAt),
    ).toBe(false)
    expect(
      shouldNotify(call('MISSED', AFTER_HOURS, { outsideOfficeHours: false }), quiet, isOpenAt),
    ).toBe(true)
  })

  it('falls back to the receipt time when the start instant is unreadable', () => {
    const c = call('MISSED', 'garbage', { receivedAt: '2026-11-27T16:00:00Z' }) // 21:30 IST
    expect(shouldNotify(c, settings('missed', false, true), isOpenAt)).toBe(false)
  })
})

describe('notificationContent', () => {
  it('says what happened, who called and how long they waited', () => {
    expect(notificationContent(call('MISSED'))).toEqual({
      title: 'Missed call from +91 98765 43210',
      body: 'Sales · at 10:15 am · waited 34 s',
    })
    expect(notificationContent(call('ANSWER', IN_HOURS, { department: null }))).toEqual({
      title: 'Answered call from +91 98765 43210',
      body: 'at 10:15 am',
    })
  })
})

describe('wireNotifications', () => {
  function setup(s: NotifySettings = settings('missed'), supported = true) {
    let emit: (<E extends EventName>(e: E, p: Events[E]) => void) | null = null
    const core = {
      subscribe: (h: typeof emit) => {
        emit = h
        return () => {
          emit = null
        }
      },
    } as unknown as Pick<Core, 'subscribe'>
    const notifier = fakeNotifications()
    const shown = notifier.shown
    const opened: string[] = []
    const off = wireNotifications({
      core,
      settings: () => s,
      isOpenAt,
      isSupported: () => supported,
      createNotification: notifier.create,
      openCall: (id) => opened.push(id),
      logger: silentLogger,
    })
    return {
      emit: (e: EventName, p: unknown) => emit!(e, p as never),
      subscribed: () => emit !== null,
      shown,
      opened,
      off,
    }
  }

  it('shows a missed call and opens it on click', () => {
    const t = setup()
    const c = call('MISSED')
    t.emit('call:stored', { call: c, outcome: 'created' })
    expect(t.shown.map((n) => n.title)).toEqual(['Missed call from +91 98765 43210'])
    t.shown[0]!.click()
    expect(t.opened).toEqual([c.id])
  })

  it('skips answered calls (missed only), revisions, other events and unsupported platforms', () => {
    const t = setup()
    t.emit('call:stored', { call: call('ANSWER'), outcome: 'created' })
    t.emit('call:stored', { call: call('DROPPED'), outcome: 'updated' })
    t.emit('missed:updated', { items: [], openCount: 1 })
    expect(t.shown).toEqual([])
    const u = setup(settings('all'), false)
    u.emit('call:stored', { call: call('MISSED'), outcome: 'created' })
    expect(u.shown).toEqual([])
  })

  it('stops after unsubscribing', () => {
    const t = setup(settings('all'))
    expect(t.subscribed()).toBe(true)
    t.off()
    expect(t.subscribed()).toBe(false)
  })

  it('shows a burst three at a time, then one summary per window that opens the newest call', () => {
    vi.useFakeTimers()
    try {
      const t = setup()
      const calls = Array.from({ length: 500 }, (_, i) =>
        call('MISSED', IN_HOURS, {
          id: `b${i}`,
          callerNumber: `+9198${String(i).padStart(8, '0')}`,
        }),
      )
      for (const c of calls) t.emit('call:stored', { call: c, outcome: 'created' })
      expect(t.shown).toHaveLength(BURST_SHOWN)
      vi.advanceTimersByTime(BURST_WINDOW_MS)
      expect(t.shown).toHaveLength(BURST_SHOWN + 1)
      expect(t.shown.at(-1)!.title).toBe(`${500 - BURST_SHOWN} more missed calls`)
      expect(t.shown.at(-1)!.body).toBe('The newest from +91 98000 00499')
      t.shown.at(-1)!.click()
      expect(t.opened).toEqual(['b499'])
      // A quiet window after it shows calls one by one again.
      vi.advanceTimersByTime(BURST_WINDOW_MS)
      t.emit('call:stored', {
        call: call('DROPPED', IN_HOURS, { id: 'later' }),
        outcome: 'created',
      })
      expect(t.shown.at(-1)!.title).toBe('Dropped call from +91 98765 43210')
      t.off()
    } finally {
      vi.useRealTimers()
    }
  })
})
