import { describe, expect, it } from 'vitest'
import { QUIET_WARNING_MS, quietLine } from '../../../src/renderer/src/screens/connection/quietLine'

const NOW = Date.parse('2026-01-26T06:00:00Z')
const longAgo = new Date(NOW - QUIET_WARNING_MS - 60_000).toISOString()
const justNow = new Date(NOW - 60_000).toISOString()
const hear = 'What callers hear'
const openUntil6 = { open: true, text: 'Open now, closes at 6:00 PM', nextChangeAt: 'x', hear }
const holiday = { open: false, text: 'Closed (holiday: Republic Day)', nextChangeAt: 'y', hear }
const noHours = { open: true, text: 'Open (no office hours set)', nextChangeAt: null, hear }

describe('the quiet-line warning on the Connection screen', () => {
  it('warns of a quiet line during office hours, not of a recent push', () => {
    expect(quietLine(longAgo, NOW, openUntil6)).toEqual({ warn: true, duringOfficeHours: true })
    expect(quietLine(justNow, NOW, openUntil6).warn).toBe(false)
    expect(quietLine(null, NOW, openUntil6).warn).toBe(true)
  })

  it('stays quiet while main says the office is closed, a holiday included', () => {
    expect(quietLine(longAgo, NOW, holiday)).toEqual({ warn: false, duringOfficeHours: false })
  })

  it('warns without "during office hours" when no hours are set or main has not said yet', () => {
    expect(quietLine(longAgo, NOW, noHours)).toEqual({ warn: true, duringOfficeHours: false })
    expect(quietLine(longAgo, NOW, null)).toEqual({ warn: true, duringOfficeHours: false })
  })
})
