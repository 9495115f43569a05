import { describe, expect, it } from 'vitest'
import {
  formatClock,
  formatDate,
  formatDateTime,
  formatDayOf,
  fromDayMonthYear,
  toDayMonthYear,
} from '../../../src/shared/dateTime'
import { isoWithOffset } from '../../../src/shared/localTime'
import { canonicalZone, zoneChoices } from '../../../src/shared/timeZones'

describe('one date and time format, in the configured zone', () => {
  it('reads Indian style in the zone, never UTC', () => {
    // 16:27 UTC is 9:57 pm in India.
    expect(formatDateTime('2026-11-29T16:27:09Z', 'Asia/Kolkata')).toBe('29 Nov 2026, 9:57 pm')
    expect(formatDateTime('2026-11-29T16:27:09Z', 'Asia/Kolkata', { seconds: true })).toBe(
      '29 Nov 2026, 9:57:09 pm',
    )
    expect(formatDateTime(Date.parse('2026-01-01T00:05:00+05:30'), 'Asia/Kolkata')).toBe(
      '1 Jan 2026, 12:05 am',
    )
    expect(formatDateTime('2026-11-29T06:30:00Z', 'Asia/Kolkata')).toBe('29 Nov 2026, 12:00 pm')
    expect(formatDayOf('2026-11-29T20:00:00Z', 'Asia/Kolkata')).toBe('30 Nov 2026')
  })

  it('says UTC when the zone is unknown, and leaves non-instants alone', () => {
    expect(formatDateTime('2026-11-29T16:27:09Z', 'Mars/Base')).toBe('29 Nov 2026, 4:27 pm UTC')
    expect(formatDateTime('soon', 'Asia/Kolkata')).toBe('soon')
  })

  it('formats local dates and clock times as the vendor sent them', () => {
    expect(formatDate('2026-08-15')).toBe('15 Aug 2026')
    expect(formatDate('15/08/2026')).toBe('15/08/2026')
    expect(formatClock('00:15:00')).toBe('12:15 am')
    expect(formatClock('13:05:42', true)).toBe('1:05:42 pm')
  })

  it('reads and writes date fields day first', () => {
    expect(toDayMonthYear('2026-11-29')).toBe('29/11/2026')
    expect(toDayMonthYear(null)).toBe('')
    expect(fromDayMonthYear('29/11/2026')).toBe('2026-11-29')
    expect(fromDayMonthYear('1-2-2026')).toBe('2026-02-01')
    expect(fromDayMonthYear('30/02/2026')).toBeNull()
    expect(fromDayMonthYear('2026-11-29')).toBeNull()
  })

  it('writes instants with the zone offset for files and logs', () => {
    expect(isoWithOffset(Date.parse('2026-11-27T04:30:01.000Z'), 'Asia/Kolkata')).toBe(
      '2026-11-27T10:00:01.000+05:30',
    )
    expect(isoWithOffset(Date.parse('2026-07-01T12:00:00.123Z'), 'America/New_York')).toBe(
      '2026-07-01T08:00:00.123-04:00',
    )
  })
})

describe('time zones under either name', () => {
  it('keeps the current name of a renamed zone', () => {
    expect(canonicalZone('Asia/Calcutta')).toBe('Asia/Kolkata')
    expect(canonicalZone('Asia/Kolkata')).toBe('Asia/Kolkata')
    expect(canonicalZone('Europe/Berlin')).toBe('Europe/Berlin')
  })

  it('offers Asia/Kolkata, findable as Kolkata or Calcutta, when the platform lists Calcutta', () => {
    const choices = zoneChoices(['Asia/Calcutta', 'Europe/Kiev', 'UTC'], 'Asia/Calcutta')
    expect(choices.map((c) => c.value)).toEqual(['Asia/Kolkata', 'Europe/Kyiv', 'UTC'])
    const india = choices.find((c) => c.value === 'Asia/Kolkata')!
    expect(india.label).toMatch(/Kolkata/)
    expect(india.label).toMatch(/Calcutta/)
    // The current zone is offered even when the platform does not list it.
    expect(zoneChoices([], 'America/Nuuk').map((c) => c.value)).toContain('America/Nuuk')
  })
})
