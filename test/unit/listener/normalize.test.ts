import { describe, expect, it } from 'vitest'
import { LIMITS, normalizePush } from '../../../src/main/listener/normalize'
import type { ParamPairs } from '../../../src/main/listener/params'
import { samplePush } from '../../support/fixtures'

const IST = { timezone: 'Asia/Kolkata' }

/** The sample-URL scheme, a complete answered call (normalizing reads no clock: any day will do). */
const sample = samplePush('c-1', { date: '2026-11-27' })

function ok(raw: Record<string, string> | ParamPairs, tz = IST) {
  const r = normalizePush(raw, tz)
  if (!r.ok) throw new Error(`expected ok, got: ${r.reason}`)
  return r.fields
}
function bad(raw: Record<string, string> | ParamPairs, tz = IST) {
  const r = normalizePush(raw, tz)
  if (r.ok) throw new Error(`expected rejection, got ${JSON.stringify(r.fields)}`)
  return r
}

describe('normalizePush: naming schemes', () => {
  it('reads the sample-URL names', () => {
    expect(ok(sample)).toEqual({
      id: 'c-1',
      callerNumber: '+919876543210',
      agentNumber: '+919123456780',
      status: 'ANSWER',
      date: '2026-11-27',
      time: '10:15:00',
      startedAt: '2026-11-27T10:15:00+05:30',
      ivrSeconds: 12,
      talkSeconds: 293,
      circle: 'Karnataka',
      virtualNumber: '+918041234567',
      department: 'Sales',
      recordingUrl: 'https://rec.example.com/a.mp3',
      callType: null,
    })
  })

  it('reads the table names, in any key case, and keeps calltype', () => {
    const f = ok({
      Call_UUID: 'u-9',
      CALLER_NUMBER: '+91 98765-43210',
      Date: '2026-01-05',
      TIME: '23:59:59',
      Agent_Connected: 'NA',
      Total_Call_Duration: '7',
      Conversation_Duration: '0',
      Call_Status: 'missed',
      Caller_Circle: 'Delhi',
      KNumber: '918041234567',
      Recording_URL: 'null',
      Department: 'Support',
      CallType: 'inbound',
    })
    expect(f).toMatchObject({
      id: 'u-9',
      callerNumber: '+919876543210',
      agentNumber: null,
      status: 'MISSED',
      ivrSeconds: 7,
      talkSeconds: 0,
      circle: 'Delhi',
      virtualNumber: '+918041234567',
      recordingUrl: null,
      department: 'Support',
      callType: 'inbound',
    })
  })

  it('accepts a list of pairs the same as a record and ignores unknown keys', () => {
    const pairs = Object.entries(sample).concat([['whatever', 'x']])
    expect(ok(pairs)).toEqual(ok(sample))
  })
})

describe('normalizePush: empty values', () => {
  for (const empty of ['', 'NA', 'na', 'null', 'NULL', 'None', 'none', '  '])
    it(`treats ${JSON.stringify(empty)} as absent for optional fields`, () => {
      const f = ok({
        ...sample,
        callstatus: 'DROPPED',
        agentnumber: empty,
        recordingurl: empty,
        department: empty,
        ivrduration: empty,
        state: empty,
        ibizfonenumber: empty,
      })
      expect(f).toMatchObject({
        agentNumber: null,
        recordingUrl: null,
        department: null,
        ivrSeconds: null,
        circle: null,
        virtualNumber: null,
      })
    })

  it('a missed call without agent, recording or durations is valid', () => {
    const { agentnumber: _a, recordingurl: _r, callduration: _c, ivrduration: _i, ...rest } = sample
    expect(ok({ ...rest, callstatus: 'MISSED' })).toMatchObject({
      status: 'MISSED',
      agentNumber: null,
      recordingUrl: null,
      talkSeconds: null,
    })
  })

  for (const field of ['calllogid', 'callernumber', 'date', 'time', 'callstatus'] as const)
    it(`rejects a push without ${field} (also when it is NA)`, () => {
      const { [field]: _drop, ...rest } = sample
      const r = bad(rest)
      expect(r.reason).toMatch(/^Missing /)
      expect(r.fields).toHaveLength(1)
      expect(bad({ ...sample, [field]: 'NA' }).fields).toEqual(r.fields)
    })
})

describe('normalizePush: phone numbers', () => {
  const variants = [
    '9876543210',
    '09876543210',
    '919876543210',
    '+919876543210',
    '+91 98765 43210',
    '98765-43210',
    ' +91-98765-43210 ',
  ]
  for (const v of variants)
    it(`${JSON.stringify(v)} → +919876543210`, () => {
      expect(ok({ ...sample, callernumber: v, agentnumber: v }).callerNumber).toBe('+919876543210')
      expect(ok({ ...sample, agentnumber: v }).agentNumber).toBe('+919876543210')
    })

  it('drops a status word in front of the agent number', () => {
    expect(ok({ ...sample, agentnumber: 'BUSY +919123456780' }).agentNumber).toBe('+919123456780')
    expect(ok({ ...sample, agentnumber: 'Connected 9123456780' }).agentNumber).toBe('+919123456780')
  })

  it('reads an agent field holding only a status word as no agent', () => {
    expect(ok({ ...sample, agentnumber: 'NOT CONNECTED' }).agentNumber).toBeNull()
  })

  it('keeps foreign numbers as digits, with + only when sent', () => {
    expect(ok({ ...sample, callernumber: '+1 415 555 0100' }).callerNumber).toBe('+14155550100')
    expect(ok({ ...sample, callernumber: '4155550100123' }).callerNumber).toBe('4155550100123')
  })

  it('rejects a caller that is not a number', () => {
    const r = bad({ ...sample, callernumber: 'anonymous' })
    expect(r.fields).toEqual(['callerNumber'])
    expect(r.reason).toContain('Caller number')
  })
})

describe('normalizePush: durations', () => {
  const cases: [string, number][] = [
    ['0', 0],
    ['293', 293],
    ['39.6', 39],
    ['04:53', 293],
    ['90:00', 5400],
    ['00:00:39', 39],
    ['1:02:03', 3723],
    ['00:00:39.1234567', 39],
    ['24:00:00', 86400],
  ]
  for (const [v, s] of cases)
    it(`${v} → ${s} s`, () => {
      expect(ok({ ...sample, callduration: v }).talkSeconds).toBe(s)
      expect(ok({ ...sample, ivrduration: v }).ivrSeconds).toBe(s)
    })

  for (const v of [
    '-5',
    '-00:00:05',
    'XX',
    '1:2:3:4',
    '00:61:00',
    '00:00:60',
    '86401',
    '25:00:00',
    '1e3',
  ])
    it(`rejects ${v}`, () => {
      const r = bad({ ...sample, callduration: v })
      expect(r.fields).toEqual(['talkSeconds'])
      expect(r.reason).toContain('Call duration')
    })
})

describe('normalizePush: date and time', () => {
  it('places the local time in the configured zone', () => {
    expect(ok(sample).startedAt).toBe('2026-11-27T10:15:00+05:30')
    const utc = ok(sample, { timezone: 'UTC' })
    expect(utc.startedAt).toBe('2026-11-27T10:15:00Z')
    expect(utc.date).toBe('2026-11-27')
    expect(utc.time).toBe('10:15:00')
    // Late evening in IST is still the same local date, though UTC has not reached it yet.
    expect(ok({ ...sample, date: '2026-11-28', time: '00:30:00' }).startedAt).toBe(
      '2026-11-28T00:30:00+05:30',
    )
  })

  it('pads short forms and accepts date and time in one field', () => {
    expect(ok({ ...sample, date: '2026-1-5', time: '9:05:07' })).toMatchObject({
      date: '2026-01-05',
      time: '09:05:07',
    })
    const { time: _t, ...rest } = sample
    expect(ok({ ...rest, date: '2026-11-27 10:15:00' })).toMatchObject({
      date: '2026-11-27',
      time: '10:15:00',
    })
  })

  for (const date of [
    '2026-02-30',
    '2026-13-01',
    '2025-02-29',
    '27-11-2026',
    '2026/11/27',
    'today',
  ])
    it(`rejects date ${date}`, () => {
      expect(bad({ ...sample, date }).fields).toEqual(['date'])
    })
  it('accepts a leap day', () => {
    expect(ok({ ...sample, date: '2028-02-29' }).date).toBe('2028-02-29')
  })
  for (const time of ['25:61:00', '24:00:00', '10:60:00', '10:15:60', '10h15', '-1:00:00'])
    it(`rejects time ${time}`, () => {
      expect(bad({ ...sample, time }).fields).toEqual(['time'])
    })

  it('resolves a time skipped by DST forward by the gap, and a repeated one to its first occurrence', () => {
    const ny = { timezone: 'America/New_York' }
    const gap = ok({ ...sample, date: '2026-03-08', time: '02:30:00' }, ny)
    expect(gap.startedAt).toBe('2026-03-08T03:30:00-04:00')
    expect(gap.time).toBe('02:30:00')
    expect(ok({ ...sample, date: '2026-11-01', time: '01:30:00' }, ny).startedAt).toBe(
      '2026-11-01T01:30:00-04:00',
    )
  })
})

describe('normalizePush: status and recording', () => {
  for (const [v, s] of <[string, string][]>[
    ['answer', 'ANSWER'],
    ['Answered', 'ANSWER'],
    ['MISSED', 'MISSED'],
    [' dropped ', 'DROPPED'],
  ])
    it(`${v} → ${s}`, () => expect(ok({ ...sample, callstatus: v }).status).toBe(s))

  it('rejects an unknown status', () => {
    const r = bad({ ...sample, callstatus: 'BUSY' })
    expect(r.fields).toEqual(['status'])
    expect(r.reason).toMatch(/Call status.*BUSY/)
  })

  it('keeps only http(s) links, decoding an encoded one once', () => {
    const enc = 'https%3A%2F%2Frec.example.com%2Fa%2520b.mp3%3Fx%3D1'
    expect(ok({ ...sample, recordingurl: enc }).recordingUrl).toBe(
      'https://rec.example.com/a%20b.mp3?x=1',
    )
    expect(ok({ ...sample, recordingurl: 'http://r.example/x.wav' }).recordingUrl).toBe(
      'http://r.example/x.wav',
    )
    for (const v of ['ftp://r.example/x', 'javascript:alert(1)', 'not a url', 'file:///etc/passwd'])
      expect(ok({ ...sample, recordingurl: v }).recordingUrl).toBeNull()
  })
})

describe('normalizePush: limits and duplicates', () => {
  it('rejects an over-long value, naming the field', () => {
    const r = bad({ ...sample, department: 'x'.repeat(LIMITS.maxValueLength + 1) })
    expect(r.fields).toEqual(['department'])
    expect(r.reason).toContain('longer than 256')
    expect(
      ok({ ...sample, department: 'x'.repeat(LIMITS.maxValueLength) }).department,
    ).toHaveLength(256)
  })
  it('allows long recording links up to their own cap', () => {
    const url = 'https://r.example/' + 'a'.repeat(1500)
    expect(ok({ ...sample, recordingurl: url }).recordingUrl).toBe(url)
    expect(bad({ ...sample, recordingurl: url + 'a'.repeat(600) }).fields).toEqual(['recordingUrl'])
  })
  it('rejects an over-long unknown parameter and too many parameters', () => {
    expect(bad({ ...sample, extra: 'y'.repeat(300) }).fields).toEqual(['extra'])
    const many = Object.entries(sample).concat(
      Array.from({ length: 60 }, (_, i) => [`p${i}`, '1'] as [string, string]),
    )
    expect(bad(many).reason).toContain('more than 64')
  })
  it('rejects conflicting duplicates across schemes and repeated keys', () => {
    const r = bad({ ...sample, call_status: 'MISSED' })
    expect(r.fields).toEqual(['status'])
    expect(r.reason).toContain('more than once with different values')
    const pairs = [...Object.entries(sample), ['calllogid', 'c-2']] as ParamPairs
    expect(bad(pairs).fields).toEqual(['id'])
    expect(bad({ ...sample, CallerNumber: '9000000000' }).fields).toEqual(['callerNumber'])
  })
  it('accepts identical repeats, also when they only differ in spelling', () => {
    const pairs = [...Object.entries(sample), ['calllogid', 'c-1']] as ParamPairs
    expect(ok(pairs).id).toBe('c-1')
    expect(ok({ ...sample, call_status: 'answer', caller_number: '+91 98765 43210' }).status).toBe(
      'ANSWER',
    )
    // An empty duplicate does not conflict with a value.
    expect(ok({ ...sample, agent_connected: 'NA' }).agentNumber).toBe('+919123456780')
  })
  it('rejects control characters in the call id', () => {
    expect(bad({ ...sample, calllogid: 'a\u0000b' }).fields).toEqual(['id'])
  })
})
