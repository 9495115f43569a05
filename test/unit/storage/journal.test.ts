import { appendFile, readFile, readdir, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  defaultJournalIo,
  encodeRecord,
  Journal,
  replayJournal,
  type JournalIo,
} from '../../../src/main/storage/folder/journal'
import { tempDir } from './fixtures'

let dir: string
let cleanup: () => Promise<void>
beforeEach(async () => ({ dir, cleanup } = await tempDir()))
afterEach(() => cleanup())

/** An I/O seam that records, for every fsync, how many appends had resolved before it finished. */
function countingIo(): JournalIo & { syncs: number } {
  const io = {
    syncs: 0,
    write: defaultJournalIo.write,
    async sync(fh: Parameters<JournalIo['sync']>[0]) {
      await defaultJournalIo.sync(fh)
      io.syncs++
    },
  }
  return io
}

describe('Journal', () => {
  it('group-commits concurrent appends: fewer fsyncs than appends, each resolved after its fsync', async () => {
    const io = countingIo()
    const path = join(dir, 'j.jsonl')
    const j = await Journal.open(path, io)
    const resolvedAt: number[] = []
    const n = 100
    await Promise.all(
      Array.from({ length: n }, (_, i) =>
        j.append({ i }).then(() => {
          // The fsync covering this record has completed when the promise resolves.
          resolvedAt.push(io.syncs)
        }),
      ),
    )
    expect(resolvedAt).toHaveLength(n)
    expect(resolvedAt.every((s) => s >= 1)).toBe(true)
    expect(io.syncs).toBeLessThan(n)
    expect(j.syncCount).toBe(io.syncs)
    await j.close()
    const { records } = await replayJournal<{ i: number }>(path)
    expect(records.map((r) => r.i).sort((a, b) => a - b)).toEqual([...Array(n).keys()])
  })

  it('batches appends that arrive while an fsync is in flight', async () => {
    let release!: () => void
    let first = true
    const io: JournalIo = {
      write: defaultJournalIo.write,
      async sync(fh) {
        if (first) {
          first = false
          await new Promise<void>((r) => (release = r))
        }
        await defaultJournalIo.sync(fh)
      },
    }
    const j = await Journal.open(join(dir, 'j.jsonl'), io)
    const a = j.append({ n: 0 })
    await new Promise((r) => setTimeout(r, 10))
    let later = 0
    const rest = Array.from({ length: 20 }, (_, i) => j.append({ n: i + 1 }).then(() => later++))
    await new Promise((r) => setTimeout(r, 10))
    expect(later).toBe(0) // nothing resolves before its fsync
    release()
    await Promise.all([a, ...rest])
    expect(j.syncCount).toBe(2)
    expect(j.recordCount).toBe(21)
    await j.close()
  })

  it('rejects every append of a batch whose fsync fails, and cuts the file back', async () => {
    let fail = true
    const io: JournalIo = {
      write: defaultJournalIo.write,
      async sync(fh) {
        if (fail) throw new Error('disk full')
        await defaultJournalIo.sync(fh)
      },
    }
    const path = join(dir, 'j.jsonl')
    const j = await Journal.open(path, io)
    const results = await Promise.allSettled([j.append({ a: 1 }), j.append({ a: 2 })])
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected'])
    fail = false
    await j.append({ a: 3 })
    await j.close()
    expect((await replayJournal<{ a: number }>(path)).records).toEqual([{ a: 3 }])
  })

  it('cuts a torn last record on replay, keeps the bytes aside, and appends after it', async () => {
    const path = join(dir, 'j.jsonl')
    const good = Buffer.concat([encodeRecord({ a: 1 }), encodeRecord({ a: 2 })])
    const torn = encodeRecord({ a: 3, long: 'x'.repeat(50) }).subarray(0, 30)
    await writeFile(path, Buffer.concat([good, torn]))
    const res = await replayJournal<{ a: number }>(path)
    expect(res.records).toEqual([{ a: 1 }, { a: 2 }])
    expect(res.truncatedBytes).toBe(30)
    expect((await readFile(path)).equals(good)).toBe(true)
    const aside = (await readdir(dir)).filter((n) => n.includes('.damaged-'))
    expect(aside).toHaveLength(1)

    const j = await Journal.open(path)
    await j.append({ a: 4 })
    await j.close()
    expect((await replayJournal<{ a: number }>(path)).records.map((r) => r.a)).toEqual([1, 2, 4])
  })

  it('skips a record whose checksum does not match and goes on with the next one', async () => {
    const path = join(dir, 'j.jsonl')
    const bad = encodeRecord({ a: 2 }).toString().replace('"a":2', '"a":9')
    await writeFile(path, encodeRecord({ a: 1 }))
    await appendFile(path, bad)
    await appendFile(path, encodeRecord({ a: 3 }))
    const before = await readFile(path)
    const res = await replayJournal<{ a: number }>(path, 1234)
    expect(res.records).toEqual([{ a: 1 }, { a: 3 }])
    expect(res.truncatedBytes).toBe(0)
    const offset = encodeRecord({ a: 1 }).length
    expect(res.skipped).toEqual([{ offset, length: Buffer.byteLength(bad) }])
    // The journal itself is left as it was; the damaged record is kept aside, owner-only.
    expect((await readFile(path)).equals(before)).toBe(true)
    expect(res.asidePath).toBe(`${path}.damaged-1234`)
    const aside = JSON.parse((await readFile(res.asidePath!, 'utf8')).trim())
    expect(aside).toMatchObject({ offset, kind: 'skipped', text: bad })
    expect(Buffer.from(aside.base64, 'base64').toString()).toBe(bad)
    expect((await stat(res.asidePath!)).mode & 0o777).toBe(0o600)
  })

  it('finds the next record inside a line whose newline was damaged', async () => {
    const path = join(dir, 'j.jsonl')
    const one = encodeRecord({ a: 1 })
    one[one.length - 1] = 0x78 // the newline becomes "x": records 1 and 2 share a line
    await writeFile(path, Buffer.concat([one, encodeRecord({ a: 2 }), encodeRecord({ a: 3 })]))
    const res = await replayJournal<{ a: number }>(path)
    expect(res.records.map((r) => r.a)).toEqual([2, 3])
    expect(res.skipped).toEqual([{ offset: 0, length: one.length }])
  })

  it('keeps a last record that lost only its newline, and appends after it', async () => {
    const path = join(dir, 'j.jsonl')
    const last = encodeRecord({ a: 2 })
    await writeFile(path, Buffer.concat([encodeRecord({ a: 1 }), last.subarray(0, -1)]))
    const res = await replayJournal<{ a: number }>(path)
    expect(res.records.map((r) => r.a)).toEqual([1, 2])
    expect(res.truncatedBytes).toBe(0)
    const j = await Journal.open(path)
    await j.append({ a: 3 })
    await j.close()
    expect((await replayJournal<{ a: number }>(path)).records.map((r) => r.a)).toEqual([1, 2, 3])
  })

  it('treats a missing file as empty and switches files without losing queued appends', async () => {
    expect((await replayJournal(join(dir, 'none.jsonl'))).records).toEqual([])
    const j = await Journal.open(join(dir, '1.jsonl'))
    const before = j.append({ n: 1 })
    const switching = j.switchTo(join(dir, '2.jsonl'))
    const after = j.append({ n: 2 })
    await Promise.all([before, switching, after])
    await j.close()
    const one = (await replayJournal<{ n: number }>(join(dir, '1.jsonl'))).records
    const two = (await replayJournal<{ n: number }>(join(dir, '2.jsonl'))).records
    expect([...one, ...two].map((r) => r.n).sort()).toEqual([1, 2])
    expect(one.map((r) => r.n)).toContain(1)
  })
})
