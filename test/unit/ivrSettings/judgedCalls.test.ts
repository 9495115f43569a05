import { describe, expect, it } from 'vitest'
import { judgeStoredCalls } from '../../../src/main/ivrSettings/judgedCalls'
import type { Call } from '../../../src/shared/domain'

const call = (id: string, startedAt: string): Call =>
  ({
    id,
    status: 'MISSED',
    startedAt,
    raw: { note: 'a "quoted"\nline' },
    history: [],
  }) as unknown as Call

describe('judgeStoredCalls', () => {
  it('judges each call by the schedule asked at the time, its text the store text with the flag in', () => {
    let closed: boolean | null = true
    const asked: number[] = []
    const judge = judgeStoredCalls(() => (ms) => (asked.push(ms), closed))
    const c1 = call('c1', '2026-11-27T10:15:00+05:30')
    const out = judge({ call: c1, outcome: 'created', json: JSON.stringify(c1) })
    expect(out.payload).toEqual({ call: { ...c1, outsideOfficeHours: true }, outcome: 'created' })
    expect(out.json).toBe(JSON.stringify(out.payload))
    expect(asked).toEqual([Date.parse(c1.startedAt)])
    // Nothing set then (null) is open; no text from the store, none made up.
    closed = null
    const c2 = call('c2', '2026-11-27T11:15:00+05:30')
    const plain = judge({ call: c2, outcome: 'updated' })
    expect(plain.payload).toEqual({
      call: { ...c2, outsideOfficeHours: false },
      outcome: 'updated',
    })
    expect(plain.json).toBeUndefined()
  })

  it('gives every subscriber of one emit the same payload, judged once', () => {
    let asked = 0
    const judge = judgeStoredCalls(() => () => (asked++, false))
    const c = call('c1', '2026-11-27T10:15:00+05:30')
    const emitted = { call: c, outcome: 'created' as const, json: JSON.stringify(c) }
    const first = judge(emitted)
    expect(judge(emitted)).toBe(first)
    expect(asked).toBe(1)
    // The next emit is judged anew, even for the same call.
    expect(judge({ ...emitted })).not.toBe(first)
    expect(asked).toBe(2)
  })
})
