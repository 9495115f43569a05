import { describe, expect, it } from 'vitest'
import { closingSoonWarning, datesClosingSoon, plusDays } from '../../../src/shared/closingSoon'

describe('a holiday closing the office today or tomorrow', () => {
  it('finds today and tomorrow in every kind of request, across a year end', () => {
    const today = '2026-12-31' // a Thursday
    expect(plusDays(today, 1)).toBe('2027-01-01')
    expect(datesClosingSoon({ date: '2027-01-01' }, today)).toEqual(['2027-01-01'])
    expect(datesClosingSoon({ date: '2027-01-02' }, today)).toEqual([])
    expect(datesClosingSoon({ from: '2026-12-01', to: '2027-01-05' }, today)).toEqual([
      '2026-12-31',
      '2027-01-01',
    ])
    expect(datesClosingSoon({ yearly: '01-01', name: 'New Year' }, today)).toEqual(['2027-01-01'])
    expect(datesClosingSoon({ weekly: 'Thursday' }, today)).toEqual(['2026-12-31'])
    expect(datesClosingSoon({ weekly: 'Saturday' }, today)).toEqual([])
  })

  it('says what it means in the one date format', () => {
    expect(closingSoonWarning(['2026-12-31', '2027-01-01'], '2026-12-31')).toMatch(
      /^This closes the office today \(31 Dec 2026\) and tomorrow \(1 Jan 2027\)\. .*The vendor's API cannot remove a holiday/,
    )
  })
})
