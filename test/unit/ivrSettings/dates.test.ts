import { describe, expect, it } from 'vitest'
import { DateTime } from 'luxon'
import {
  occurrencesWithinYear,
  parseLocalDate,
  parseMonthDay,
} from '../../../src/main/ivrSettings/dates'

const Z = 'Asia/Kolkata'
const day = (iso: string) => DateTime.fromISO(iso, { zone: Z })

describe('yearly rules', () => {
  it('materialise across the year end, today included, a year ahead excluded', () => {
    const today = day('2026-11-27')
    expect(occurrencesWithinYear('01-26', today)).toEqual(['2027-01-26'])
    expect(occurrencesWithinYear('12-25', today)).toEqual(['2026-12-25'])
    expect(occurrencesWithinYear('11-27', today)).toEqual(['2026-11-27'])
    expect(occurrencesWithinYear('11-26', today)).toEqual(['2027-11-26'])
  })

  it('29 February only in leap years', () => {
    expect(occurrencesWithinYear('02-29', day('2026-11-27'))).toEqual([])
    expect(occurrencesWithinYear('02-29', day('2027-03-01'))).toEqual(['2028-02-29'])
  })

  it('validates month-day and calendar dates', () => {
    expect(parseMonthDay('02-29')).toEqual({ month: 2, day: 29 })
    expect(() => parseMonthDay('02-30')).toThrow(/not a month and day/)
    expect(() => parseMonthDay('13-01')).toThrow()
    expect(() => parseLocalDate('2026-02-30', Z)).toThrow(/not a calendar date/)
    expect(() => parseLocalDate('2026-2-3', Z)).toThrow()
    expect(parseLocalDate('2028-02-29', Z).toISODate()).toBe('2028-02-29')
  })
})
