import { describe, expect, it } from 'vitest'
import { webhookUrl } from '../../../src/main/core/health'
import { localToday } from '../../../src/shared/localTime'

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

describe('localToday', () => {
  it('decides today in the configured zone, not UTC', () => {
    // 2026-03-01 00:10 in India is still 28 February in UTC.
    const ms = Date.parse('2026-02-28T18:40:00Z')
    expect(localToday(ms, 'Asia/Kolkata')).toBe('2026-03-01')
    expect(localToday(ms, 'UTC')).toBe('2026-02-28')
  })
})
