import { describe, expect, it, vi } from 'vitest'
import { HealthPublisher, webhookUrl } from '../../../src/main/core/health'
import { EventBus } from '../../../src/main/events/bus'
import { silentLogger } from '../../../src/main/ground/logger'
import type { Health } from '../../../src/shared/domain'
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

describe('HealthPublisher', () => {
  const make = () => {
    const bus = new EventBus()
    const published: number[] = []
    let built = 0
    const state = { listener: { ...listener }, lastPushAt: null as string | null }
    bus.on('health:changed', (h) => published.push((h as unknown as { n: number }).n))
    const publisher = new HealthPublisher({
      bus,
      logger: silentLogger,
      health: async () => ({ n: ++built }) as unknown as Health,
      listener: () => state.listener,
      store: { lastPushAt: () => state.lastPushAt },
      days: new LocalDays('Asia/Kolkata'),
      clock: { now: () => Date.parse('2026-03-01T06:00:00Z') },
    })
    return { bus, publisher, published, state, built: () => built }
  }

  it('sends what a user acts on at once, and folds what only moves counts', async () => {
    const { publisher, published, state, built } = make()
    publisher.publish()
    await vi.waitFor(() => expect(published).toEqual([1]))
    // Counts only (the state is the same): held for the end of the interval, not one per push.
    publisher.publish()
    publisher.publish()
    expect(built()).toBe(1)
    // The first push (lastPushAt no longer null) is a change of state: at once.
    state.lastPushAt = '2026-03-01T06:00:00.000Z'
    publisher.publish()
    await vi.waitFor(() => expect(published).toEqual([1, 2]))
    // A change the caller announces (a storage problem, a backup) goes at once, too.
    publisher.announce()
    await vi.waitFor(() => expect(published).toEqual([1, 2, 3]))
    publisher.stop()
  })

  it('follows stored calls and the settings once started', async () => {
    const { bus, publisher, published, state } = make()
    publisher.start()
    await vi.waitFor(() => expect(published).toEqual([1]))
    state.listener = { ...listener, state: 'failed' as never }
    bus.emit('settings:updated', {} as never)
    await vi.waitFor(() => expect(published).toEqual([1, 2]))
    state.lastPushAt = '2026-03-01T06:00:00.000Z'
    bus.emit('call:stored', { call: {} as never, outcome: 'created' })
    await vi.waitFor(() => expect(published).toEqual([1, 2, 3]))
    publisher.stop()
  })
})
