import { describe, expect, it } from 'vitest'
import { webhookUrl } from '../../../src/main/core/health'
import { LocalDays } from '../../../src/main/storage/localDay'

const listener = { state: 'listening' as const, host: '127.0.0.1', port: 8787, error: null }

describe('webhookUrl', () => {
  it('uses the tunnel address when set, with the sample URL path and trailing slash', () => {
    expect(webhookUrl('https://abc.trycloudflare.com/', listener, 'tok')).toBe(
      'https://abc.trycloudflare.com/api/PostCallLogs/tok/',
    )
  })
  it('falls back to the listener address', () => {
    expect(webhookUrl(null, listener, 'tok')).toBe('http://127.0.0.1:8787/api/PostCallLogs/tok/')
    expect(webhookUrl(null, { ...listener, host: '0.0.0.0' }, 't')).toBe(
      'http://127.0.0.1:8787/api/PostCallLogs/t/',
    )
    expect(webhookUrl(null, { ...listener, host: '::1' }, 't')).toBe(
      'http://[::1]:8787/api/PostCallLogs/t/',
    )
  })
})

describe('LocalDays', () => {
  it('decides today in the configured zone, not UTC', () => {
    // 2026-03-01 00:10 in India is still 28 February in UTC.
    const ms = Date.parse('2026-02-28T18:40:00Z')
    expect(new LocalDays('Asia/Kolkata').at(ms).date).toBe('2026-03-01')
    expect(new LocalDays('UTC').at(ms).date).toBe('2026-02-28')
  })

  it('gives the local bounds of the day and rolls over at local midnight', () => {
    const days = new LocalDays('Asia/Kolkata')
    const day = days.at(Date.parse('2026-03-01T12:00:00+05:30'))
    expect(day).toEqual({
      date: '2026-03-01',
      start: Date.parse('2026-03-01T00:00:00+05:30'),
      end: Date.parse('2026-03-02T00:00:00+05:30'),
    })
    expect(days.at(Date.parse('2026-03-01T23:59:59.999+05:30'))).toBe(day)
    expect(days.at(Date.parse('2026-03-02T00:00:00+05:30')).date).toBe('2026-03-02')
    expect(days.at(Date.parse('2026-02-28T23:59:59+05:30')).date).toBe('2026-02-28')
  })

  it('follows a daylight-saving day of 23 hours', () => {
    const day = new LocalDays('Europe/Berlin').at(Date.parse('2026-03-29T12:00:00+02:00'))
    expect(day.end - day.start).toBe(23 * 3_600_000)
  })
})
