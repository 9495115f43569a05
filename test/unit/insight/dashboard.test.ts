import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { computeDashboard, type Availability } from '../../../src/main/insight/dashboard'
import { FileCallStore } from '../../../src/main/storage/folder/fileCallStore'
import type { CallStore } from '../../../src/main/storage/types'
import { fakeClock, fields, logger, raw, tempDir, ZONE } from '../storage/fixtures'

let dir: string
let cleanup: () => Promise<void>
let store: FileCallStore
const NOW = Date.parse('2026-03-15T18:00:00+05:30')

beforeEach(async () => {
  ;({ dir, cleanup } = await tempDir())
  store = await FileCallStore.open({
    dir,
    timezone: ZONE,
    clock: fakeClock(),
    logger,
    checkpointIntervalMs: 0,
  })
  const A = '+919800000001'
  const B = '+919800000002'
  const calls: [string, string, string, Parameters<typeof fields>[3]][] = [
    // today (2026-03-15), 00:30 IST is still 2026-03-14 in UTC
    ['t1', '2026-03-15', '00:30:00', { agentNumber: A, talkSeconds: 100, ivrSeconds: 10 }],
    ['t2', '2026-03-15', '09:05:00', { agentNumber: B, talkSeconds: 200, ivrSeconds: 20 }],
    [
      't3',
      '2026-03-15',
      '09:40:00',
      { status: 'MISSED', agentNumber: null, talkSeconds: null, ivrSeconds: 30 },
    ],
    [
      't4',
      '2026-03-15',
      '17:00:00',
      {
        status: 'DROPPED',
        agentNumber: null,
        talkSeconds: null,
        ivrSeconds: 5,
        department: null,
        circle: 'Delhi',
      },
    ],
    // earlier this week
    [
      'w1',
      '2026-03-10',
      '11:00:00',
      { status: 'DROPPED', agentNumber: null, talkSeconds: null, ivrSeconds: 45 },
    ],
    ['w2', '2026-03-09', '11:00:00', { agentNumber: A, talkSeconds: 50, ivrSeconds: null }],
    // within 30 days only
    [
      'm1',
      '2026-02-20',
      '15:00:00',
      { status: 'DROPPED', agentNumber: null, talkSeconds: null, ivrSeconds: 150 },
    ],
    // outside 30 days (2026-02-13 is day 31)
    ['o1', '2026-02-13', '23:59:00', { status: 'MISSED', agentNumber: null }],
    // just after "now" on the same local day is still today
  ]
  for (const [id, d, t, over] of calls) await store.upsert(fields(id, d, t, over), raw(id), 'r')
})
afterEach(async () => {
  await store.close()
  await cleanup()
})

const agentName = (n: string): string | null => (n === '+919800000001' ? 'Asha' : null)

describe('computeDashboard', () => {
  it('computes today with local-day boundaries, hours, agents and averages', async () => {
    const callbacks = [
      {
        by: 'us',
        lastMissedAt: '2026-03-15T09:40:00+05:30',
        settledAt: '2026-03-15T10:10:00+05:30',
      },
      {
        by: 'us',
        lastMissedAt: '2026-03-15T10:00:00+05:30',
        settledAt: '2026-03-15T11:00:00+05:30',
      },
      // The caller rang again and got through: counted apart, not in the median.
      {
        by: 'caller',
        lastMissedAt: '2026-03-15T12:00:00+05:30',
        settledAt: '2026-03-15T12:01:00+05:30',
      },
      {
        by: 'us',
        lastMissedAt: '2026-03-10T10:00:00+05:30',
        settledAt: '2026-03-10T10:05:00+05:30',
      },
    ] as const
    const d = await computeDashboard({
      store,
      range: 'today',
      now: NOW,
      timezone: ZONE,
      agentName,
      callbacks: [...callbacks],
    })
    expect(d).toMatchObject({ from: '2026-03-15', to: '2026-03-15', timezone: ZONE })
    expect(d.totals).toMatchObject({
      total: 4,
      answered: 2,
      missed: 1,
      dropped: 1,
      answerRate: 0.5,
    })
    expect(d.totals.avgIvrSeconds).toBeCloseTo((10 + 20 + 30 + 5) / 4)
    expect(d.totals.avgTalkSeconds).toBe(150)
    expect(d.totals.calledBackByUs).toBe(2)
    expect(d.totals.rangAgainAnswered).toBe(1)
    expect(d.totals.medianCallbackMinutes).toBe(45)
    // No schedule given: every call counts as in hours.
    expect(d.inHours).toMatchObject({ total: 4, answered: 2, missed: 1, answerRate: 0.5 })
    expect(d.afterHours).toEqual({ total: 0, answered: 0, missed: 0, dropped: 0, answerRate: null })
    expect(d.perHour).toHaveLength(24)
    expect(d.perHour[0]).toEqual({ hour: 0, answered: 1, missed: 0, dropped: 0 })
    expect(d.perHour[9]).toEqual({ hour: 9, answered: 1, missed: 1, dropped: 0 })
    expect(d.perHour[17]).toEqual({ hour: 17, answered: 0, missed: 0, dropped: 1 })
    expect(d.perAgent).toEqual(
      expect.arrayContaining([
        {
          agentNumber: '+919800000001',
          name: 'Asha',
          answered: 1,
          missed: 0,
          dropped: 0,
          talkSeconds: 100,
          avgHandlingSeconds: 100,
          missedWhileAvailable: 0,
          lastCallAt: new Date('2026-03-15T00:30:00+05:30').toISOString(),
        },
        {
          agentNumber: '+919800000002',
          name: null,
          answered: 1,
          missed: 0,
          dropped: 0,
          talkSeconds: 200,
          avgHandlingSeconds: 200,
          missedWhileAvailable: 0,
          lastCallAt: new Date('2026-03-15T09:05:00+05:30').toISOString(),
        },
      ]),
    )
    expect(d.perDepartment).toEqual([
      { department: 'Sales', answered: 2, missed: 1, dropped: 0 },
      { department: '(none)', answered: 0, missed: 0, dropped: 1 },
    ])
    expect(d.perCircle.find((c) => c.circle === 'Delhi')?.dropped).toBe(1)
    expect(d.ivrDropoff).toEqual([
      { bucket: '0-10s', dropped: 1 },
      { bucket: '10-30s', dropped: 0 },
      { bucket: '30-60s', dropped: 0 },
      { bucket: '60-120s', dropped: 0 },
      { bucket: '120s+', dropped: 0 },
    ])
  })

  it('covers 7 and 30 local days including today', async () => {
    const week = await computeDashboard({
      store,
      range: '7d',
      now: NOW,
      timezone: ZONE,
      agentName,
      callbacks: [],
    })
    expect([week.from, week.to]).toEqual(['2026-03-09', '2026-03-15'])
    expect(week.totals.total).toBe(6)
    expect(week.totals.calledBackByUs).toBe(0)
    expect(week.totals.rangAgainAnswered).toBe(0)
    expect(week.totals.medianCallbackMinutes).toBeNull()
    expect(week.perAgent.find((a) => a.name === 'Asha')).toMatchObject({
      answered: 2,
      talkSeconds: 150,
    })
    const month = await computeDashboard({
      store,
      range: '30d',
      now: NOW,
      timezone: ZONE,
      agentName,
      callbacks: [],
    })
    expect([month.from, month.to]).toEqual(['2026-02-14', '2026-03-15'])
    expect(month.totals).toMatchObject({ total: 7, dropped: 3, missed: 1 })
    expect(month.ivrDropoff.map((b) => b.dropped)).toEqual([1, 0, 1, 0, 1])
  })

  it('gives the same answer from a plain CallStore without the fast index', async () => {
    const plain: CallStore = {
      upsert: (f, r, at) => store.upsert(f, r, at),
      get: (id) => store.get(id),
      query: (q) => store.query(q),
      iterate: (q) => store.iterate(q),
      byCaller: (n) => store.byCaller(n),
      countsForDate: (d) => store.countsForDate(d),
      lastPushAt: () => store.lastPushAt(),
      size: () => store.size(),
      onStored: (fn) => store.onStored(fn),
      close: async () => {},
    }
    const args = { range: '30d' as const, now: NOW, timezone: ZONE, agentName, callbacks: [] }
    expect(await computeDashboard({ ...args, store: plain })).toEqual(
      await computeDashboard({ ...args, store }),
    )
  })

  it('splits calls and answer rates into in hours and after hours by the schedule given', async () => {
    // Open 09:00-18:00 IST: t1 (00:30, answered) came after hours, the other three in hours.
    const closedAt = (ms: number): boolean => {
      const hour = (new Date(ms).getUTCHours() + 5.5 + new Date(ms).getUTCMinutes() / 60) % 24
      return hour < 9 || hour >= 18
    }
    const d = await computeDashboard({
      store,
      range: 'today',
      now: NOW,
      timezone: ZONE,
      agentName,
      callbacks: [],
      closedAt,
    })
    expect(d.inHours).toEqual({ total: 3, answered: 1, missed: 1, dropped: 1, answerRate: 1 / 3 })
    expect(d.afterHours).toEqual({ total: 1, answered: 1, missed: 0, dropped: 0, answerRate: 1 })
    expect(d.totals.answerRate).toBe(0.5)
  })

  it('counts yesterday and a chosen range, days after today cut', async () => {
    const base = { store, now: NOW, timezone: ZONE, agentName, callbacks: [] }
    const yesterday = await computeDashboard({ ...base, range: 'yesterday' })
    expect([yesterday.from, yesterday.to, yesterday.totals.total]).toEqual([
      '2026-03-14',
      '2026-03-14',
      0,
    ])
    const chosen = await computeDashboard({
      ...base,
      range: 'custom',
      from: '2026-03-09',
      to: '2026-03-31',
    })
    expect([chosen.from, chosen.to]).toEqual(['2026-03-09', '2026-03-15'])
    expect(chosen.totals).toMatchObject({ total: 6, answered: 3, missed: 1, dropped: 2 })
    // The same days right before, 2 to 8 March: the range runs until now, so the one before is
    // cut at the same time of day, 18:00 on 8 March.
    expect(chosen.previous).toMatchObject({ from: '2026-03-02', to: '2026-03-08' })
    expect(chosen.previous.until).toBe(new Date('2026-03-08T18:00:00+05:30').toISOString())
    const past = await computeDashboard({
      ...base,
      range: 'custom',
      from: '2026-03-09',
      to: '2026-03-10',
    })
    expect(past.totals.total).toBe(2)
    expect(past.previous).toMatchObject({ from: '2026-03-07', to: '2026-03-08', until: null })
    for (const [from, to, message] of [
      ['2026-03-10', '2026-03-09', /ends before it starts/],
      ['2026-03-16', '2026-03-20', /starts after today/],
      ['2025-01-01', '2026-03-15', /at most 366 days/],
    ] as const)
      await expect(computeDashboard({ ...base, range: 'custom', from, to })).rejects.toThrow(
        message,
      )
    await expect(computeDashboard({ ...base, range: 'custom' })).rejects.toThrow(/first and last/)
  })

  it('puts each figure beside the period before, cut at the same time of day', async () => {
    // Yesterday (14 March): one call before 18:00 and one after; the day before that, one.
    for (const [id, d, t, over] of [
      ['y1', '2026-03-14', '10:00:00', { status: 'MISSED', agentNumber: null, ivrSeconds: 40 }],
      ['y2', '2026-03-14', '19:00:00', { ivrSeconds: 8 }],
      ['y3', '2026-03-13', '11:00:00', { ivrSeconds: 8 }],
    ] as const)
      await store.upsert(fields(id, d, t, over), raw(id), 'r')
    const base = { store, now: NOW, timezone: ZONE, agentName, callbacks: [] }
    const today = await computeDashboard({ ...base, range: 'today' })
    // Today until 18:00 beside yesterday until 18:00: y2 (19:00) is not counted.
    expect(today.previous).toMatchObject({
      from: '2026-03-14',
      to: '2026-03-14',
      until: new Date('2026-03-14T18:00:00+05:30').toISOString(),
    })
    expect(today.previous.totals).toMatchObject({ total: 1, answered: 0, missed: 1 })
    expect(today.previous.totals.avgIvrSeconds).toBe(40)
    const yesterday = await computeDashboard({ ...base, range: 'yesterday' })
    // A past day beside the whole day before it.
    expect(yesterday.totals).toMatchObject({ total: 2, answered: 1, missed: 1 })
    expect(yesterday.previous).toMatchObject({ from: '2026-03-13', to: '2026-03-13', until: null })
    expect(yesterday.previous.totals.total).toBe(1)
    expect(yesterday.previous.serviceLevel).toEqual({
      seconds: 20,
      answeredWithin: 1,
      total: 1,
      rate: 1,
    })
  })

  it('gives the service level: answered within the target, over every call and in hours', async () => {
    // Today: t1 answered after 10 s (00:30, after hours below), t2 after 20 s, t3 missed, t4 dropped.
    const closedAt = (ms: number): boolean => ms < Date.parse('2026-03-15T09:00:00+05:30')
    const base = { store, range: 'today' as const, now: NOW, timezone: ZONE, agentName }
    const at20 = await computeDashboard({ ...base, callbacks: [], closedAt })
    expect(at20.serviceLevel).toEqual({ seconds: 20, answeredWithin: 2, total: 4, rate: 0.5 })
    expect(at20.serviceLevelInHours).toEqual({
      seconds: 20,
      answeredWithin: 1,
      total: 3,
      rate: 1 / 3,
    })
    const at15 = await computeDashboard({ ...base, callbacks: [], serviceLevelSeconds: 15 })
    expect(at15.serviceLevel).toMatchObject({ seconds: 15, answeredWithin: 1, rate: 0.25 })
    const empty = await computeDashboard({ ...base, callbacks: [], now: Date.parse('2030-01-01') })
    expect(empty.serviceLevel.rate).toBeNull()
  })

  it("counts an agent's missed calls while available: their department's, in hours, by the status then", async () => {
    const C = '+919800000003'
    const D = '+919800000004'
    // Missed calls naming no agent: Sales at 09:40 (t3) and these.
    for (const [id, t, over] of [
      ['s1', '11:00:00', { department: 'sales ' }],
      ['s2', '13:00:00', { department: 'Sales' }],
      ['s3', '20:00:00', { department: 'Sales' }],
      ['b1', '11:30:00', { department: 'Billing' }],
      // One naming C: the vendor rang C.
      ['n1', '12:00:00', { department: 'Sales', agentNumber: C }],
    ] as const)
      await store.upsert(
        fields(id, '2026-03-15', t, { status: 'MISSED', agentNumber: null, ...over }),
        raw(id),
        'r',
      )
    // C available from 10:00 to 12:30; D (Sales) never; A (no department in the directory).
    const availableAt = (n: string, ms: number): boolean =>
      n === C &&
      ms >= Date.parse('2026-03-15T10:00:00+05:30') &&
      ms < Date.parse('2026-03-15T12:30:00+05:30')
    // Open until 19:00 today.
    const today = (availability: Availability) =>
      computeDashboard({
        store,
        range: 'today',
        now: NOW,
        timezone: ZONE,
        agentName,
        callbacks: [],
        closedAt: (ms) => ms >= Date.parse('2026-03-15T19:00:00+05:30'),
        availability,
      })
    const d = await today({
      agents: [
        { normalizedNumber: C, department: 'Sales' },
        { normalizedNumber: D, department: 'Sales' },
        { normalizedNumber: '+919800000001', department: null },
      ],
      availableAt,
    })
    // C: n1 (named) and s1 (Sales, in hours, while available); not t3 (before), s2 (after), b1.
    expect(d.perAgent.find((a) => a.agentNumber === C)).toMatchObject({
      missed: 1,
      missedWhileAvailable: 2,
      lastCallAt: new Date('2026-03-15T12:00:00+05:30').toISOString(),
      avgHandlingSeconds: null,
    })
    expect(d.perAgent.some((a) => a.agentNumber === D)).toBe(false)
    expect(d.perAgent.find((a) => a.name === 'Asha')?.missedWhileAvailable).toBe(0)

    // Always available: every unassigned Sales call in hours (t3, s1, s2; not s3 after hours).
    const always = await today({
      agents: [{ normalizedNumber: D, department: 'SALES' }],
      availableAt: () => true,
    })
    expect(always.perAgent.find((a) => a.agentNumber === D)).toEqual({
      agentNumber: D,
      name: null,
      answered: 0,
      missed: 0,
      dropped: 0,
      talkSeconds: 0,
      avgHandlingSeconds: null,
      missedWhileAvailable: 3,
      lastCallAt: null,
    })
  })

  it('returns empty aggregates when there are no calls', async () => {
    const d = await computeDashboard({
      store,
      range: 'today',
      now: Date.parse('2030-01-01T12:00:00+05:30'),
      timezone: ZONE,
      agentName,
      callbacks: [],
    })
    expect(d.totals).toMatchObject({
      total: 0,
      answerRate: null,
      avgIvrSeconds: null,
      avgTalkSeconds: null,
    })
    expect(d.perAgent).toEqual([])
  })
})
