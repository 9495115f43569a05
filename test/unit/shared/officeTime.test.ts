import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  displayTime,
  from12Hour,
  officeTimeError,
  readTime,
  to12Hour,
} from '../../../src/shared/officeTime'

describe('24 h → vendor 12 h time', () => {
  it.each([
    ['00:00', '12:00 AM'],
    ['00:15', '12:15 AM'],
    ['09:30', '09:30 AM'],
    ['11:59', '11:59 AM'],
    ['12:00', '12:00 PM'],
    ['12:30', '12:30 PM'],
    ['13:05', '01:05 PM'],
    ['18:00', '06:00 PM'],
    ['23:59', '11:59 PM'],
  ])('%s → %s', (a, b) => {
    expect(to12Hour(a)).toBe(b)
    expect(from12Hour(b)).toBe(a)
  })

  it('round-trips every minute of the day', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1439 }), (m) => {
        const hhmm = `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
        expect(from12Hour(to12Hour(hhmm))).toBe(hhmm)
      }),
    )
  })

  it.each(['24:00', '9:30', '09:60', '', 'noon'])('rejects %j', (t) => {
    expect(() => to12Hour(t)).toThrow(RangeError)
  })

  it('applies the vendor rule: start strictly before end', () => {
    expect(officeTimeError('09:30', '18:00')).toBeNull()
    expect(officeTimeError('18:00', '09:30')).toBe('Invalid Time')
    expect(officeTimeError('09:30', '09:30')).toBe('Invalid Time')
    expect(officeTimeError('25:00', '26:00')).toBe('Invalid Time')
  })
})

describe('24 h ↔ 12 h for people (the office-hours screen)', () => {
  it.each([
    ['00:00', '12:00 AM'],
    ['00:15', '12:15 AM'],
    ['09:30', '9:30 AM'],
    ['12:00', '12:00 PM'],
    ['13:05', '1:05 PM'],
    ['18:00', '6:00 PM'],
    ['23:59', '11:59 PM'],
  ])('%s ↔ %s', (h24, h12) => {
    expect(displayTime(h24)).toBe(h12)
    expect(readTime(h12)).toBe(h24)
  })

  it('reads the vendor form and lower case, refuses nonsense', () => {
    expect(readTime('06:00 PM')).toBe('18:00')
    expect(readTime('12:30 am')).toBe('00:30')
    expect(readTime('13:00 PM')).toBeNull()
    expect(readTime('0:30 AM')).toBeNull()
    expect(readTime('9:30')).toBeNull()
    expect(displayTime('25:00')).toBe('25:00')
  })
})

describe('office-hours validation on the screen (the vendor rule, before sending)', () => {
  it('accepts start before end and answers the vendor words otherwise', () => {
    expect(officeTimeError('09:30', '18:00')).toBeNull()
    expect(officeTimeError('18:00', '09:30')).toBe('Invalid Time')
    expect(officeTimeError('10:00', '10:00')).toBe('Invalid Time')
    expect(officeTimeError('', '18:00')).toBe('Invalid Time')
    expect(officeTimeError('24:00', '23:00')).toBe('Invalid Time')
  })
})
