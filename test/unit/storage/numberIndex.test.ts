import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { FileCallStore } from '../../../src/main/storage/folder/fileCallStore'
import { NumberIndex, numberKey } from '../../../src/main/storage/folder/numberIndex'
import { rowOf } from '../../../src/main/storage/folder/callIndex'
import { decodeIndexMonth, encodeIndexBinary } from '../../../src/main/storage/folder/indexFile'
import type { Call } from '../../../src/shared/domain'
import { phoneSearchDigits } from '../../../src/shared/phone'
import { fakeClock, fields, logger, raw, tempDir, ZONE } from './fixtures'

let dir: string
let cleanup: () => Promise<void>
beforeEach(async () => ({ dir, cleanup } = await tempDir()))
afterEach(() => cleanup())

const open = (): Promise<FileCallStore> =>
  FileCallStore.open({
    dir,
    timezone: ZONE,
    clock: fakeClock(),
    logger,
    checkpointIntervalMs: 0,
    hotMonths: 1,
    coldCacheMonths: 1,
  })

async function all(s: FileCallStore): Promise<Call[]> {
  const out: Call[] = []
  for await (const c of s.iterate({})) out.push(c)
  return out
}

/**
 * What a number search must return: the definition, applied to every call. The text becomes the
 * digit fragments of the shared rule (a whole number its E.164 digits; a leading trunk 0 also
 * searched without it); a call matches when one of its numbers contains one of them.
 */
function expected(calls: Call[], q: string): string[] {
  const fragments = phoneSearchDigits(q)!
  const has = (n: string | null): boolean => fragments.some((f) => (n ?? '').includes(f))
  return calls
    .filter(
      (c) =>
        has(c.callerNumber) ||
        has(c.agentNumber) ||
        has(c.virtualNumber) ||
        (/^\d+$/.test(c.id) && has(c.id)),
    )
    .map((c) => c.id)
}

describe('number search', () => {
  it('finds exactly the calls whose numbers or numeric id contain the digits, newest first', async () => {
    const s = await open()
    const callers = ['+919876543210', '+919876500000', '+14155550100', '5551234', '+919000012345']
    for (let i = 0; i < 60; i++) {
      const month = 1 + (i % 3)
      const id = i % 7 === 0 ? String(700000 + i) : `c-${i}-0987`
      await s.upsert(
        fields(id, `2026-0${month}-${String(1 + (i % 28)).padStart(2, '0')}`, '09:30:00', {
          callerNumber: callers[i % callers.length]!,
          agentNumber: i % 4 === 0 ? null : `+91981234${String(i % 5).padStart(4, '0')}`,
        }),
        raw(id),
        'r',
      )
    }
    await s.checkpoint()
    const calls = await all(s)
    const check = async (q: string): Promise<void> => {
      const page = await s.query({ q, limit: 500 })
      expect(page.calls.map((c) => c.id)).toEqual(expected(calls, q))
      expect(page.total).toBe(page.calls.length)
    }
    for (const q of ['98765', '0000', '+1 415', '555', '700014', '0987', '12345', '9', '31337'])
      await check(q)
    // A whole number in another spelling finds the stored E.164 one.
    await check('098765 43210')
    expect((await s.query({ q: '098765 43210', limit: 500 })).total).toBeGreaterThan(0)
    // Random fragments of every length too.
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^\d{1,6}$/), async (q) => check(q)),
      { numRuns: 60 },
    )
    // With other filters and paging.
    const first = await s.query({ q: '98765', from: '2026-02-01', limit: 5 })
    const want = calls
      .filter((c) => c.callerNumber.includes('98765') && c.date >= '2026-02-01')
      .map((c) => c.id)
    expect(first.total).toBe(want.length)
    const second = await s.query({
      q: '98765',
      from: '2026-02-01',
      limit: 5,
      cursor: first.nextCursor!,
    })
    expect([...first.calls, ...second.calls].map((c) => c.id)).toEqual(want.slice(0, 10))
    await s.close()
  })

  it('follows changed numbers and survives a reopen', async () => {
    const s = await open()
    await s.upsert(
      fields('x', '2026-03-01', '10:00:00', { callerNumber: '+911111122222' }),
      raw('x'),
      'r',
    )
    expect((await s.query({ q: '11111' })).total).toBe(1)
    await s.upsert(
      fields('x', '2026-03-01', '10:00:00', { callerNumber: '+913333344444' }),
      raw('x'),
      'r',
    )
    expect((await s.query({ q: '11111' })).total).toBe(0)
    expect((await s.query({ q: '33333' })).calls.map((c) => c.id)).toEqual(['x'])
    expect(await s.byCaller('+911111122222')).toEqual([])
    // Moved to another month: still found once.
    await s.upsert(
      fields('x', '2026-01-05', '10:00:00', { callerNumber: '+913333344444' }),
      raw('x'),
      'r',
    )
    expect((await s.query({ q: '33333' })).calls.map((c) => c.date)).toEqual(['2026-01-05'])
    await s.close()
    const again = await open()
    expect((await again.query({ q: '33333' })).total).toBe(1)
    expect((await again.byCaller('3333344444')).map((c) => c.id)).toEqual(['x'])
    await again.close()
  })

  it("caps a caller's timeline at the newest 500 calls", async () => {
    const s = await open()
    await Promise.all(
      Array.from({ length: 520 }, (_, i) =>
        s.upsert(
          fields(
            `t${i}`,
            '2026-03-02',
            `10:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`,
          ),
          raw(`t${i}`),
          'r',
        ),
      ),
    )
    const timeline = await s.byCaller('+919876543210')
    expect(timeline).toHaveLength(500)
    expect(timeline[0]!.id).toBe('t519')
    expect(timeline.at(-1)!.id).toBe('t20')
    await s.close()
  })
})

describe("an agent's number that calls in", () => {
  it('finds its calls as a caller (by a scan: its rows are not listed)', async () => {
    const s = await open()
    await s.upsert(
      fields('in', '2026-03-02', '10:00:00', { agentNumber: '+919822222222' }),
      raw('in'),
      'r',
    )
    await s.upsert(
      fields('out', '2026-03-03', '10:00:00', { callerNumber: '+919822222222', agentNumber: null }),
      raw('out'),
      'r',
    )
    expect((await s.byCaller('9822222222')).map((c) => c.id)).toEqual(['out'])
    expect((await s.query({ q: '822222' })).calls.map((c) => c.id)).toEqual(['out', 'in'])
    await s.close()
  })
})

/** The row of a stored call with these fields. */
const rowFor = (id: string, over: Parameters<typeof fields>[3] = {}) =>
  rowOf(
    {
      ...fields(id, '2026-03-01', '10:00:00', over),
      receivedAt: 'r',
      firstReceivedAt: 'r',
      revision: 1,
      raw: {},
      history: [],
    },
    ZONE,
  )

describe('NumberIndex', () => {
  it('gives up (null) past the candidate cap so the caller scans instead', () => {
    const index = new NumberIndex()
    for (let i = 0; i < 10; i++) index.add(rowFor(`n${i}`))
    // Every row shares the caller, agent and virtual number.
    expect(index.rowsContaining('98765', 100)).toHaveLength(10)
    expect(index.rowsContaining('98765', 9)).toBeNull()
    expect(index.rowsContaining('0000000', 100)).toEqual([])
    expect(index.numberCount).toBe(3)
  })

  it("lists an agent's and a virtual number without their rows: a search that hits one scans", () => {
    const index = new NumberIndex()
    const row = rowFor
    index.add(row('a', { callerNumber: '+919811111111', agentNumber: '+919822222222' }))
    // The agent calls in: its number is a caller's too.
    index.add(row('b', { callerNumber: '+919822222222', agentNumber: null }))
    expect(index.rowsContaining('811111', 100)!.map((r) => r.id)).toEqual(['a'])
    expect(index.rowsContaining('822222', 100)).toBeNull()
    expect(index.rowsContaining('8041234567', 100)).toBeNull()
    expect(index.rowsOf('+919811111111')!.map((r) => r.id)).toEqual(['a'])
    expect(index.rowsOf('+919822222222')).toBeNull()
  })
})

describe('months listed from their index files (start-up)', () => {
  /** A store of three months with repeated callers, agents calling in, numeric ids. */
  async function seed(s: FileCallStore): Promise<void> {
    const callers = ['+919876543210', '+919876500000', '+14155550100', '+919822222222', '5551234']
    for (let i = 0; i < 90; i++) {
      const id = i % 7 === 0 ? String(700000 + i) : `c-${i}-0987`
      await s.upsert(
        fields(id, `2026-0${1 + (i % 3)}-${String(1 + (i % 28)).padStart(2, '0')}`, '09:30:00', {
          callerNumber: callers[i % callers.length]!,
          agentNumber: i % 4 === 0 ? null : `+91982222222${i % 3}`,
        }),
        raw(id),
        'r',
      )
    }
    await s.checkpoint()
  }

  it('search as the definition says after a reopen, before and after the background listing, and after changes', async () => {
    const first = await open()
    await seed(first)
    await first.close()
    for (const waitSettled of [false, true]) {
      const s = await open()
      if (waitSettled) await s.settled()
      const check = async (q: string): Promise<void> => {
        const page = await s.query({ q, limit: 500 })
        expect(page.calls.map((c) => c.id)).toEqual(expected(await all(s), q))
      }
      for (const q of ['98765', '0000', '822222', '700014', '0987', '555']) await check(q)
      // Changed numbers, a call moved to another month, a new caller: the listed rows are stale.
      await s.upsert(
        fields('c-1-0987', '2026-02-10', '11:00:00', { callerNumber: '+913333344444' }),
        raw('c-1-0987'),
        'r',
      )
      await s.upsert(
        fields('c-2-0987', '2026-01-10', '11:00:00', { callerNumber: '+919876543210' }),
        raw('c-2-0987'),
        'r',
      )
      await fc.assert(
        fc.asyncProperty(fc.stringMatching(/^\d{1,6}$/), async (q) => check(q)),
        { numRuns: 40 },
      )
      expect((await s.byCaller('+913333344444')).map((c) => c.id)).toEqual(['c-1-0987'])
      await s.close()
    }
  })
})

describe('NumberIndex.addColumns', () => {
  it('lists the same rows under the same numbers as listing each row', () => {
    // Numbers keyed by their digits, with leading zeros, with and without '+', and texts that
    // are listed by their text (too long, not digits).
    const callers = ['+919811111111', '+919800000001', '5551234', '+919822222222', '05551234']
    callers.push('+5551234', '009811111111', '+12345678901234567', 'anonymous', '+91 98111')
    fc.assert(
      fc.property(
        fc.array(
          fc.array(
            fc.record({
              caller: fc.constantFrom(...callers),
              agent: fc.option(fc.constantFrom('+919822222222', '+919833333333'), { nil: null }),
              numericId: fc.boolean(),
            }),
            { maxLength: 12 },
          ),
          { maxLength: 4 },
        ),
        fc.stringMatching(/^\d{1,5}$/),
        (months, q) => {
          let n = 0
          const loaded = months.map((specs) => {
            const rows = specs.map((spec) =>
              rowFor(spec.numericId ? String(9000 + n++) : `id-${n++}`, {
                callerNumber: spec.caller,
                agentNumber: spec.agent,
              }),
            )
            const read = decodeIndexMonth(encodeIndexBinary('2026-03', rows), '2026-03')
            return { rows, cols: read!.columns! }
          })
          const byRow = new NumberIndex()
          // Agents first, as start-up does: a number that is an agent's anywhere is scanned.
          for (const m of loaded)
            for (const r of m.rows)
              if (r.agent)
                byRow.add(
                  { ...r, caller: r.agent },
                  { caller: r.agent, agent: null, virtual: null },
                )
          for (const m of loaded) for (const r of m.rows) byRow.add(r)
          const byMonth = new NumberIndex()
          for (const m of loaded) byMonth.listNumbers(m.cols.agentAndVirtualNumbers())
          for (const m of loaded) byMonth.addColumns(m.cols)
          byMonth.endColumns()
          // Listing makes no row (but a numeric id's, which is listed on its own).
          const numeric = loaded.flatMap((m) => m.rows).filter((r) => /^\d+$/.test(r.id)).length
          expect(loaded.reduce((a, m) => a + m.cols.rowsMade, 0)).toBe(numeric)
          const ids = (rows: readonly { id: string }[] | null) =>
            rows && [...new Set(rows.map((r) => r.id))].sort()
          expect(ids(byMonth.rowsContaining(q, 1000))).toEqual(ids(byRow.rowsContaining(q, 1000)))
          for (const c of callers) expect(ids(byMonth.rowsOf(c))).toEqual(ids(byRow.rowsOf(c)))
        },
      ),
      { numRuns: 200 },
    )
  })
})

describe('numberKey', () => {
  it('gives two texts the same key only when they are the same text, and 0 to what is not a number', () => {
    const text = fc.stringMatching(/^\+?[0-9]{0,16}$|^[0-9a+ -]{0,6}$/)
    fc.assert(
      fc.property(text, text, (a, b) => {
        const ka = numberKey(a, 0, a.length)
        const kb = numberKey(b, 0, b.length)
        expect(ka > 0).toBe(/^\+?[0-9]{1,14}$/.test(a))
        if (ka > 0 && ka === kb) expect(a).toBe(b)
        expect(Number.isSafeInteger(ka)).toBe(true)
        // Read inside a larger text, the same.
        const wide = `x\n${a}\n`
        expect(numberKey(wide, 2, 2 + a.length)).toBe(ka)
      }),
      { numRuns: 2000 },
    )
    expect(numberKey('+919876543210', 0, 13)).not.toBe(numberKey('919876543210', 0, 12))
    expect(numberKey('0123', 0, 4)).not.toBe(numberKey('123', 0, 3))
  })
})
