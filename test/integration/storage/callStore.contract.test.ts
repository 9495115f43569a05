/**
 * The call store's contract (src/main/storage/types.ts), run over both backends: the data
 * folder's FileCallStore and PostgreSQL's PgCallStore must answer every question the same way.
 */
import { describe, expect, it } from 'vitest'
import type { CallStore, StoredCall } from '../../../src/main/storage/types'
import type { Call, CallStatus } from '../../../src/shared/domain'
import { loadSummaries } from '../../../src/main/insight/dashboard'
import { fakeClock, fields, raw, ZONE } from '../../unit/storage/fixtures'
import { BACKENDS, until, useBackend } from './backends'

async function all(s: CallStore, q: Parameters<CallStore['iterate']>[0] = {}): Promise<Call[]> {
  const out: Call[] = []
  for await (const c of s.iterate(q)) out.push(c)
  return out
}

/** Every page of a query, following the cursors. */
async function pages(s: CallStore, q: Parameters<CallStore['query']>[0]): Promise<string[]> {
  const ids: string[] = []
  let cursor: string | undefined
  for (let i = 0; i < 100; i++) {
    const page = await s.query({ ...q, cursor })
    ids.push(...page.calls.map((c) => c.id))
    if (!page.nextCursor) return ids
    cursor = page.nextCursor
  }
  throw new Error('too many pages')
}

describe.each(BACKENDS)('CallStore contract: $name', (factory) => {
  const place = useBackend(factory)
  const clock = fakeClock('2026-03-15T12:00:00+05:30')

  it('creates, repeats unchanged, updates with history; durable across a reopen', async () => {
    const s = await place().callStore(clock)
    const a = await s.upsert(fields('c1', '2026-03-10'), raw('c1'), '2026-03-10T04:31:00.000Z')
    expect(a.outcome).toBe('created')
    expect(a.call).toMatchObject({ revision: 1, history: [], firstReceivedAt: a.call.receivedAt })
    if (a.json !== undefined) expect(JSON.parse(a.json)).toEqual(a.call)
    const same = await s.upsert(fields('c1', '2026-03-10'), raw('c1'), '2026-03-10T04:32:00.000Z')
    expect(same.outcome).toBe('unchanged')
    const late = fields('c1', '2026-03-10', '10:00:00', { recordingUrl: 'https://rec.example/1' })
    const upd = await s.upsert(late, raw('c1'), '2026-03-10T04:40:00.000Z')
    expect(upd.outcome).toBe('updated')
    expect(upd.call).toMatchObject({ revision: 2, firstReceivedAt: '2026-03-10T04:31:00.000Z' })
    expect(upd.call.history).toHaveLength(1)
    expect(upd.call.history[0]).toMatchObject({ revision: 1, recordingUrl: null })
    const rawOnly = await s.upsert(late, raw('c1', { extra: 'x' }), '2026-03-10T04:50:00.000Z')
    expect(rawOnly.outcome).toBe('updated')
    expect(s.size()).toBe(1)
    expect(s.lastPushAt()).toBe('2026-03-10T04:50:00.000Z')

    await place().closeAll()
    const again = await place().callStore(clock)
    expect(again.size()).toBe(1)
    expect(again.lastPushAt()).toBe('2026-03-10T04:50:00.000Z')
    const got = await again.get('c1')
    expect(got).toEqual(rawOnly.call)
    expect(got!.history.map((h) => h.revision)).toEqual([1, 2])
    expect(await again.get('nope')).toBeNull()
  })

  it('200 parallel pushes of one id store one record; 300 distinct ones all', async () => {
    const s = await place().callStore(clock)
    const results = await Promise.all(
      Array.from({ length: 200 }, () =>
        s.upsert(fields('dup', '2026-03-12'), raw('dup'), '2026-03-12T05:00:00.000Z'),
      ),
    )
    expect(results.filter((r) => r.outcome === 'created')).toHaveLength(1)
    expect(results.filter((r) => r.outcome === 'unchanged')).toHaveLength(199)
    await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        s.upsert(fields(`d${i}`, '2026-03-12'), raw(`d${i}`), '2026-03-12T05:00:00.000Z'),
      ),
    )
    expect(s.size()).toBe(301)
    expect((await s.query({})).total).toBe(301)
  })

  it('keeps the first version and the last 20 of a call pushed 30 times with new content', async () => {
    const s = await place().callStore(clock)
    let last: Call | null = null
    for (let i = 1; i <= 30; i++) {
      const r = await s.upsert(
        fields('many', '2026-03-11', '10:00:00', { talkSeconds: i }),
        raw('many'),
        `2026-03-11T05:00:${String(i).padStart(2, '0')}.000Z`,
      )
      last = r.call
    }
    expect(last!.revision).toBe(30)
    const kept = [1, ...Array.from({ length: 20 }, (_, i) => 10 + i)]
    expect(last!.history.map((h) => h.revision)).toEqual(kept)
    expect((await s.get('many'))!.history.map((h) => h.revision)).toEqual(kept)
  })

  it('moves a call to another month when a later push changes its date', async () => {
    const s = await place().callStore(clock)
    await s.upsert(fields('mv', '2026-02-27'), raw('mv'), '2026-02-27T05:00:00.000Z')
    await s.upsert(fields('mv', '2026-03-02'), raw('mv'), '2026-03-02T05:00:00.000Z')
    expect(s.size()).toBe(1)
    expect((await s.query({ from: '2026-02-01', to: '2026-02-28' })).total).toBe(0)
    expect(
      (await s.query({ from: '2026-03-01', to: '2026-03-31' })).calls.map((c) => c.id),
    ).toEqual(['mv'])
  })

  it('filters, counts and pages newest first with stable cursors', async () => {
    const s = await place().callStore(clock)
    const statuses: CallStatus[] = ['ANSWER', 'MISSED', 'DROPPED']
    const made: { id: string; t: number }[] = []
    for (let i = 0; i < 45; i++) {
      const day = `2026-03-${String(1 + (i % 9)).padStart(2, '0')}`
      // Several calls share a start time, so the id breaks ties.
      const time = `1${i % 3}:00:00`
      const f = fields(`k${String(i).padStart(2, '0')}`, day, time, {
        status: statuses[i % 3],
        agentNumber: i % 2 ? '+919812345678' : null,
        department: i % 4 === 0 ? 'Support' : 'Sales',
        circle: i % 5 === 0 ? 'Kerala' : 'Karnataka',
        callerNumber: `+9198765${String(i).padStart(5, '0')}`,
      })
      await s.upsert(f, raw(f.id), '2026-03-12T05:00:00.000Z')
      made.push({ id: f.id, t: Date.parse(f.startedAt) })
    }
    const newestFirst = [...made]
      .sort((a, b) => b.t - a.t || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .map((m) => m.id)
    expect(await pages(s, { limit: 7 })).toEqual(newestFirst)
    expect((await all(s)).map((c) => c.id)).toEqual(newestFirst)

    const missed = await s.query({ status: 'MISSED', limit: 500 })
    expect(missed.total).toBe(15)
    expect(missed.calls.every((c) => c.status === 'MISSED')).toBe(true)
    expect((await s.query({ agent: '9812345678' })).total).toBe(22)
    expect((await s.query({ department: 'SUPPORT' })).total).toBe(12)
    expect((await s.query({ circle: 'kerala' })).total).toBe(9)
    expect((await s.query({ from: '2026-03-02', to: '2026-03-03' })).total).toBe(10)
    // A number: any stored number containing these digits.
    expect((await s.query({ q: '98765 00012' })).calls.map((c) => c.id)).toEqual(['k12'])
    // Text: id, department, circle or agent containing it, any case.
    expect((await s.query({ q: 'K4' })).total).toBe(5)
    expect((await s.query({ q: 'supp' })).total).toBe(12)
    expect((await s.query({ q: '50%' })).total).toBe(0)
    const pageOfFilter = await pages(s, { status: 'DROPPED', department: 'Sales', limit: 4 })
    expect(pageOfFilter).toEqual(
      newestFirst.filter((id) => {
        const i = Number(id.slice(1))
        return i % 3 === 2 && i % 4 !== 0
      }),
    )
    expect((await all(s, { status: 'DROPPED', department: 'Sales' })).map((c) => c.id)).toEqual(
      pageOfFilter,
    )
  })

  it('counts a local day from its midnight in the configured zone, not UTC', async () => {
    const s = await place().callStore(clock)
    const put = (id: string, date: string, time: string, status: CallStatus) =>
      s.upsert(fields(id, date, time, { status }), raw(id), '2026-03-15T05:00:00.000Z')
    await put('late', '2026-03-14', '23:59:59', 'MISSED')
    await put('early', '2026-03-15', '00:00:00', 'ANSWER')
    // 04:00 IST is 22:30 UTC of the day before.
    await put('dawn', '2026-03-15', '04:00:00', 'DROPPED')
    expect(await s.countsForDate('2026-03-14')).toEqual({
      total: 1,
      answered: 0,
      missed: 1,
      dropped: 0,
    })
    expect(await s.countsForDate('2026-03-15')).toEqual({
      total: 2,
      answered: 1,
      missed: 0,
      dropped: 1,
    })
    expect((await s.query({ from: '2026-03-15', to: '2026-03-15' })).total).toBe(2)
  })

  it("gives a caller's calls newest first", async () => {
    const s = await place().callStore(clock)
    for (const [id, date] of [
      ['a', '2026-03-01'],
      ['b', '2026-03-05'],
      ['c', '2026-03-03'],
    ] as const)
      await s.upsert(fields(id, date), raw(id), '2026-03-06T05:00:00.000Z')
    await s.upsert(
      fields('other', '2026-03-04', '10:00:00', { callerNumber: '+919000000000' }),
      raw('other'),
      '2026-03-06T05:00:00.000Z',
    )
    expect((await s.byCaller('9876543210')).map((c) => c.id)).toEqual(['b', 'c', 'a'])
  })

  it('summarises calls for the dashboard with local hours, newest first', async () => {
    const s = await place().callStore(clock)
    await s.upsert(
      fields('h1', '2026-03-14', '23:30:00', { status: 'DROPPED', ivrSeconds: 7 }),
      raw('h1'),
      '2026-03-15T05:00:00.000Z',
    )
    await s.upsert(fields('h2', '2026-03-15', '00:15:00'), raw('h2'), '2026-03-15T05:00:00.000Z')
    await s.upsert(fields('h3', '2026-03-13', '09:00:00'), raw('h3'), '2026-03-15T05:00:00.000Z')
    const rows = await loadSummaries(s, '2026-03-14', '2026-03-15', ZONE)
    expect(rows.map((r) => [r.hour, r.status, r.ivrSeconds])).toEqual([
      [0, 'ANSWER', 12],
      [23, 'DROPPED', 7],
    ])
    expect(rows[0]!.startedAtMs).toBe(Date.parse('2026-03-15T00:15:00+05:30'))
    expect(rows[0]).toMatchObject({ agentNumber: '+919812345678', department: 'Sales' })
  })

  it('announces every call it stores once durable, before it answers; never a repeat', async () => {
    const s = await place().callStore(clock)
    const heard: StoredCall[] = []
    const off = s.onStored((c) => heard.push(c))
    const a = await s.upsert(fields('n1', '2026-03-10'), raw('n1'), '2026-03-10T04:31:00.000Z')
    // Told by the time the upsert resolves: the listener answers the vendor only after that.
    expect(heard).toHaveLength(1)
    expect(heard[0]).toEqual({ call: a.call, outcome: 'created', json: JSON.stringify(a.call) })
    await s.upsert(fields('n1', '2026-03-10'), raw('n1'), '2026-03-10T04:32:00.000Z')
    expect(heard).toHaveLength(1)
    const late = fields('n1', '2026-03-10', '10:00:00', { recordingUrl: 'https://rec.example/n' })
    const upd = await s.upsert(late, raw('n1'), '2026-03-10T04:40:00.000Z')
    expect(heard).toHaveLength(2)
    expect(heard[1]).toMatchObject({ call: upd.call, outcome: 'updated' })
    if (heard[1]!.json !== undefined) expect(heard[1]!.json).toBe(JSON.stringify(upd.call))
    // A subscriber that throws fails no upsert; one that left hears no more.
    s.onStored(() => {
      throw new Error('a broken subscriber')
    })
    off()
    const b = await s.upsert(fields('n2', '2026-03-11'), raw('n2'), '2026-03-11T04:31:00.000Z')
    expect(b.outcome).toBe('created')
    expect(heard).toHaveLength(2)
    expect(await s.get('n2')).toEqual(b.call)
  })

  it.runIf(factory.name === 'PostgreSQL')(
    'announces the calls another instance stored, once each, with their text',
    async () => {
      const [a, b] = [(await place().storage(clock)).calls, (await place().storage(clock)).calls]
      const onA: StoredCall[] = []
      const onB: StoredCall[] = []
      a.onStored((c) => onA.push(c))
      b.onStored((c) => onB.push(c))
      const made = await b.upsert(fields('r1', '2026-03-10'), raw('r1'), '2026-03-10T05:00:00.000Z')
      expect(onB).toHaveLength(1)
      // The creation is heard before the revision is made: A reads the row when it hears of it,
      // and a revision already in by then would be what it reads (the order the test is about).
      await until(() => onA.length === 1)
      expect(onA[0]).toEqual({ call: made.call, outcome: 'created', json: made.json })
      expect(onA[0]!.json).toBe(JSON.stringify(made.call))
      const late = fields('r1', '2026-03-10', '10:00:00', {
        recordingUrl: 'https://rec.example/r1',
      })
      const revised = await b.upsert(late, raw('r1'), '2026-03-10T05:05:00.000Z')
      await until(() => onA.length === 2)
      // A revised call has a history to read: no text, the event stream makes it.
      expect(onA[1]).toEqual({ call: revised.call, outcome: 'updated', json: undefined })
      expect(onA[1]!.call.history).toHaveLength(1)
      // A's own call: told on A once (its own notification is not told again), and heard on B.
      const own = await a.upsert(fields('r2', '2026-03-11'), raw('r2'), '2026-03-11T05:00:00.000Z')
      await until(() => onB.length === 3)
      expect(onB[2]).toMatchObject({ call: own.call, outcome: 'created' })
      // Notifications come in commit order: once A heard B's next call, its own came and went.
      await b.upsert(fields('r3', '2026-03-12'), raw('r3'), '2026-03-12T05:00:00.000Z')
      await until(() => onA.length === 4)
      expect(onA.map((c) => c.call.id)).toEqual(['r1', 'r1', 'r2', 'r3'])
    },
  )
})
