import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { DateTime } from 'luxon'
import { localInstant } from '../../../src/main/listener/fields'

const ZONES = [
  'Asia/Kolkata',
  'UTC',
  'America/New_York',
  'Europe/London',
  'Europe/Berlin',
  'America/Sao_Paulo',
  'Australia/Lord_Howe',
  'Asia/Kathmandu',
  'Pacific/Chatham',
  'America/St_Johns',
  'Pacific/Apia',
]

describe('localInstant agrees with luxon', () => {
  it('places every real wall-clock time at its instant (first occurrence when repeated)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.integer({ min: Date.UTC(2000, 0, 2), max: Date.UTC(2099, 11, 30) }),
        (zone, raw) => {
          const ms = raw - (raw % 1000)
          const dt = DateTime.fromMillis(ms, { zone })
          const out = localInstant(dt.toFormat('yyyy-MM-dd'), dt.toFormat('HH:mm:ss'), zone)
          if (!out.ok) throw new Error(out.reason)
          const got = DateTime.fromISO(out.value, { setZone: true })
          // Same wall clock, same offset string luxon would print for that instant...
          expect(got.toFormat('yyyy-MM-dd HH:mm:ss')).toBe(dt.toFormat('yyyy-MM-dd HH:mm:ss'))
          const atGot = DateTime.fromMillis(got.toMillis(), { zone })
          expect(out.value).toBe(atGot.toISO({ suppressMilliseconds: true }))
          // ...and the instant itself, or an hour-or-so earlier one when the wall time repeats.
          expect(got.toMillis()).toBeLessThanOrEqual(ms)
          if (got.toMillis() !== ms) expect(ms - got.toMillis()).toBeLessThanOrEqual(2 * 3600_000)
        },
      ),
      { numRuns: 3000 },
    )
  })

  it('matches luxon around DST transitions, minute by minute', () => {
    const zone = 'America/New_York'
    // 2026-03-08 02:00 → 03:00 (gap), 2026-11-01 02:00 → 01:00 (repeat).
    for (const day of ['2026-03-08', '2026-11-01']) {
      for (let m = 0; m < 4 * 60; m += 7) {
        const time = `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00`
        const out = localInstant(day, time, zone)
        if (!out.ok) throw new Error(out.reason)
        const lux = DateTime.fromISO(`${day}T${time}`, { zone })
        const luxFirst = DateTime.fromMillis(lux.toMillis() - 3600_000, { zone })
        // luxon picks the later occurrence of a repeated time; we pick the earlier one.
        const expected = luxFirst.toFormat('HH:mm:ss') === time ? luxFirst : lux
        expect(out.value, `${day} ${time}`).toBe(expected.toISO({ suppressMilliseconds: true }))
      }
    }
  })

  it('refuses an unknown zone', () => {
    expect(localInstant('2026-11-27', '10:00:00', 'Mars/Olympus').ok).toBe(false)
  })
})
