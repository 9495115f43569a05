import { describe, expect, it } from 'vitest'
import type { EventName } from '../../../src/shared/contract'
import { EventReplay } from '../../../src/main/api/eventReplay'

const frame = (event: EventName, n: number) => (id: string) =>
  `id: ${id}\nevent: ${event}\ndata: ${n}\n\n`

function filled(limits = { maxEvents: 100, maxBytes: 1_000_000 }) {
  const r = new EventReplay(limits, 'abc123')
  return r
}

describe('EventReplay', () => {
  it('numbers events within a run and replays exactly those after the last id seen', () => {
    const r = filled()
    expect(r.currentId()).toBe('abc123.0')
    for (let i = 1; i <= 10; i++) r.record('call:stored', frame('call:stored', i))
    const resume = r.resume('abc123.4')
    expect('replay' in resume && resume.replay.map((e) => e.seq)).toEqual([5, 6, 7, 8, 9, 10])
    expect(r.resume('abc123.10')).toEqual({ replay: [] })
  })

  it('keeps only the newest of a snapshot event, at its place among the changes', () => {
    const r = filled()
    r.record('missed:updated', frame('missed:updated', 1))
    r.record('call:stored', frame('call:stored', 2))
    r.record('missed:updated', frame('missed:updated', 3))
    r.record('call:stored', frame('call:stored', 4))
    const resume = r.resume('abc123.0')
    expect('replay' in resume && resume.replay.map((e) => [e.seq, e.event])).toEqual([
      [2, 'call:stored'],
      [3, 'missed:updated'],
      [4, 'call:stored'],
    ])
  })

  it('asks a client behind the window, from another run or with a strange id to reload', () => {
    const r = filled({ maxEvents: 5, maxBytes: 1_000_000 })
    for (let i = 1; i <= 12; i++) r.record('call:stored', frame('call:stored', i))
    expect(r.resume('abc123.7')).toMatchObject({ replay: [{ seq: 8 }, {}, {}, {}, { seq: 12 }] })
    expect(r.resume('abc123.6')).toHaveProperty('reload', expect.stringMatching(/away/))
    expect(r.resume('ffff00.12')).toHaveProperty('reload', expect.stringMatching(/restarted/))
    expect(r.resume('abc123.13')).toHaveProperty('reload')
    expect(r.resume('nonsense')).toHaveProperty('reload')
  })

  it('bounds the window by bytes too', () => {
    const r = filled({ maxEvents: 1000, maxBytes: 200 })
    for (let i = 1; i <= 20; i++) r.record('call:stored', frame('call:stored', i))
    const resume = r.resume(`abc123.${20 - 3}`)
    expect('replay' in resume && resume.replay).toHaveLength(3)
    expect(r.resume('abc123.1')).toHaveProperty('reload')
  })

  it('gives each run its own epoch', () => {
    expect(new EventReplay().epoch).not.toBe(new EventReplay().epoch)
  })
})
