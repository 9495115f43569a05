import { describe, expect, it } from 'vitest'
import { formatSseEvent } from '../../../src/main/api/sse'
import { withFieldFirst } from '../../../src/main/ground/jsonText'
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

  it("uses the payload's JSON text when main has it, to the byte", () => {
    const plain = formatSseEvent('call:stored', { call, outcome: 'created' })
    const text = JSON.stringify({ call, outcome: 'created' })
    expect(formatSseEvent('call:stored', { call, outcome: 'created' }, undefined, text)).toBe(plain)
    // It is what goes out: a stale text would show.
    expect(
      formatSseEvent(
        'call:stored',
        { call, outcome: 'updated' },
        '7.1',
        '{"call":{"id":"from-the-store"},"outcome":"updated"}',
      ),
    ).toBe(
      'id: 7.1\nevent: call:stored\ndata: {"call":{"id":"from-the-store"},"outcome":"updated"}\n\n',
    )
  })

  it('makes the text of a copy with one field more from the known text, where stringify puts it', () => {
    const known = JSON.stringify(call)
    for (const value of [true, false]) {
      const judged = withFieldFirst(call, known, 'outsideOfficeHours', value)
      expect(judged.value).toEqual({ ...call, outsideOfficeHours: value })
      expect(judged.json).toBe(JSON.stringify(judged.value))
    }
    // A field the object already has is replaced in place: no text, the stream stringifies.
    const once = withFieldFirst(call, known, 'outsideOfficeHours', true as boolean)
    const twice = withFieldFirst(once.value, once.json, 'outsideOfficeHours', false as boolean)
    expect(twice.value).toEqual({ ...call, outsideOfficeHours: false })
    expect(twice.json).toBeUndefined()
    // Nothing known, nothing made up; an empty object takes no comma.
    expect(withFieldFirst(call, undefined, 'x', 1).json).toBeUndefined()
    expect(withFieldFirst({}, '{}', 'x', 'y').json).toBe('{"x":"y"}')
  })
})
