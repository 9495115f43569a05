import { appendFile, readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { compareRows } from '../../../src/main/storage/query'
import type { FileCallStore } from '../../../src/main/storage/folder/fileCallStore'
import { encodeRecord } from '../../../src/main/storage/folder/journal'
import { verifyMonth } from '../../../src/main/storage/folder/monthSeal'
import { readIndex, readShard, shardPath } from '../../../src/main/storage/folder/shardFiles'
import type { Call, CallCounts, CallStatus } from '../../../src/shared/domain'
import { seeded } from '../../support/fixtures'
import { fakeClock, fields, raw, storeHarness } from './fixtures'

/**
 * What the store keeps up to date as pushes arrive, so that no push scans, sorts or rewrites
 * history: today's counts, each month's rows in order, a call's bounded revisions.
 */
const stores = storeHarness()
const { crash } = stores
const openStore = (clock = fakeClock('2026-03-15T12:00:00+05:30')) => stores.openStore({ clock })

async function all(s: FileCallStore, from?: string, to?: string): Promise<Call[]> {
  const out: Call[] = []
  for await (const c of s.iterate({ from, to })) out.push(c)
  return out
}

/** Counts of one local date computed the slow way, from the calls themselves. */
async function reference(s: FileCallStore, date: string): Promise<CallCounts> {
  const calls = await all(s, date, date)
  const n = (st: CallStatus) => calls.filter((c) => c.status === st).length
  return { total: calls.length, answered: n('ANSWER'), missed: n('MISSED'), dropped: n('DROPPED') }
}

const counts = (total: number, answered: number, missed: number, dropped: number) => ({
  total,
  answered,
  missed,
  dropped,
})

const put = (s: FileCallStore, id: string, date: string, time: string, status: CallStatus) =>
  s.upsert(fields(id, date, time, { status }), raw(id, { status }), '2026-03-15T06:00:00.000Z')

describe("today's counts", () => {
  it('follow creates, changes of status and of date, and roll over at local midnight', async () => {
    const clock = fakeClock('2026-03-15T12:00:00+05:30')
    const s = await openStore(clock)
    await put(s, 'a', '2026-03-15', '09:00:00', 'ANSWER')
    await put(s, 'b', '2026-03-15', '09:30:00', 'MISSED')
    await put(s, 'y', '2026-03-14', '23:59:59', 'ANSWER')
    // The first ask counts today's rows once; from then on the tally follows every push.
    expect(await s.countsForDate('2026-03-15')).toEqual(counts(2, 1, 1, 0))
    await put(s, 'c', '2026-03-15', '00:00:00', 'DROPPED')
    await put(s, 'a', '2026-03-15', '09:00:00', 'MISSED') // a revision changes the status
    await put(s, 'y', '2026-03-15', '08:00:00', 'ANSWER') // a late correction moves it to today
    await put(s, 'b', '2026-03-01', '09:30:00', 'MISSED') // and this one out of today
    await put(s, 'n', '2026-03-16', '00:00:00', 'ANSWER') // tomorrow's first second
    expect(await s.countsForDate('2026-03-15')).toEqual(await reference(s, '2026-03-15'))
    expect(await s.countsForDate('2026-03-15')).toEqual(counts(3, 1, 1, 1))
    // Another date is counted from the rows, and leaves today's tally alone.
    expect(await s.countsForDate('2026-03-01')).toEqual(await reference(s, '2026-03-01'))

    // Local midnight (18:30 UTC): the new day starts from what is stored for it.
    clock.set('2026-03-16T00:00:01+05:30')
    expect(await s.countsForDate('2026-03-16')).toEqual(counts(1, 1, 0, 0))
    await put(s, 'm', '2026-03-16', '00:00:01', 'MISSED')
    expect(await s.countsForDate('2026-03-16')).toEqual(await reference(s, '2026-03-16'))
    expect(await s.countsForDate('2026-03-15')).toEqual(await reference(s, '2026-03-15'))
  })

  it('match the stored calls after hundreds of random pushes and revisions', async () => {
    const s = await openStore()
    const rnd = seeded(7)
    const statuses: CallStatus[] = ['ANSWER', 'MISSED', 'DROPPED']
    await s.countsForDate('2026-03-15')
    for (let i = 0; i < 600; i++) {
      const id = `r${Math.floor(rnd() * 200)}`
      const day = `2026-03-${rnd() < 0.7 ? '15' : '14'}`
      const time = `${String(Math.floor(rnd() * 24)).padStart(2, '0')}:00:00`
      await put(s, id, day, time, statuses[Math.floor(rnd() * 3)]!)
    }
    expect(await s.countsForDate('2026-03-15')).toEqual(await reference(s, '2026-03-15'))
  })
})

describe('month order', () => {
  it('reads back in order after a backlog pushed in random time order, and after a reopen', async () => {
    const s = await openStore()
    const rnd = seeded(11)
    const ids = Array.from({ length: 1500 }, (_, i) => `b${i}`)
    const at = new Map<string, string>()
    // Over two months, many calls in the same second, pushed concurrently in random order.
    for (let i = 0; i < ids.length; i += 100)
      await Promise.all(
        ids.slice(i, i + 100).map((id) => {
          const day = 1 + Math.floor(rnd() * 59)
          const date =
            day <= 28
              ? `2026-02-${String(day).padStart(2, '0')}`
              : `2026-03-${String(day - 28).padStart(2, '0')}`
          const time = `1${Math.floor(rnd() * 10)}:00:0${Math.floor(rnd() * 3)}`
          at.set(id, `${date} ${time}`)
          return put(s, id, date, time, 'ANSWER')
        }),
      )
    // A revision that moves a call's start time within its month, and one moving it out.
    await put(s, 'b7', '2026-03-02', '23:00:00', 'ANSWER')
    at.set('b7', '2026-03-02 23:00:00')
    await put(s, 'b8', '2026-01-31', '10:00:00', 'ANSWER')
    at.set('b8', '2026-01-31 10:00:00')

    const expected = [...at.entries()]
      .sort(([ia, a], [ib, b]) => (a < b ? 1 : a > b ? -1 : ia < ib ? 1 : -1))
      .map(([id]) => id)
    expect((await all(s)).map((c) => c.id)).toEqual(expected)
    // Pages walk the same order.
    const paged: string[] = []
    let cursor: string | undefined
    do {
      const page = await s.query({ limit: 137, cursor })
      paged.push(...page.calls.map((c) => c.id))
      cursor = page.nextCursor ?? undefined
    } while (cursor)
    expect(paged).toEqual(expected)

    await stores.close(s)
    const again = await openStore()
    expect((await all(again)).map((c) => c.id)).toEqual(expected)
    expect(again.size()).toBe(ids.length)
  })
})

/** The month file is sealed (its checksums verify) and holds `n` calls oldest first, as its index. */
async function expectSealedInOrder(month: string, n: number): Promise<void> {
  expect(verifyMonth(await readFile(shardPath(stores.dir, month))).state).toBe('intact')
  const calls = (await readShard(stores.dir, month)).map((c) => `${c.startedAt} ${c.id}`)
  expect(calls).toHaveLength(n)
  expect(calls).toEqual([...calls].sort())
  const rows = (await readIndex(stores.dir, month))!
  expect(rows.map((r) => r.id)).toEqual(calls.map((c) => c.split(' ')[1]))
  expect(rows.every((r, k) => k === 0 || compareRows(rows[k - 1]!, r) < 0)).toBe(true)
}

describe('month files', () => {
  it('a checkpoint right after out-of-order pushes writes the month sealed and in order', async () => {
    const s = await openStore()
    const rnd = seeded(5)
    const pushSome = async (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const day = String(1 + Math.floor(rnd() * 28)).padStart(2, '0')
        await put(s, `o${i}`, `2026-03-${day}`, `1${Math.floor(rnd() * 10)}:00:00`, 'ANSWER')
      }
    }
    // Nothing reads the month in between: its out-of-order rows are still waiting to be merged.
    await pushSome(0, 300)
    await s.checkpoint()
    await expectSealedInOrder('2026-03', 300)
    // And again into the month on disk, written by the checkpoint of closing.
    await pushSome(300, 400)
    await stores.close(s)
    await expectSealedInOrder('2026-03', 400)
  })
})

describe('revisions', () => {
  const journalBytes = async (): Promise<number> => {
    let n = 0
    for (const f of await readdir(join(stores.dir, 'journal')))
      n += (await stat(join(stores.dir, 'journal', f))).size
    return n
  }
  const version = (i: number) =>
    [
      fields('same', '2026-03-15', '10:00:00', { recordingUrl: `https://rec.example/${i}.mp3` }),
      raw('same', { n: String(i) }),
      `2026-03-15T05:${String(i % 60).padStart(2, '0')}:00.000Z`,
    ] as const

  it('keep the first and the last 20 earlier versions; the journal grows with the pushes', async () => {
    const s = await openStore()
    let after100 = 0
    for (let i = 1; i <= 400; i++) {
      expect((await s.upsert(...version(i))).outcome).toBe(i === 1 ? 'created' : 'updated')
      if (i === 100) after100 = await journalBytes()
    }
    const call = (await s.get('same'))!
    expect(call.revision).toBe(400)
    expect(call.history.map((h) => h.revision)).toEqual([
      1,
      ...Array.from({ length: 20 }, (_, k) => 380 + k),
    ])
    expect(call.history[0]!.recordingUrl).toBe('https://rec.example/1.mp3')
    expect(call.history.every((h) => !('history' in h))).toBe(true)
    // Bounded: 22 versions of a small call (a whole history each time made 1.45 MB).
    expect(JSON.stringify(call).length).toBeLessThan(30_000)
    // Linear: each push journals its own version (the whole history each time made 14 MB).
    const after400 = await journalBytes()
    expect(after400).toBeLessThan(400 * 2048)
    expect(after400 / after100).toBeLessThan(4.5)

    // After a crash the journal replays to the same call.
    crash(s)
    const again = await openStore()
    expect(await again.get('same')).toEqual(call)
  })

  it('replay the same after a checkpoint taken while the call kept changing', async () => {
    const s = await openStore()
    for (let i = 1; i <= 30; i++) await s.upsert(...version(i))
    // Updates race the checkpoint: some land in the month file and in the next journal both.
    const checkpoint = s.checkpoint()
    const more = Array.from({ length: 10 }, (_, k) => s.upsert(...version(31 + k)))
    await Promise.all([checkpoint, ...more])
    for (let i = 41; i <= 45; i++) await s.upsert(...version(i))
    const before = await s.get('same')
    expect(before!.revision).toBe(45)
    crash(s)
    const again = await openStore()
    expect(await again.get('same')).toEqual(before)
    await again.checkpoint()
    await stores.close(again)
    expect(await (await openStore()).get('same')).toEqual(before)
  })

  it('read journals written before update records existed (whole call per line)', async () => {
    const s = await openStore()
    const old = await s.upsert(...version(1))
    crash(s)
    // What an older version wrote for a second revision: the full call with its history.
    const { history: _h, ...first } = old.call
    const second = {
      ...old.call,
      revision: 2,
      recordingUrl: 'https://rec.example/old.mp3',
      history: [first],
    }
    const files = await readdir(join(stores.dir, 'journal'))
    await appendFile(join(stores.dir, 'journal', files.at(-1)!), encodeRecord({ c: second }))
    const again = await openStore()
    expect(await again.get('same')).toEqual(second)
    const third = await again.upsert(...version(3))
    expect(third.call.history.map((h) => h.revision)).toEqual([1, 2])
  })
})
