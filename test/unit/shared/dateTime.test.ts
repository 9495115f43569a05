import { describe, expect, it } from 'vitest'
import {
  formatClock,
  formatDate,
  formatDateTime,
  formatDayOf,
  formatSeconds,
  parseDateInput,
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

  it('reads what people type in a date field, day first whatever the language', () => {
    const today = '2026-11-29'
    const read = (t: string) => parseDateInput(t, today)
    for (const [typed, date] of [
      ['29/11/2026', '2026-11-29'],
      ['1-2-2026', '2026-02-01'],
      ['1.2.26', '2026-02-01'],
      [' 25/12 ', '2026-12-25'],
      ['2026-12-25', '2026-12-25'],
      ['29 Nov 2026', '2026-11-29'],
      ['29 november', '2026-11-29'],
      ['Nov 29, 2026', '2026-11-29'],
      ['1st Jan 2027', '2027-01-01'],
      ['29/02/2028', '2028-02-29'],
    ])
      expect(read(typed!), typed).toEqual({ date })
    // What a field shows of a date reads back as the same date.
    expect(read(formatDate('2027-03-04'))).toEqual({ date: '2027-03-04' })
    expect(read('')).toEqual({ empty: true })
    expect(read('   ')).toEqual({ empty: true })
  })

  it('says why a text is not a date, in the one format', () => {
    const read = (t: string) => parseDateInput(t, '2026-11-29')
    expect(read('31/02/2026')).toEqual({
      error: '31/02/2026 is not a date: February 2026 has 28 days.',
    })
    expect(read('29/02/2027')).toEqual({
      error: '29/02/2027 is not a date: February 2027 has 28 days.',
    })
    expect(read('31/4')).toEqual({ error: '31/4 is not a date: April 2026 has 30 days.' })
    expect(read('12/13/2026')).toEqual({
      error: '12/13/2026 is not a date: there is no month 13.',
    })
    expect(read('0/1/2026')).toEqual({ error: '0/1/2026 is not a date: January 2026 has 31 days.' })
    expect(read('3 Smarch 2026')).toEqual({
      error: '“3 Smarch 2026” is not a date: no month is called that.',
    })
    expect(read('tomorrow')).toEqual({
      error: '“tomorrow” is not a date: type it day first, as 29/11/2026 or 29 Nov 2026.',
    })
  })

  it('spells durations as the screens do', () => {
    expect(formatSeconds(75)).toBe('1:15')
    expect(formatSeconds(3725)).toBe('1:02:05')
    expect(formatSeconds(null)).toBe('–')
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
