import { readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FileCallStore } from '../../../src/main/storage/folder/fileCallStore'
import { indexPath, journalPath, shardPath } from '../../../src/main/storage/folder/shardFiles'
import type { StorageProblemReport, StorageReporter } from '../../../src/main/storage/types'
import type { Call } from '../../../src/shared/domain'
import { fakeClock, fields, logger, raw, tempDir, ZONE } from './fixtures'

/**
 * Fault injection on the call store's files: each test counts the calls acknowledged (upsert
 * resolved) before the damage and the calls present after it, and allows only the calls whose
 * bytes were physically destroyed to be missing.
 */
let dir: string
let cleanup: () => Promise<void>
const open: FileCallStore[] = []
beforeEach(async () => ({ dir, cleanup } = await tempDir()))
afterEach(async () => {
  await Promise.allSettled(open.splice(0).map((s) => s.close()))
  await cleanup()
})

function recorder(): StorageReporter & { problems: StorageProblemReport[] } {
  const problems: StorageProblemReport[] = []
  return { problems, problem: (p) => problems.push(p), recovered: () => {} }
}

async function openStore(reporter?: StorageReporter, now = '2026-03-15T12:00:00+05:30') {
  const s = await FileCallStore.open({
    dir,
    timezone: ZONE,
    clock: fakeClock(now),
    logger,
    checkpointIntervalMs: 0,
    // Only the current month is hot: January is read from disk, the way older months are.
    hotMonths: 1,
    reporter,
  })
  open.push(s)
  return s
}

/** 40 calls in January and 40 in March; returns the acknowledged ids. */
async function seed(s: FileCallStore): Promise<string[]> {
  const ids: string[] = []
  for (let i = 0; i < 40; i++) {
    for (const [m, d] of [
      ['jan', '2026-01-10'],
      ['mar', '2026-03-10'],
    ] as const) {
      const id = `${m}-${String(i).padStart(2, '0')}`
      const t = `10:${String(i).padStart(2, '0')}:00`
      await s.upsert(
        fields(id, d, t, { callerNumber: `+9198765432${String(i).padStart(2, '0')}` }),
        raw(id),
        '2026-03-15T06:00:00.000Z',
      )
      ids.push(id)
    }
  }
  return ids
}

async function all(s: FileCallStore): Promise<Call[]> {
  const out: Call[] = []
  for await (const c of s.iterate({})) out.push(c)
  return out
}

async function closeStore(s: FileCallStore): Promise<void> {
  await s.close()
  open.splice(open.indexOf(s), 1)
}

/** Seeds, checkpoints and closes: the months are on disk, the journal empty. */
async function seededOnDisk(): Promise<string[]> {
  const s = await openStore()
  const ids = await seed(s)
  await closeStore(s)
  return ids
}

/** The byte offset of `text` inside the month file of January (must be there once). */
async function offsetIn(file: string, text: string): Promise<number> {
  const doc = await readFile(file)
  const at = doc.indexOf(text)
  expect(at).toBeGreaterThan(0)
  return at
}

async function flipByte(file: string, at: number, to: number): Promise<void> {
  const doc = await readFile(file)
  doc[at] = to
  await writeFile(file, doc)
}

describe('damage contained to the record or the month it hit', () => {
  it('a byte flipped inside a string of a month file: that call is set aside, every other call kept', async () => {
    const acked = await seededOnDisk()
    const jan = shardPath(dir, '2026-01')
    // A digit of jan-07's caller number: the JSON still parses, only the checksum can tell.
    const at = await offsetIn(jan, '"callerNumber":"+919876543207"')
    await flipByte(jan, at + '"callerNumber":"+91987654'.length, 0x39)

    const rec = recorder()
    const s = await openStore(rec)
    const page = await s.query({ from: '2026-01-01', to: '2026-01-31', limit: 500 })
    expect(page.unreadable).toEqual([{ month: '2026-01', calls: 1 }])
    expect(page.calls.map((c) => c.id)).not.toContain('jan-07')
    expect(page.calls.every((c) => c.callerNumber !== '+919876549207')).toBe(true)
    expect(rec.problems).toHaveLength(1)
    expect(rec.problems[0]).toMatchObject({
      kind: 'month-set-aside',
      file: jan,
      lost: { count: 1, ids: ['jan-07'] },
    })
    expect(rec.problems[0]!.summary).toMatch(/checksum/)
    // Set aside (renamed), never deleted.
    const kept = rec.problems[0]!.keptAt!
    expect((await readFile(kept)).toString()).toContain('+919876549207')
    expect(await readdir(join(dir, 'damaged'))).toHaveLength(2)

    // Pushes, checkpoints and shutdown go on; the month is rebuilt without the damaged call.
    await s.upsert(fields('new-1', '2026-01-11'), raw('new-1'), '2026-03-15T07:00:00.000Z')
    await s.checkpoint()
    await closeStore(s)
    const again = await openStore(recorder())
    const present = new Set((await all(again)).map((c) => c.id))
    const lost = acked.filter((id) => !present.has(id))
    expect(lost).toEqual(['jan-07'])
    expect(present.has('new-1')).toBe(true)
  })

  it('a byte flipped in the syntax of a month file: history and export answer, one call lost', async () => {
    const acked = await seededOnDisk()
    const jan = shardPath(dir, '2026-01')
    // The comma between two calls becomes a letter: the document no longer parses.
    const at = await offsetIn(jan, '},{"id":"jan-20"')
    await flipByte(jan, at + 1, 0x78)

    const rec = recorder()
    const s = await openStore(rec)
    const exported = await all(s)
    expect(rec.problems.map((p) => p.kind)).toEqual(['month-set-aside'])
    const present = new Set(exported.map((c) => c.id))
    const lost = acked.filter((id) => !present.has(id))
    // The flipped byte sat between two calls: both are still read from their own start.
    expect(lost.length).toBeLessThanOrEqual(1)
    expect(await s.get('mar-05')).not.toBeNull()
  })

  it('a truncated month file: the calls before the cut are kept, start-up names the file', async () => {
    const acked = await seededOnDisk()
    const jan = shardPath(dir, '2026-01')
    const cut = await offsetIn(jan, '{"id":"jan-30"')
    await truncate(jan, cut + 40)

    const rec = recorder()
    const s = await openStore(rec)
    const present = new Set((await all(s)).map((c) => c.id))
    const lost = acked.filter((id) => !present.has(id))
    // Physically destroyed: jan-30 (cut in the middle) and every call after it in the file.
    const destroyed = acked.filter((id) => id.startsWith('jan-') && Number(id.slice(4)) >= 30)
    expect(lost.sort()).toEqual(destroyed.sort())
    expect(rec.problems[0]).toMatchObject({ kind: 'month-set-aside', file: jan })
    expect(rec.problems[0]!.lost!.count).toBe(destroyed.length)
  })

  it('a truncated index: rebuilt from its month, nothing lost', async () => {
    const acked = await seededOnDisk()
    await truncate(indexPath(dir, '2026-01'), 100)
    const rec = recorder()
    const s = await openStore(rec)
    const present = new Set((await all(s)).map((c) => c.id))
    expect(acked.filter((id) => !present.has(id))).toEqual([])
    expect(rec.problems).toEqual([])
  })

  it('a truncated index and a damaged month: the month is read on its own', async () => {
    const acked = await seededOnDisk()
    const jan = shardPath(dir, '2026-01')
    const at = await offsetIn(jan, '"callerNumber":"+919876543211"')
    await flipByte(jan, at + 20, 0x30)
    await truncate(indexPath(dir, '2026-01'), 100)
    const rec = recorder()
    const s = await openStore(rec)
    const present = new Set((await all(s)).map((c) => c.id))
    expect(acked.filter((id) => !present.has(id))).toEqual(['jan-11'])
    expect(rec.problems[0]!.summary).toMatch(/cannot be named/)
  })

  it('a byte flipped in the middle of the journal: only that record is lost', async () => {
    const s = await openStore()
    const acked: string[] = []
    for (let i = 0; i < 100; i++) {
      const id = `j-${String(i).padStart(3, '0')}`
      await s.upsert(fields(id, '2026-03-12', '09:00:00'), raw(id), '2026-03-15T06:00:00.000Z')
      acked.push(id)
    }
    // A crash: nothing checkpointed, everything is in the journal.
    open.splice(open.indexOf(s), 1)
    const path = journalPath(dir, 1)
    const data = await readFile(path)
    const lines = data.toString().split('\n')
    const at = lines.slice(0, 50).join('\n').length + 1 + Math.floor(lines[50]!.length / 2)
    data[at] = data[at] === 0x41 ? 0x42 : 0x41
    await writeFile(path, data)

    const rec = recorder()
    const again = await openStore(rec)
    const present = new Set((await all(again)).map((c) => c.id))
    expect(acked.filter((id) => !present.has(id))).toEqual(['j-050'])
    expect(rec.problems).toHaveLength(1)
    expect(rec.problems[0]).toMatchObject({ kind: 'records-skipped', file: path })
    const kept = rec.problems[0]!.keptAt!
    expect((await stat(kept)).mode & 0o777).toBe(0o600)
    expect(await readFile(kept, 'utf8')).toContain(
      `"offset":${lines.slice(0, 50).join('\n').length + 1}`,
    )
    // The damaged journal is retired by a checkpoint right away: a restart reports nothing new.
    await again.checkpointIdle()
    await closeStore(again)
    const rec2 = recorder()
    const third = await openStore(rec2)
    expect(third.size()).toBe(99)
    expect(rec2.problems).toEqual([])
  })

  it("a damaged record between a call's update records: the updates around it replay", async () => {
    const s = await openStore()
    // Two calls of five versions each: the first version journalled whole (`c`), each later one
    // as its own version (`u`), one line each, in this order.
    const version = (id: string, n: number) =>
      s.upsert(
        fields(id, '2026-03-12', '09:00:00', { recordingUrl: `https://rec.example/${id}${n}.mp3` }),
        raw(id, { n: String(n) }),
        `2026-03-15T06:0${n}:00.000Z`,
      )
    for (let n = 1; n <= 5; n++) {
      await version('upd', n)
      await version('new', n)
    }
    const before = (await s.get('upd'))!
    open.splice(open.indexOf(s), 1)
    const path = journalPath(dir, 1)
    const lines = (await readFile(path, 'utf8')).split('\n')
    expect(lines[4]).toMatch(/ \{"q":5,"u":\{"id":"upd",.*"revision":3,/)
    expect(lines[1]).toMatch(/ \{"q":2,"c":\{"id":"new",.*"revision":1,/)
    // Damage upd's third version and new's first (its only whole record).
    const data = await readFile(path)
    for (const line of [4, 1]) {
      const at = lines.slice(0, line).join('\n').length + 1 + Math.floor(lines[line]!.length / 2)
      data[at] = data[at] === 0x41 ? 0x42 : 0x41
    }
    await writeFile(path, data)

    const rec = recorder()
    const again = await openStore(rec)
    expect(rec.problems).toHaveLength(1)
    // Counted by the gaps in the record numbers, and named from the starts that survived.
    expect(rec.problems[0]).toMatchObject({ kind: 'records-skipped', lost: { count: 2 } })
    expect(rec.problems[0]!.lost!.ids.sort()).toEqual(['new', 'upd'])
    // The newest version of each call is back; only the damaged versions are missing from the
    // history, which goes on from the versions that replayed.
    const upd = (await again.get('upd'))!
    const { history: _h, ...current } = before
    expect(upd).toMatchObject(current)
    expect(upd.history.map((h) => h.revision)).toEqual([1, 2, 4])
    const fresh = (await again.get('new'))!
    expect(fresh).toMatchObject({ revision: 5, recordingUrl: 'https://rec.example/new5.mp3' })
    expect(fresh.history.map((h) => h.revision)).toEqual([2, 3, 4])
    // A later push goes on from there, and the damaged journal is retired by a checkpoint.
    const sixth = await again.upsert(
      fields('upd', '2026-03-12', '09:00:00', { recordingUrl: 'https://rec.example/upd6.mp3' }),
      raw('upd', { n: '6' }),
      '2026-03-15T06:06:00.000Z',
    )
    expect(sixth.call.history.map((h) => h.revision)).toEqual([1, 2, 4, 5])
    await again.checkpointIdle()
    await closeStore(again)
    const rec2 = recorder()
    const third = await openStore(rec2)
    expect(await third.get('upd')).toEqual(sixth.call)
    expect(await third.get('new')).toEqual(fresh)
    expect(rec2.problems).toEqual([])
  })

  it('a backup holds checkpoints: month files stay as they are while it copies', async () => {
    const s = await openStore()
    await s.upsert(fields('h-1', '2026-03-10'), raw('h-1'), '2026-03-15T06:00:00.000Z')
    let release!: () => void
    const held = s.holdCheckpoints(() => new Promise<void>((r) => (release = r)))
    let done = false
    const cp = s.checkpoint().then(() => (done = true))
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r))
    expect(done).toBe(false)
    await expect(stat(shardPath(dir, '2026-03'))).rejects.toThrow(/ENOENT/)
    release()
    await held
    await cp
    expect((await stat(shardPath(dir, '2026-03'))).size).toBeGreaterThan(0)
  })

  it('a damaged meta.json: set aside, every journal replayed, nothing lost', async () => {
    const s = await openStore()
    const acked = await seed(s)
    // A crash: part of the calls only in the journal, then the bookkeeping file damaged.
    await s.checkpoint()
    await s.upsert(fields('late', '2026-03-11'), raw('late'), '2026-03-15T07:00:00.000Z')
    open.splice(open.indexOf(s), 1)
    await writeFile(join(dir, 'meta.json'), '{"v":1,"timezone":"Asia/Kol')
    const rec = recorder()
    const again = await openStore(rec)
    const present = new Set((await all(again)).map((c) => c.id))
    expect([...acked, 'late'].filter((id) => !present.has(id))).toEqual([])
    expect(rec.problems[0]).toMatchObject({
      kind: 'document-set-aside',
      file: join(dir, 'meta.json'),
    })
  })
})
