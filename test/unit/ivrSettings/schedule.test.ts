import { describe, expect, it } from 'vitest'
import { DateTime } from 'luxon'
import {
  describeOpenState,
  isOpenAt,
  type ScheduleData,
} from '../../../src/main/ivrSettings/schedule'

const Z = 'Asia/Kolkata'
/** An instant given as Kolkata wall-clock time. */
const at = (local: string): number => DateTime.fromISO(local, { zone: Z }).toMillis()

const data = (over: Partial<ScheduleData> = {}): ScheduleData => ({
  holidays: new Map(),
  hours: {
    Daily: { start: '09:30', end: '18:00' },
    Saturday: { start: '10:00', end: '14:00' },
  },
  ...over,
})

describe('isOpenAt (Asia/Kolkata)', () => {
  // 2026-11-27 is a Friday.
  it('follows Daily hours, start inclusive and end exclusive', () => {
    expect(isOpenAt(at('2026-11-27T09:29'), Z, data())).toBe(false)
    expect(isOpenAt(at('2026-11-27T09:30'), Z, data())).toBe(true)
    expect(isOpenAt(at('2026-11-27T17:59'), Z, data())).toBe(true)
    expect(isOpenAt(at('2026-11-27T18:00'), Z, data())).toBe(false)
  })

  it('uses the configured zone, not UTC (04:30 UTC is 10:00 in Kolkata)', () => {
    expect(isOpenAt(Date.parse('2026-11-27T04:30:00Z'), Z, data())).toBe(true)
    expect(isOpenAt(Date.parse('2026-11-27T04:30:00Z'), 'UTC', data())).toBe(false)
  })

  it('a weekday entry overrides Daily', () => {
    expect(isOpenAt(at('2026-11-28T09:45'), Z, data())).toBe(false)
    expect(isOpenAt(at('2026-11-28T13:00'), Z, data())).toBe(true)
    expect(isOpenAt(at('2026-11-28T15:00'), Z, data())).toBe(false)
  })

  it('a holiday closes the whole day', () => {
    const d = data({ holidays: new Map([['2026-11-27', 'Founders day']]) })
    expect(isOpenAt(at('2026-11-27T12:00'), Z, d)).toBe(false)
    expect(isOpenAt(at('2026-11-28T12:00'), Z, d)).toBe(true)
  })

  it('no office hours at all means open', () => {
    expect(isOpenAt(at('2026-11-27T03:00'), Z, { holidays: new Map(), hours: {} })).toBe(true)
  })
})

describe('describeOpenState', () => {
  it('open: closes at today', () => {
    expect(describeOpenState(at('2026-11-27T11:00'), Z, data())).toEqual({
      open: true,
      text: 'Open now, closes at 6:00 PM',
      nextChangeAt: '2026-11-27T18:00:00+05:30',
      hear: 'Callers are put through to an available agent of their department.',
    })
  })

  it('closed before opening: opens at, and callers hear the closed message', () => {
    const state = describeOpenState(at('2026-11-27T08:00'), Z, data())
    expect(state.text).toBe('Closed, opens at 9:30 AM')
    expect(state.hear).toBe('Callers hear the closed message: no agent is rung.')
  })

  it('closed over a holiday weekend: names the holiday and the weekday it opens', () => {
    const d = data({
      holidays: new Map([
        ['2026-11-28', 'Festival'],
        ['2026-11-29', 'Festival'],
      ]),
    })
    expect(describeOpenState(at('2026-11-28T12:00'), Z, d)).toEqual({
      open: false,
      text: 'Closed (holiday: Festival), opens Monday 9:30 AM',
      nextChangeAt: '2026-11-30T09:30:00+05:30',
      hear: 'Callers hear the holiday message all day: no agent is rung.',
    })
  })

  it('always open without hours', () => {
    expect(
      describeOpenState(at('2026-11-27T03:00'), Z, { holidays: new Map(), hours: {} }),
    ).toEqual({
      open: true,
      text: 'Open (no office hours set)',
      nextChangeAt: null,
      hear: 'Callers are put through to an available agent of their department.',
    })
  })
})
