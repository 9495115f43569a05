/**
 * The history's number search over both backends: digits found in a caller's, an agent's or a
 * virtual number, or a numeric call id, in any spelling the shared rule reads, alone or with the
 * other filters, paged through cursors and exported, give every backend the calls the rule gives
 * (PostgreSQL looks in its number dictionary first, and scans the calls when the digits are in
 * too many numbers to list).
 */
import { describe, expect, it } from 'vitest'
import type { CallStore, StoreQuery } from '../../../src/main/storage/types'
import type { Call, CallFields, CallStatus } from '../../../src/shared/domain'
import { phoneMatches, phoneSearchDigits } from '../../../src/shared/phone'
import { isDigits } from '../../../src/main/storage/query'
import { MAX_LISTED_NUMBERS } from '../../../src/main/storage/postgres/numberSearch'
import { fakeClock, fields, raw } from '../../unit/storage/fixtures'
import { BACKENDS, useBackend } from './backends'

/** Every page of a query, following the cursors; and the total of the first page. */
async function pages(s: CallStore, q: StoreQuery, limit: number) {
  const ids: string[] = []
  let cursor: string | undefined
  let total = -1
  for (let i = 0; i < 1000; i++) {
    const page = await s.query({ ...q, limit, cursor })
    if (total < 0) total = page.total
    ids.push(...page.calls.map((c) => c.id))
    if (!page.nextCursor) return { ids, total }
    cursor = page.nextCursor
  }
  throw new Error('too many pages')
}

async function exported(s: CallStore, q: StoreQuery): Promise<string[]> {
  const ids: string[] = []
  for await (const c of s.iterate(q)) ids.push(c.id)
  return ids
}

/** What the shared rule finds among `calls`, newest first (start, then id). */
function expected(calls: Call[], q: StoreQuery): string[] {
  const digits = phoneSearchDigits(q.q!)!
  const lo = q.from ? Date.parse(`${q.from}T00:00:00+05:30`) : -Infinity
  const hi = q.to ? Date.parse(`${q.to}T00:00:00+05:30`) + 86_400_000 : Infinity
  return calls
    .filter((c) => {
      const t = Date.parse(c.startedAt)
      if (t < lo || t >= hi || (q.status && c.status !== q.status)) return false
      return (
        phoneMatches(c.callerNumber, digits) ||
        phoneMatches(c.agentNumber, digits) ||
        phoneMatches(c.virtualNumber, digits) ||
        (isDigits(c.id) && phoneMatches(c.id, digits))
      )
    })
    .sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt) || (a.id < b.id ? 1 : -1))
    .map((c) => c.id)
}

async function put(s: CallStore, list: CallFields[]): Promise<Call[]> {
  const results = await Promise.all(
    list.map((f) => s.upsert(f, raw(f.id), '2026-03-20T05:00:00.000Z')),
  )
  return results.map((r) => r.call)
}

describe.each(BACKENDS)('Number search: $name', (factory) => {
  const place = useBackend(factory)
  const clock = fakeClock('2026-03-20T12:00:00+05:30')

  it("finds digits in a caller's, an agent's or a virtual number and in numeric ids, as the rule does", async () => {
    const s = await place().callStore(clock)
    const statuses: CallStatus[] = ['ANSWER', 'MISSED', 'DROPPED']
    const list: CallFields[] = []
    for (let i = 0; i < 90; i++)
      list.push(
        fields(
          i % 7 === 0 ? `770${String(i).padStart(4, '0')}` : `c-${String(i).padStart(3, '0')}`,
          `2026-03-${String(1 + (i % 18)).padStart(2, '0')}`,
          // Several calls share a start, so the id orders them.
          `${String(8 + (i % 3)).padStart(2, '0')}:00:00`,
          {
            status: statuses[i % 3],
            callerNumber: `+9190000${String(i % 30).padStart(5, '0')}`,
            agentNumber: i % 3 === 0 ? ['+919811155501', '+919811155502'][i % 2]! : null,
            virtualNumber: i % 4 === 0 ? null : ['+918041234567', '+918022220000'][i % 2]!,
          },
        ),
      )
    let calls = await put(s, list)
    // A call that later holds another caller is found by its new number only.
    const moved = fields('c-moved', '2026-03-10', '09:30:00', { callerNumber: '+919123400777' })
    await s.upsert(moved, raw(moved.id), '2026-03-20T05:00:00.000Z')
    const now = { ...moved, callerNumber: '+919555500888' }
    calls = [...calls, (await s.upsert(now, raw(now.id), '2026-03-20T06:00:00.000Z')).call]

    const searches = [
      '00012', // callers
      '0002', // callers, some calls of them at one start
      '0000', // many callers, and a virtual number
      '9811155501', // an agent
      '98111', // both agents, and callers
      '41234', // a virtual number
      '770', // numeric ids (and no number)
      '7700014',
      '090000 00012', // a trunk 0: both spellings
      '+91 90000 00029',
      '1234007', // the old caller of c-moved
      '5550088', // its new one
      '424242', // nothing
    ]
    const filters: StoreQuery[] = [
      {},
      { status: 'MISSED' },
      { from: '2026-03-05', to: '2026-03-12' },
      { status: 'ANSWER', from: '2026-03-01', to: '2026-03-09' },
    ]
    for (const q of searches)
      for (const f of filters) {
        const query = { ...f, q }
        const want = expected(calls, query)
        const got = await pages(s, query, 4)
        expect(got.ids, JSON.stringify(query)).toEqual(want)
        expect(got.total, JSON.stringify(query)).toBe(want.length)
        expect(await exported(s, query), JSON.stringify(query)).toEqual(want)
      }
    expect(expected(calls, { q: '1234007' })).toEqual([])
    expect(expected(calls, { q: '5550088' })).toEqual(['c-moved'])
  })

  it(`finds digits held by more than ${MAX_LISTED_NUMBERS} numbers`, async () => {
    const s = await place().callStore(clock)
    const list: CallFields[] = []
    for (let i = 0; i < MAX_LISTED_NUMBERS + 150; i++)
      list.push(
        fields(`m-${String(i).padStart(5, '0')}`, '2026-03-12', '10:00:00', {
          callerNumber: `+91977${String(i).padStart(5, '0')}42`,
          agentNumber: null,
          virtualNumber: null,
        }),
      )
    const calls = await put(s, list)
    for (const q of [{ q: '42' }, { q: '00042' }, { q: '7700', status: 'MISSED' as const }]) {
      const want = expected(calls, q)
      const got = await pages(s, q, 500)
      expect(got.ids).toEqual(want)
      expect(got.total).toBe(want.length)
    }
  })
})
