import { describe, expect, it } from 'vitest'
import { formatSseEvent } from '../../../src/main/api/sse'
import { knownJson, withKnownField } from '../../../src/main/events/bus'
import type { Call } from '../../../src/shared/domain'

const call = {
  id: 'c1',
  callerNumber: '+919876543210',
  status: 'MISSED',
  startedAt: '2026-11-27T10:15:00+05:30',
  raw: { calllogid: 'c1', note: 'line\nbreak "quoted" \u2028' },
  history: [],
} as unknown as Call

describe('formatSseEvent', () => {
  it('writes one event line and one data line of JSON', () => {
    const text = formatSseEvent('call:stored', { call, outcome: 'created' })
    expect(text).toBe(
      `event: call:stored\ndata: ${JSON.stringify({ call, outcome: 'created' })}\n\n`,
    )
    expect(text.split('\n')).toHaveLength(4)
  })

  it("uses the store's JSON of a call when it has one, to the byte", () => {
    const plain = formatSseEvent('call:stored', { call, outcome: 'created' })
    knownJson.set(call, JSON.stringify(call))
    try {
      expect(formatSseEvent('call:stored', { call, outcome: 'created' })).toBe(plain)
      // It is what goes out: a stale text would show.
      knownJson.set(call, '{"id":"from-the-store"}')
      expect(formatSseEvent('call:stored', { call, outcome: 'updated' })).toBe(
        'event: call:stored\ndata: {"call":{"id":"from-the-store"},"outcome":"updated"}\n\n',
      )
    } finally {
      knownJson.delete(call)
    }
  })

  it('passes the known JSON on to a copy with one field more, spliced in where stringify puts it', () => {
    knownJson.set(call, JSON.stringify(call))
    try {
      for (const value of [true, false]) {
        const judged = withKnownField(call, 'outsideOfficeHours', value)
        expect(judged).toEqual({ ...call, outsideOfficeHours: value })
        expect(knownJson.get(judged)).toBe(JSON.stringify(judged))
        expect(formatSseEvent('call:stored', { call: judged, outcome: 'created' })).toBe(
          `event: call:stored\ndata: ${JSON.stringify({ call: judged, outcome: 'created' })}\n\n`,
        )
      }
      // A field the object already has is replaced in place: no text, the stream stringifies.
      const twice = withKnownField(
        withKnownField(call, 'outsideOfficeHours', true),
        'outsideOfficeHours',
        false,
      )
      expect(knownJson.has(twice)).toBe(false)
      expect(formatSseEvent('call:stored', { call: twice, outcome: 'created' })).toBe(
        `event: call:stored\ndata: ${JSON.stringify({ call: twice, outcome: 'created' })}\n\n`,
      )
    } finally {
      knownJson.delete(call)
    }
    // Nothing known, nothing made up; an empty object takes no comma.
    expect(knownJson.has(withKnownField(call, 'x', 1))).toBe(false)
    const empty = {}
    knownJson.set(empty, '{}')
    expect(knownJson.get(withKnownField(empty, 'x', 'y'))).toBe('{"x":"y"}')
  })
})
