import { appendFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { FileCallStore } from '../../../src/main/storage/folder/fileCallStore'
import { defaultJournalIo, type JournalIo } from '../../../src/main/storage/folder/journal'
import type { Call } from '../../../src/shared/domain'
import { fields, raw, storeHarness } from './fixtures'

const stores = storeHarness()
const { openStore, crash } = stores

async function everything(s: FileCallStore): Promise<Call[]> {
  const out: Call[] = []
  for await (const c of s.iterate({})) out.push(c)
  return out
}

describe('FileCallStore upsert', () => {
  it('creates, repeats unchanged, updates with history and keeps firstReceivedAt', async () => {
    const s = await openStore()
    const a = await s.upsert(fields('c1', '2026-03-10'), raw('c1'), '2026-03-10T04:31:00.000Z')
    expect(a.outcome).toBe('created')
    expect(a.call).toMatchObject({ revision: 1, history: [], firstReceivedAt: a.call.receivedAt })

    const same = await s.upsert(fields('c1', '2026-03-10'), raw('c1'), '2026-03-10T04:32:00.000Z')
    expect(same.outcome).toBe('unchanged')
    expect(same.call.revision).toBe(1)

    const late = fields('c1', '2026-03-10', '10:00:00', {
      recordingUrl: 'https://rec.example/1.mp3',
    })
    const upd = await s.upsert(late, raw('c1'), '2026-03-10T04:40:00.000Z')
    expect(upd.outcome).toBe('updated')
    expect(upd.call.revision).toBe(2)
    expect(upd.call.firstReceivedAt).toBe('2026-03-10T04:31:00.000Z')
    expect(upd.call.receivedAt).toBe('2026-03-10T04:40:00.000Z')
    expect(upd.call.history).toHaveLength(1)
    expect(upd.call.history[0]).toMatchObject({ revision: 1, recordingUrl: null })

    // A change in the raw parameters alone is a new revision too.
    const rawOnly = await s.upsert(late, raw('c1', { extra: 'x' }), '2026-03-10T04:50:00.000Z')
    expect(rawOnly.outcome).toBe('updated')
    expect(rawOnly.call.history.map((h) => h.revision)).toEqual([1, 2])
    expect(s.size()).toBe(1)
    expect(s.lastPushAt()).toBe('2026-03-10T04:50:00.000Z')
  })

  it('200 parallel upserts of one id store exactly one record', async () => {
    const s = await openStore()
    const results = await Promise.all(
      Array.from({ length: 200 }, () =>
        s.upsert(fields('dup', '2026-03-12'), raw('dup'), '2026-03-12T05:00:00.000Z'),
      ),
    )
    expect(results.filter((r) => r.outcome === 'created')).toHaveLength(1)
    expect(results.filter((r) => r.outcome === 'unchanged')).toHaveLength(199)
    expect(s.size()).toBe(1)
    expect((await s.query({})).total).toBe(1)
  })

  it('shares fsyncs between concurrent distinct pushes', async () => {
    const s = await openStore()
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        s.upsert(fields(`g${i}`, '2026-03-12'), raw(`g${i}`), '2026-03-12T05:00:00.000Z'),
      ),
    )
    expect(s.size()).toBe(50)
    expect(s.journalSyncs).toBeLessThan(50)
  })

  it('moves a call to another month when a later push changes its date', async () => {
    const s = await openStore()
    await s.upsert(fields('mv', '2026-02-27'), raw('mv'), 'r1')
    await s.upsert(fields('mv', '2026-03-02'), raw('mv'), 'r2')
    expect(s.size()).toBe(1)
    expect((await s.query({ from: '2026-02-01', to: '2026-02-28' })).total).toBe(0)
    expect((await s.query({ from: '2026-03-01', to: '2026-03-31' })).total).toBe(1)
    await s.close()
    const again = await openStore()
    expect(again.size()).toBe(1)
    expect((await again.get('mv'))?.date).toBe('2026-03-02')
  })
})

describe('FileCallStore refused writes', () => {
  /** A disk that refuses every journal sync while `full` is set. */
  function disk(): { io: JournalIo; full: boolean } {
    const d = {
      full: true,
      io: {
        write: defaultJournalIo.write,
        sync: async (fh) => {
          if (d.full) throw Object.assign(new Error('no space left'), { code: 'ENOSPC' })
          await defaultJournalIo.sync(fh)
        },
      } satisfies JournalIo,
    }
    return d
  }

  it('two versions of one call refused together leave the last durable one, so a retry is stored', async () => {
    const d = disk()
    const s = await openStore({ journalIo: d.io })
    const first = fields('x', '2026-03-10', '10:00:00', { talkSeconds: 60 })
    const second = fields('x', '2026-03-10', '10:00:00', { talkSeconds: 61 })
    // The second is decided against the first while the first is still in flight.
    const a = s.upsert(first, raw('x'), '2026-03-10T04:31:00.000Z')
    const b = s.upsert(second, raw('x'), '2026-03-10T04:31:01.000Z')
    await expect(a).rejects.toMatchObject({ code: 'ENOSPC' })
    await expect(b).rejects.toMatchObject({ code: 'ENOSPC' })
    // Neither was written: memory holds neither.
    expect(await s.get('x')).toBeNull()
    d.full = false
    // The vendor retries the first: it is new again (stored, announced), not "unchanged".
    const retry = await s.upsert(first, raw('x'), '2026-03-10T04:32:00.000Z')
    expect(retry.outcome).toBe('created')
    crash(s)
    const again = await openStore()
    expect((await again.get('x'))?.talkSeconds).toBe(60)
  })

  it('a version refused after the one before it was written falls back to that one', async () => {
    const d = disk()
    d.full = false
    const s = await openStore({ journalIo: d.io })
    const first = fields('y', '2026-03-10', '10:00:00', { talkSeconds: 60 })
    await s.upsert(first, raw('y'), '2026-03-10T04:31:00.000Z')
    d.full = true
    const second = fields('y', '2026-03-10', '10:00:00', { talkSeconds: 61 })
    const third = fields('y', '2026-03-10', '10:00:00', { talkSeconds: 62 })
    const b = s.upsert(second, raw('y'), '2026-03-10T04:31:01.000Z')
    const c = s.upsert(third, raw('y'), '2026-03-10T04:31:02.000Z')
    await expect(b).rejects.toMatchObject({ code: 'ENOSPC' })
    await expect(c).rejects.toMatchObject({ code: 'ENOSPC' })
    expect((await s.get('y'))?.talkSeconds).toBe(60)
    d.full = false
    const retry = await s.upsert(second, raw('y'), '2026-03-10T04:32:00.000Z')
    expect(retry.outcome).toBe('updated')
    crash(s)
    expect((await (await openStore()).get('y'))?.talkSeconds).toBe(61)
  })
})

describe('FileCallStore restart', () => {
  async function seed(s: FileCallStore): Promise<void> {
    const dates = ['2025-11-05', '2026-01-20', '2026-02-28', '2026-03-01', '2026-03-14']
    await Promise.all(
      dates.flatMap((d, i) =>
        [0, 1, 2].map((k) =>
          s.upsert(
            fields(`r${i}-${k}`, d, `0${k}:15:00`, { status: k === 1 ? 'MISSED' : 'ANSWER' }),
            raw(`r${i}-${k}`),
            `${d}T0${k}:20:00.000Z`,
          ),
        ),
      ),
    )
    await s.upsert(
      fields('r0-0', '2025-11-05', '00:15:00', { department: 'Support' }),
      raw('r0-0'),
      '2026-03-14T09:00:00.000Z',
    )
  }

  it('is identical after a clean close and reopen', async () => {
    const s = await openStore()
    await seed(s)
    const before = await everything(s)
    const last = s.lastPushAt()
    await s.close()
    const again = await openStore()
    expect(await everything(again)).toEqual(before)
    expect(again.lastPushAt()).toBe(last)
    expect(again.size()).toBe(15)
  })

  it('is identical after a crash with no checkpoint (journal replay only)', async () => {
    const s = await openStore()
    await seed(s)
    const before = await everything(s)
    crash(s)
    const again = await openStore()
    expect(await everything(again)).toEqual(before)
    expect(again.lastPushAt()).toBe(s.lastPushAt())
  })

  it('is identical after a checkpoint, more pushes and a crash', async () => {
    const s = await openStore()
    await seed(s)
    await s.checkpoint()
    expect(await readdir(join(stores.dir, 'shards'))).toContain('2026-03.json')
    await s.upsert(fields('after', '2026-03-14'), raw('after'), '2026-03-14T10:00:00.000Z')
    await s.upsert(
      fields('r3-0', '2026-03-01', '00:15:00', { recordingUrl: 'https://r.example/a' }),
      raw('r3-0'),
      '2026-03-14T10:01:00.000Z',
    )
    const before = await everything(s)
    crash(s)
    const again = await openStore()
    expect(await everything(again)).toEqual(before)
    expect((await again.get('r3-0'))?.revision).toBe(2)
  })

  it('survives a torn last journal record: loses only that record, starts cleanly', async () => {
    const s = await openStore()
    await seed(s)
    const before = await everything(s)
    crash(s)
    const journals = await readdir(join(stores.dir, 'journal'))
    const active = join(
      stores.dir,
      'journal',
      journals
        .filter((n) => n.endsWith('.jsonl'))
        .sort()
        .at(-1)!,
    )
    await appendFile(active, '1a2b3c4d {"c":{"id":"torn","callerNum')
    const again = await openStore()
    expect(await everything(again)).toEqual(before)
    expect(await again.get('torn')).toBeNull()
    // And it keeps working after the cut.
    await again.upsert(fields('next', '2026-03-14'), raw('next'), 'x')
    await again.close()
    expect((await openStore()).size()).toBe(16)
  })
})

describe('FileCallStore queries', () => {
  async function seedQueries(s: FileCallStore): Promise<void> {
    const rows: [string, string, string, Parameters<typeof fields>[3]][] = [
      ['q1', '2026-02-28', '23:50:00', { status: 'MISSED', agentNumber: null, talkSeconds: null }],
      ['q2', '2026-03-01', '00:10:00', { status: 'ANSWER', department: 'Support' }],
      ['q3', '2026-03-01', '12:00:00', { status: 'DROPPED', circle: 'Delhi', agentNumber: null }],
      ['q4', '2026-03-02', '09:00:00', { callerNumber: '+919900011122' }],
      ['q5', '2026-03-03', '09:00:00', { agentNumber: '+919800000001', department: 'Billing' }],
    ]
    for (const [id, d, t, over] of rows) await s.upsert(fields(id, d, t, over), raw(id), 'r')
  }
  const ids = (calls: Call[]): string[] => calls.map((c) => c.id)

  it('puts a call at 00:10 IST on its local date although UTC says the day before', async () => {
    const s = await openStore()
    await seedQueries(s)
    expect(ids((await s.query({ from: '2026-03-01', to: '2026-03-01' })).calls)).toEqual([
      'q3',
      'q2',
    ])
    expect(ids((await s.query({ from: '2026-02-28', to: '2026-02-28' })).calls)).toEqual(['q1'])
    expect(await s.countsForDate('2026-03-01')).toEqual({
      total: 2,
      answered: 1,
      missed: 0,
      dropped: 1,
    })
  })

  it('applies each filter', async () => {
    const s = await openStore()
    await seedQueries(s)
    expect(ids((await s.query({ status: 'MISSED' })).calls)).toEqual(['q1'])
    expect(ids((await s.query({ agent: '98000 00001' })).calls)).toEqual(['q5'])
    expect(ids((await s.query({ department: 'support' })).calls)).toEqual(['q2'])
    expect(ids((await s.query({ circle: 'DELHI' })).calls)).toEqual(['q3'])
    expect(ids((await s.query({ q: '99000-111' })).calls)).toEqual(['q4'])
    expect(ids((await s.query({ q: 'billing' })).calls)).toEqual(['q5'])
    expect(ids((await s.query({ q: 'Q3' })).calls)).toEqual(['q3'])
    const page = await s.query({ from: '2026-03-01', status: 'ANSWER' })
    expect(ids(page.calls)).toEqual(['q5', 'q4', 'q2'])
    expect(page.total).toBe(3)
    expect(ids(await s.byCaller('9900011122'))).toEqual(['q4'])
    await expect(s.query({ from: '2026-02-30' })).rejects.toThrow(/Invalid date/)
    await expect(s.query({ cursor: 'nonsense' })).rejects.toThrow(/Invalid cursor/)
  })

  it('pages with a cursor over every match exactly once, newest first', async () => {
    const s = await openStore({ hotMonths: 1, coldCacheMonths: 1 })
    const all: string[] = []
    for (let i = 0; i < 137; i++) {
      const d = `2026-0${1 + (i % 3)}-${String(1 + (i % 27)).padStart(2, '0')}`
      // Several calls share a start time: the id breaks the tie.
      await s.upsert(fields(`p${i}`, d, '08:00:00'), raw(`p${i}`), 'r')
      all.push(`p${i}`)
    }
    await s.checkpoint()
    const seen: Call[] = []
    let cursor: string | undefined
    for (;;) {
      const page = await s.query({ limit: 20, cursor })
      expect(page.total).toBe(137)
      seen.push(...page.calls)
      if (!page.nextCursor) break
      cursor = page.nextCursor
    }
    expect(ids(seen).sort()).toEqual(all.sort())
    for (let i = 1; i < seen.length; i++) {
      const a = seen[i - 1]!
      const b = seen[i]!
      const order = Date.parse(a.startedAt) - Date.parse(b.startedAt) || (a.id > b.id ? 1 : -1)
      expect(order).toBeGreaterThan(0)
    }
  })

  it('loses nothing when older months are evicted from the cache', async () => {
    const s = await openStore({ hotMonths: 1, coldCacheMonths: 1 })
    const months = ['2025-09', '2025-10', '2025-11', '2025-12']
    for (const m of months)
      for (let k = 0; k < 5; k++)
        await s.upsert(fields(`${m}-${k}`, `${m}-1${k}`), raw(`${m}-${k}`), 'r')
    await s.checkpoint()
    // Update a call in a cold month, then touch the others so its month is evicted.
    await s.upsert(
      fields('2025-09-2', '2025-09-12', '10:00:00', { department: 'Moved' }),
      raw('2025-09-2'),
      'r2',
    )
    for (const m of months.slice(1)) await s.query({ from: `${m}-01`, to: `${m}-28` })
    expect((await s.get('2025-09-2'))?.department).toBe('Moved')
    for (const m of months) {
      const page = await s.query({ from: `${m}-01`, to: `${m}-28` })
      expect(page.calls).toHaveLength(5)
    }
    await s.close()
    const again = await openStore({ hotMonths: 1, coldCacheMonths: 1 })
    expect(again.size()).toBe(20)
    expect((await again.get('2025-09-2'))?.department).toBe('Moved')
    expect((await again.get('2025-12-4'))?.id).toBe('2025-12-4')
  })
})
