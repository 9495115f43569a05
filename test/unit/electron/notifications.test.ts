import { describe, expect, it, vi } from 'vitest'
import type { EventName, Events } from '../../../src/shared/contract'
import type { Call, CallStatus, NotifyChoice } from '../../../src/shared/domain'
import type { Core } from '../../../src/main/core/core'
import { silentLogger } from '../../../src/main/ground/logger'
import {
  callFromActivation,
  notificationContent,
  notificationId,
  shouldNotify,
  wireNotifications,
  BURST_SHOWN,
  BURST_WINDOW_MS,
  type Activation,
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
  function setup(s: NotifySettings = settings('missed'), supported = true, refuse = false) {
    let emit: (<E extends EventName>(e: E, p: Events[E]) => void) | null = null
    const core = {
      subscribe: (h: typeof emit) => {
        emit = h
        return () => {
          emit = null
        }
      },
    } as unknown as Pick<Core, 'subscribe'>
    const notifier = fakeNotifications({ refuse })
    const shown = notifier.shown
    const opened: string[] = []
    const notShown: string[] = []
    let activate: ((details: Activation) => void) | null = null
    let windows = 0
    const off = wireNotifications({
      core,
      settings: () => s,
      isOpenAt,
      isSupported: () => supported,
      createNotification: notifier.create,
      openCall: (id) => opened.push(id),
      notShown: (reason) => notShown.push(reason),
      handleActivation: (callback) => (activate = callback),
      showWindow: () => windows++,
      logger: silentLogger,
    })
    return {
      emit: (e: EventName, p: unknown) => emit!(e, p as never),
      subscribed: () => emit !== null,
      shown,
      opened,
      notShown,
      activate: (details: Activation) => activate!(details),
      windows: () => windows,
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

  it('skips answered calls (missed only), revisions and other events, and tells nobody', () => {
    const t = setup()
    t.emit('call:stored', { call: call('ANSWER'), outcome: 'created' })
    t.emit('call:stored', { call: call('DROPPED'), outcome: 'updated' })
    t.emit('missed:updated', { items: [], openCount: 1 })
    expect(t.shown).toEqual([])
    expect(t.notShown).toEqual([])
  })

  it('every notification has a failure path: none on the platform, not created, refused', () => {
    // No notification service (Linux without a daemon): the call that should alert is told.
    const u = setup(settings('missed'), false)
    u.emit('call:stored', { call: call('ANSWER'), outcome: 'created' })
    expect(u.notShown).toEqual([])
    u.emit('call:stored', { call: call('MISSED'), outcome: 'created' })
    expect(u.shown).toEqual([])
    expect(u.notShown).toEqual(['this system offers no notification service'])
    // Creating or showing it throws.
    const v = setup(settings('missed'), true, true)
    v.emit('call:stored', { call: call('MISSED'), outcome: 'created' })
    expect(v.notShown).toEqual(['it could not be created (Error: notifications are not available)'])
    // Shown, then refused by the system (macOS unsigned, Windows toasts off): `failed`.
    const t = setup()
    t.emit('call:stored', { call: call('MISSED'), outcome: 'created' })
    expect(t.shown[0]!.listens).toEqual(expect.arrayContaining(['click', 'close', 'failed']))
    t.shown[0]!.fail('UNErrorCodeNotificationsNotAllowed')
    expect(t.notShown).toEqual(['the system refused it (UNErrorCodeNotificationsNotAllowed)'])
  })

  it("names the call in the notification's id, and a click from the Action Center opens it", () => {
    const t = setup()
    const c = call('MISSED', IN_HOURS, { id: 'vendor/42 x' })
    t.emit('call:stored', { call: c, outcome: 'created' })
    expect(t.shown[0]!.id).toBe(notificationId(c.id))
    expect(callFromActivation({ arguments: notificationId(c.id) })).toBe(c.id)
    // Still on screen: its own click opens it, the activation does not open it twice.
    t.activate({ arguments: notificationId(c.id) })
    expect(t.opened).toEqual([])
    t.shown[0]!.click()
    expect(t.opened).toEqual([c.id])
    // After a restart the toast in the Action Center has no object: the activation opens it.
    t.activate({ arguments: `launch=${notificationId('older-1')}` })
    expect(t.opened).toEqual([c.id, 'older-1'])
    // An activation that names no call shows the window.
    t.activate({ arguments: '' })
    expect(t.windows()).toBe(1)
  })

  it("keeps a notification's id within a Windows toast tag (64 characters), and maps it back", () => {
    const t = setup()
    const long = call('MISSED', IN_HOURS, { id: 'x'.repeat(80) })
    t.emit('call:stored', { call: long, outcome: 'created' })
    const id = t.shown[0]!.id!
    expect(id.length).toBeLessThanOrEqual(64)
    t.shown[0]!.click()
    t.activate({ arguments: id })
    expect(t.opened).toEqual([long.id, long.id])
    // A digest this session did not make names no call it knows: the window opens.
    t.activate({ arguments: 'ivrs-call:#unknown' })
    expect(t.windows()).toBe(1)
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
