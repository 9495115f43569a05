import { describe, expect, it } from 'vitest'
import type { Holiday, OfficeHours } from '../../../../src/shared/domain'
import {
  parseDayMonth,
  monthGrid,
  presetDates,
  presetsToOffer,
  rangeError,
  holidaysByMonth,
} from '../../../../src/renderer/src/screens/holidays/calendar'
import { holidayRequest } from '../../../../src/renderer/src/screens/holidays/AddHolidayForm'
import { pickerToHHMM } from '../../../../src/renderer/src/screens/officeHours/time'
import { hoursFor, weekTimeline } from '../../../../src/renderer/src/screens/officeHours/week'
import { addDays, datesBetween, weekdayOf } from '../../../../src/renderer/src/dates'
import { localToday } from '../../../../src/shared/localTime'
import {
  filtersFromQuery,
  queryFromFilters,
  EMPTY_FILTERS,
} from '../../../../src/renderer/src/screens/history/filters'
import { changedFields } from '../../../../src/renderer/src/components/callDetail/revisions'
import { call } from '../fixtures'

const hours = (day: OfficeHours['day'], start: string, end: string): OfficeHours => ({
  day,
  start,
  end,
  state: 'confirmed',
  vendorAnswer: 'Success',
  changeId: null,
})
const holiday = (date: string, over: Partial<Holiday> = {}): Holiday => ({
  date,
  name: null,
  source: 'single',
  rule: null,
  state: 'confirmed',
  vendorAnswer: 'Success',
  changeId: null,
  ...over,
})

describe('the office-hours time pickers', () => {
  it('keeps HH:MM of what the picker answers, nothing while incomplete', () => {
    expect(pickerToHHMM('18:30:00')).toBe('18:30')
    expect(pickerToHHMM('09:05')).toBe('09:05')
    expect(pickerToHHMM('')).toBe('')
  })
})

describe('dates', () => {
  it('counts days without the machine zone', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01')
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29')
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31')
    expect(weekdayOf('2026-01-26')).toBe('Monday')
    expect(weekdayOf('2026-08-15')).toBe('Saturday')
    expect(datesBetween('2026-12-30', '2027-01-02')).toEqual([
      '2026-12-30',
      '2026-12-31',
      '2027-01-01',
      '2027-01-02',
    ])
    expect(datesBetween('2026-01-02', '2026-01-01')).toEqual([])
  })

  it('asks the configured zone for today', () => {
    const instant = new Date('2026-03-31T20:00:00Z')
    expect(localToday(instant.getTime(), 'Asia/Kolkata')).toBe('2026-04-01')
    expect(localToday(instant.getTime(), 'America/New_York')).toBe('2026-03-31')
  })
})

describe('week timeline ("what callers hear")', () => {
  it('lets a weekday entry win over Daily', () => {
    const list = [hours('Daily', '09:30', '18:00'), hours('Saturday', '10:00', '14:00')]
    expect(hoursFor(list, 'Saturday')?.start).toBe('10:00')
    expect(hoursFor(list, 'Monday')?.start).toBe('09:30')
    expect(hoursFor([hours('Friday', '09:00', '17:00')], 'Monday')).toBeNull()
  })

  it('merges holidays over office hours for seven days; refused holidays do not count', () => {
    const plans = weekTimeline(
      '2026-01-24', // Saturday
      [hours('Daily', '09:30', '18:00'), hours('Sunday', '10:00', '13:00')],
      [
        holiday('2026-01-26', { name: 'Republic Day' }),
        holiday('2026-01-27', { state: 'pending' }),
        holiday('2026-01-28', { state: 'refused', vendorAnswer: 'Invalid Date' }),
      ],
    )
    expect(plans.map((p) => [p.date, p.weekday, p.kind, p.start, p.end])).toEqual([
      ['2026-01-24', 'Saturday', 'hours', '09:30', '18:00'],
      ['2026-01-25', 'Sunday', 'hours', '10:00', '13:00'],
      ['2026-01-26', 'Monday', 'holiday', null, null],
      ['2026-01-27', 'Tuesday', 'holiday', null, null],
      ['2026-01-28', 'Wednesday', 'hours', '09:30', '18:00'],
      ['2026-01-29', 'Thursday', 'hours', '09:30', '18:00'],
      ['2026-01-30', 'Friday', 'hours', '09:30', '18:00'],
    ])
    expect(plans[2]?.holidayName).toBe('Republic Day')
    expect(plans[3]?.state).toBe('pending')
    expect(plans[4]?.refusedHoliday?.vendorAnswer).toBe('Invalid Date')
  })

  it('says a day without hours is routed all day', () => {
    const [day] = weekTimeline('2026-01-24', [], [], 1)
    expect(day?.kind).toBe('unrestricted')
  })
})

describe('holiday calendar', () => {
  it('lays a month out in Monday-first weeks', () => {
    const feb = monthGrid(2026, 2) // 1 Feb 2026 is a Sunday
    expect(feb[0]).toEqual([null, null, null, null, null, null, '2026-02-01'])
    expect(feb.flat().filter(Boolean)).toHaveLength(28)
    expect(feb.at(-1)?.at(-1)).toBeNull()
    expect(feb.every((w) => w.length === 7)).toBe(true)
    const leap = monthGrid(2028, 2).flat().filter(Boolean)
    expect(leap.at(-1)).toBe('2028-02-29')
    expect(monthGrid(2026, 6)[0]?.[0]).toBe('2026-06-01') // a Monday
  })

  it("offers India's fixed-date national holidays unless added or skipped", () => {
    expect(presetDates(2027)).toEqual([
      { date: '2027-01-26', name: 'Republic Day' },
      { date: '2027-08-15', name: 'Independence Day' },
      { date: '2027-10-02', name: 'Gandhi Jayanti' },
    ])
    const offer = presetsToOffer([{ monthDay: '08-15', name: 'I-Day' }], ['10-02'])
    expect(offer.map((p) => p.monthDay)).toEqual(['01-26'])
  })

  it('checks ranges and yearly days before sending', () => {
    expect(rangeError('2026-12-24', '2026-12-26')).toBeNull()
    expect(rangeError('2026-12-26', '2026-12-24')).toMatch(/before/)
    expect(rangeError('', '2026-12-24')).toMatch(/Choose/)
    expect(rangeError('2026-01-01', '2026-12-31')).toMatch(/At most/)
    expect(parseDayMonth('29/02')).toEqual({ monthDay: '02-29' })
    expect(parseDayMonth('15 Aug')).toEqual({ monthDay: '08-15' })
    expect(parseDayMonth('26 January')).toEqual({ monthDay: '01-26' })
    expect(parseDayMonth('30/02')).toEqual({
      error: '30/02 is not a date: February has 29 days.',
    })
    expect(parseDayMonth('08-15')).toEqual({ error: '08-15 is not a date: there is no month 15.' })
    expect(parseDayMonth('')).toEqual({ error: 'Type the day and month, e.g. 15 Aug.' })
  })

  it('builds the request the form sends', () => {
    const f = {
      date: '2026-11-14',
      from: '2026-12-24',
      to: '2026-12-26',
      monthDay: '15 Aug',
      name: ' ',
    }
    expect(holidayRequest('single', f)).toEqual({ req: { date: '2026-11-14' } })
    expect(holidayRequest('range', { ...f, name: 'Christmas' })).toEqual({
      req: { from: '2026-12-24', to: '2026-12-26', name: 'Christmas' },
    })
    expect(holidayRequest('yearly', f)).toEqual({
      error: 'A yearly holiday needs a name.',
      field: 'name',
    })
    expect(holidayRequest('single', { ...f, date: '' })).toEqual({
      error: 'Choose a date.',
      field: 'date',
    })
    expect(holidayRequest('range', { ...f, to: '' })).toMatchObject({ field: 'to' })
    expect(holidayRequest('yearly', { ...f, name: 'Independence Day' })).toEqual({
      req: { yearly: '08-15', name: 'Independence Day' },
    })
  })

  it('groups a year by month, sorted', () => {
    const m = holidaysByMonth(
      [holiday('2026-08-15'), holiday('2027-01-26'), holiday('2026-01-26'), holiday('2026-01-01')],
      2026,
    )
    expect([...m.keys()]).toEqual([1, 8])
    expect(m.get(1)?.map((h) => h.date)).toEqual(['2026-01-01', '2026-01-26'])
  })
})

describe('history filters', () => {
  it('keeps only the filters set, trimmed, and orders a backwards range', () => {
    expect(queryFromFilters(EMPTY_FILTERS)).toEqual({})
    const q = queryFromFilters({
      from: '2026-01-31',
      to: '2026-01-01',
      status: 'MISSED',
      agent: ' 9876543210 ',
      department: '',
      circle: 'Kerala',
      text: '  98765 ',
    })
    expect(q).toEqual({
      from: '2026-01-01',
      to: '2026-01-31',
      status: 'MISSED',
      agent: '9876543210',
      circle: 'Kerala',
      q: '98765',
    })
    expect(queryFromFilters(filtersFromQuery(q))).toEqual(q)
  })

  it('names the fields a revision changed', () => {
    const a = call('x')
    const b = call('x', { status: 'MISSED', talkSeconds: 0, revision: 2 })
    expect(changedFields(a, b)).toEqual(['Status', 'Talk time'])
    expect(changedFields(a, a)).toEqual([])
  })
})
