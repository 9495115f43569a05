import { describe, expect, it } from 'vitest'
import { AWKWARD_KINDS, type AwkwardKind } from '../../../src/main/simulator/awkward'
import { CallGenerator, type Timers } from '../../../src/main/simulator/generator'
import { SIMULATED_AGENTS } from '../../../src/main/simulator/roster'
import { normalizePhone } from '../../../src/shared/phone'
import { fakeSetup, seeded, TARGET } from './helpers'

const SAMPLE_ORDER = [
  'callernumber',
  'date',
  'time',
  'agentnumber',
  'ivrduration',
  'callduration',
  'callstatus',
  'state',
  'ibizfonenumber',
  'recordingurl',
  'calllogid',
  'department',
]

describe('call generator decisions', () => {
  it('routes to an AVAIL agent of the department: ANSWER in the sample format', async () => {
    const { gen, received } = fakeSetup()
    const r = await gen.pushOne({ department: 'Support', hangUp: false, awkward: null })
    expect(r.outcome).toBe('accepted')
    const q = received[0]!
    expect([...q.keys()]).toEqual(SAMPLE_ORDER)
    expect(q.get('callstatus')).toBe('ANSWER')
    expect(q.get('date')).toBe('2026-03-10')
    expect(q.get('time')).toBe('11:00:00')
    expect(q.get('department')).toBe('Support')
    const agent = SIMULATED_AGENTS.find((a) => a.number === q.get('agentnumber'))
    expect(agent?.department).toBe('Support')
    expect(q.get('callernumber')).toMatch(/^[6-9]\d{9}$/)
    expect(Number(q.get('ivrduration'))).toBeGreaterThanOrEqual(5)
    expect(Number(q.get('ivrduration'))).toBeLessThanOrEqual(90)
    expect(Number(q.get('callduration'))).toBeGreaterThanOrEqual(20)
    expect(Number(q.get('callduration'))).toBeLessThanOrEqual(900)
    expect(q.get('recordingurl')).toBe(`http://127.0.0.1:9/recordings/${q.get('calllogid')}.wav`)
    expect(q.get('calllogid')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    )
    expect(r.push.url.startsWith(TARGET + '?')).toBe(true)
  })

  it('never routes a call to an agent switched OFF', () => {
    const { gen, state } = fakeSetup({ random: seeded(7) })
    state.setAgentStatus('9876543210', 'OFF')
    state.setAgentStatus('9823456781', 'OFF')
    const agents = new Set<string>()
    for (let i = 0; i < 300; i++) {
      const c = gen.makeCall({ department: 'Sales', hangUp: false })
      expect(c.status).toBe('ANSWER')
      agents.add(c.agentNumber!)
    }
    expect([...agents]).toEqual(['8971234560'])
  })

  it('is MISSED with no agent when the department has no AVAIL agent', () => {
    const { gen, state } = fakeSetup()
    state.setAgentStatus('6361829470', 'OFF')
    state.setAgentStatus('8130927456', 'OFF')
    for (let i = 0; i < 50; i++) {
      const c = gen.makeCall({ department: 'Billing' })
      expect(c).toMatchObject({ status: 'MISSED', reason: 'no-agent', agentNumber: null })
      expect(c.talkSeconds).toBe(0)
      expect(c.recordingUrl).toBeNull()
    }
    expect(gen.makeCall({ department: 'Sales', hangUp: false }).status).toBe('ANSWER')
  })

  it('is MISSED on a holiday of the configured zone', () => {
    const { gen, state } = fakeSetup()
    state.addHoliday('2026-03-11')
    // 20:00 UTC on the 10th is already the 11th in India.
    const c = gen.makeCall({ at: Date.parse('2026-03-10T20:00:00Z'), hangUp: false })
    expect(c).toMatchObject({
      status: 'MISSED',
      reason: 'holiday',
      date: '2026-03-11',
      time: '01:30:00',
    })
    const before = gen.makeCall({ at: Date.parse('2026-03-10T18:00:00Z'), hangUp: false })
    expect(before.status).toBe('ANSWER')
  })

  it('is MISSED outside office hours, judged in the configured zone', () => {
    const { gen, state } = fakeSetup()
    state.setOfficeTime('Tuesday', '09:00 AM', '06:00 PM')
    // 04:00 UTC = 09:30 IST: open (a UTC reading would say closed).
    expect(gen.makeCall({ at: Date.parse('2026-03-10T04:00:00Z'), hangUp: false }).status).toBe(
      'ANSWER',
    )
    const late = gen.makeCall({ at: Date.parse('2026-03-10T18:00:00+05:30'), hangUp: false })
    expect(late).toMatchObject({ status: 'MISSED', reason: 'closed', agentNumber: null })
    const early = gen.makeCall({ at: Date.parse('2026-03-10T08:59:59+05:30'), hangUp: false })
    expect(early.reason).toBe('closed')
    // Wednesday has no restriction.
    expect(
      gen.makeCall({ at: Date.parse('2026-03-11T23:00:00+05:30'), hangUp: false }).status,
    ).toBe('ANSWER')
  })

  it('is DROPPED when the caller hangs up in the IVR, at about the configured share', () => {
    const { gen } = fakeSetup({ droppedShare: 0.2, random: seeded(3) })
    const forced = gen.makeCall({ hangUp: true })
    expect(forced).toMatchObject({ status: 'DROPPED', agentNumber: null, talkSeconds: 0 })
    let dropped = 0
    for (let i = 0; i < 2000; i++) if (gen.makeCall().status === 'DROPPED') dropped++
    expect(dropped / 2000).toBeGreaterThan(0.15)
    expect(dropped / 2000).toBeLessThan(0.25)
  })

  it('repeats callers, so the missed queue has numbers to group', () => {
    const { gen } = fakeSetup({ random: seeded(11) })
    const numbers = Array.from({ length: 200 }, () => gen.makeCall().callerNumber)
    const distinct = new Set(numbers).size
    expect(distinct).toBeLessThan(180)
    expect(distinct).toBeGreaterThan(60)
    expect(numbers.every((n) => /^[6-9]\d{9}$/.test(n))).toBe(true)
  })
})

describe('awkward inputs', () => {
  const nonAnswer = new Set<AwkwardKind>(['agent-na', 'agent-null', 'agent-missing'])

  it.each(AWKWARD_KINDS.filter((k) => k !== 'duplicate'))('%s is well formed', async (kind) => {
    const { gen, received } = fakeSetup()
    const r = await gen.pushOne({ awkward: kind, hangUp: nonAnswer.has(kind), department: 'Sales' })
    expect(r.push.awkward).toBe(kind)
    const q = received[0]!
    const call = r.push.call
    const get = (a: string, b: string): string | null => q.get(a) ?? q.get(b)
    // Whatever the shape, the call stays recoverable: id, caller, status.
    expect(get('calllogid', 'call_uuid')).toBe(call.id)
    expect(normalizePhone(get('callernumber', 'caller_number')!)).toBe(`+91${call.callerNumber}`)
    expect(get('callstatus', 'call_status')!.toUpperCase()).toBe(call.status)
    switch (kind) {
      case 'agent-na':
        expect(q.get('agentnumber')).toBe('NA')
        break
      case 'agent-null':
        expect(q.get('agentnumber')).toBe('null')
        expect(q.get('recordingurl')).toBe('null')
        break
      case 'agent-missing':
        expect(q.has('agentnumber')).toBe(false)
        break
      case 'other-naming':
        expect([...q.keys()].sort()).toEqual(
          [
            'call_uuid',
            'caller_number',
            'date',
            'time',
            'agent_connected',
            'total_call_duration',
            'conversation_duration',
            'call_status',
            'caller_circle',
            'knumber',
            'recording_url',
            'department',
          ].sort(),
        )
        break
      case 'hms-durations':
        expect(q.get('ivrduration')).toMatch(/^\d{2}:\d{2}:\d{2}$/)
        expect(q.get('callduration')).toMatch(/^\d{2}:\d{2}:\d{2}$/)
        expect(
          q
            .get('ivrduration')!
            .split(':')
            .map(Number)
            .reduce((a, b) => a * 60 + b),
        ).toBe(call.ivrSeconds)
        break
      case 'number-prefix':
        expect(q.get('callernumber')).not.toBe(call.callerNumber)
        expect(q.get('callernumber')).toMatch(/^(0|91|\+91 ?)/)
        break
      case 'lowercase-status':
        expect(q.get('callstatus')).toBe(call.status.toLowerCase())
        break
      case 'status-word-agent':
        expect(q.get('agentnumber')).toBe(`ANSWER +91${call.agentNumber}`)
        expect(normalizePhone(q.get('agentnumber')!)).toBe(`+91${call.agentNumber}`)
        break
      case 'calltype':
        expect(q.get('calltype')).toBe('Inbound')
        expect(q.get('calllogid')).toBe(call.id)
        break
    }
  })

  it('refuses to force a shape that does not fit the call', async () => {
    const { gen } = fakeSetup()
    await expect(
      gen.pushOne({ awkward: 'agent-na', hangUp: false, department: 'Sales' }),
    ).rejects.toThrow(/does not apply/)
    await expect(gen.pushOne({ awkward: 'duplicate' })).rejects.toThrow(/nothing was pushed/)
  })

  it('a duplicate resends the very same push', async () => {
    const { gen, received } = fakeSetup()
    await gen.pushOne({ awkward: null })
    const dup = await gen.pushOne({ awkward: 'duplicate' })
    expect(dup.push.awkward).toBe('duplicate')
    expect(received[1]!.toString()).toBe(received[0]!.toString())
    expect(gen.stats()).toMatchObject({ sent: 2, accepted: 2, duplicates: 1 })
  })

  it('sends awkward shapes at about the configured share', async () => {
    const { gen, received } = fakeSetup({ awkwardShare: 0.3, random: seeded(5) })
    for (let i = 0; i < 300; i++) await gen.pushOne()
    const s = gen.stats()
    expect(received).toHaveLength(300)
    expect(s.awkward / 300).toBeGreaterThan(0.2)
    expect(s.awkward / 300).toBeLessThan(0.4)
    expect(s.duplicates).toBeGreaterThan(0)
  })
})

describe('pushing', () => {
  it('counts a refusal and a dead listener without throwing', async () => {
    const refused = fakeSetup({ answer: { status: 400, body: 'Invalid Data / Failure' } })
    const r = await refused.gen.pushOne()
    expect(r).toMatchObject({
      outcome: 'refused',
      httpStatus: 400,
      detail: 'Invalid Data / Failure',
    })
    expect(refused.gen.stats()).toMatchObject({ sent: 1, refused: 1, accepted: 0, failed: 0 })

    const warnings: string[] = []
    const dead = new CallGenerator({
      target: 'http://127.0.0.1:1/ivr/secret-token-abcdefghijkl/calls',
      simulator: { model: refused.state, recordingUrl: (id) => id },
      timezone: 'Asia/Kolkata',
      callsPerMinute: 0,
      logger: {
        debug: () => {},
        info: () => {},
        warn: (m, c) => warnings.push(m + JSON.stringify(c)),
        error: () => {},
      },
    })
    const f = await dead.pushOne()
    expect(f.outcome).toBe('failed')
    expect(f.httpStatus).toBeNull()
    expect(dead.stats()).toMatchObject({ sent: 1, failed: 1 })
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).not.toContain('secret-token')
    await dead.stop()
  })

  it('pushes on its schedule and stops cleanly (injected timers)', async () => {
    const pending: { fn: () => void; ms: number }[] = []
    const timers: Timers = {
      setTimeout: (fn, ms) => {
        const t = { fn, ms }
        pending.push(t)
        return t
      },
      clearTimeout: (h) => {
        const i = pending.indexOf(h as { fn: () => void; ms: number })
        if (i >= 0) pending.splice(i, 1)
      },
    }
    const { gen, received } = fakeSetup({ callsPerMinute: 30, timers })
    gen.start()
    expect(pending).toHaveLength(1)
    expect(pending[0]!.ms).toBe(1000)
    for (let i = 0; i < 5; i++) {
      const next = pending.shift()!
      next.fn()
      // Gaps are random around the 2 s mean, but bounded.
      expect(pending[0]!.ms).toBeGreaterThanOrEqual(200)
      expect(pending[0]!.ms).toBeLessThanOrEqual(8000)
    }
    await gen.stop()
    expect(pending).toHaveLength(0)
    expect(received).toHaveLength(5)
    expect(gen.stats().sent).toBe(5)
  })

  it('sends nothing on its own at rate 0', async () => {
    const pending: unknown[] = []
    const { gen } = fakeSetup({
      callsPerMinute: 0,
      timers: { setTimeout: (fn) => pending.push(fn), clearTimeout: () => {} },
    })
    gen.start()
    expect(pending).toHaveLength(0)
    await gen.stop()
  })
})
