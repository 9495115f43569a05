import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { crc32 } from 'node:zlib'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { encodeIndex, type CallRow } from '../../../src/main/storage/folder/callIndex'
import {
  decodeIndexBinary,
  decodeIndexMonth,
  encodeIndexBinary,
  indexRegions,
  indexVersion,
} from '../../../src/main/storage/folder/indexFile'
import { hashId } from '../../../src/main/storage/folder/idTable'
import { MonthColumns } from '../../../src/main/storage/folder/monthColumns'
import { FileCallStore } from '../../../src/main/storage/folder/fileCallStore'
import { CallBulkLoader } from '../../../src/main/storage/folder/bulkLoad'
import {
  legacyIndexPath,
  indexPath,
  readIndex,
  readIndexFile,
} from '../../../src/main/storage/folder/shardFiles'
import { fakeClock, fields, logger, raw, tempDir, ZONE } from './fixtures'

const row = (over: Partial<CallRow>): CallRow => ({
  id: 'a',
  t: 1_772_000_000_123,
  s: 0,
  m: '2026-03',
  h: 9,
  caller: '+919876543210',
  agent: '+919812345678',
  virtual: '+918041234567',
  dept: 'Sales',
  circle: 'Karnataka',
  ivr: 12,
  talk: 60,
  revision: 1,
  off: 30,
  len: 500,
  ...over,
})

const rows: CallRow[] = [
  row({}),
  row({ id: 'ünïcode-✓-𝄞', s: 2, agent: null, dept: null, ivr: null, talk: null, revision: 7 }),
  row({ id: '1234567890', caller: '555', circle: null, virtual: null, off: -1, len: -1 }),
  row({ id: 'b', caller: '+919876543210', h: 23, off: 4_000_000_000 }),
]

describe('binary month index', () => {
  it('round-trips every column, nulls and non-ASCII ids', () => {
    const buf = encodeIndexBinary('2026-03', rows)
    expect(indexVersion(buf)).toBe(4)
    expect(decodeIndexBinary(buf, '2026-03')).toEqual(rows)
    // Version 3 (written before) is still read.
    const v3 = encodeIndexBinary('2026-03', rows, undefined, 3)
    expect(indexVersion(v3)).toBe(3)
    expect(decodeIndexBinary(v3, '2026-03')).toEqual(rows)
    // A caller with a line break cannot be a line of version 4's callers: version 2 is written.
    const odd = [row({ caller: 'a\nb' })]
    expect(indexVersion(encodeIndexBinary('2026-03', odd))).toBe(2)
    expect(decodeIndexBinary(encodeIndexBinary('2026-03', odd), '2026-03')).toEqual(odd)
    // Also when the bytes do not start on an 8-byte boundary.
    const shifted = Buffer.concat([Buffer.alloc(3), buf]).subarray(3)
    expect(decodeIndexBinary(shifted, '2026-03')).toEqual(rows)
    expect(decodeIndexBinary(encodeIndexBinary('2026-03', []), '2026-03')).toEqual([])
  })

  it.each([3, 4] as const)(
    'keeps a version %i index as columns: each row made once, on first use, ids compared and hashed in place',
    (version) => {
      const buf = encodeIndexBinary('2026-03', rows, undefined, version)
      const cols = decodeIndexMonth(buf, '2026-03')!.columns!
      expect(cols.n).toBe(rows.length)
      expect(cols.rowsMade).toBe(0)
      rows.forEach((r, i) => {
        expect(cols.idIs(i, r.id)).toBe(true)
        expect(cols.idIs(i, r.id + 'x')).toBe(false)
        expect(cols.idIs(i, r.id.slice(1))).toBe(false)
        expect(cols.idIs(i, r.id.slice(0, -1) + 'é')).toBe(false)
        expect(cols.idAlone(i)).toBe(r.id)
        expect(cols.idAt(i)).toBe(r.id)
        expect(cols.idAlone(i)).toBe(r.id)
        expect(cols.hashAt(i)).toBe(hashId(r.id))
        expect(cols.idIsDigits(i)).toBe(/^\d+$/.test(r.id))
      })
      expect(cols.agentAndVirtualNumbers().sort()).toEqual(['+918041234567', '+919812345678'])
      expect(cols.rowsMade).toBe(0)
      const second = cols.row(1)
      expect(second).toEqual(rows[1])
      expect(cols.rowsMade).toBe(1)
      const all = cols.rows()
      expect(all).toEqual(rows)
      expect(all[1]).toBe(second)
      expect(cols.row(1)).toBe(second)
      expect(cols.rowsMade).toBe(rows.length)
    },
  )

  it('reads a month of rows not in (startedAt, id) order as not sorted', () => {
    const sorted = [row({ id: 'a', t: 1 }), row({ id: 'b', t: 1 }), row({ id: 'a', t: 2 })]
    const cols = (r: CallRow[]) =>
      decodeIndexMonth(encodeIndexBinary('2026-03', r), '2026-03')!.columns!
    expect(cols(sorted).isSorted()).toBe(true)
    expect(cols([sorted[1]!, sorted[0]!, sorted[2]!]).isSorted()).toBe(false)
    expect(cols([sorted[0]!, sorted[2]!, sorted[1]!]).isSorted()).toBe(false)
    expect(cols([sorted[0]!, sorted[0]!]).isSorted()).toBe(false)
    // Ties compared as strings compare: a prefix first, a non-ASCII id after 'z'.
    const tie = (...ids: string[]) => cols(ids.map((id) => row({ id, t: 5 }))).isSorted()
    expect(tie('a', 'ab', 'b')).toBe(true)
    expect(tie('ab', 'a')).toBe(false)
    expect(tie('z', 'é', '𝄞')).toBe(true)
    expect(tie('é', 'z')).toBe(false)
    expect(tie('a\u00ff', 'a\u0100')).toBe(true)
  })

  it('refuses a torn, corrupt or foreign file', () => {
    const buf = encodeIndexBinary('2026-03', rows)
    expect(decodeIndexBinary(buf.subarray(0, buf.length - 5), '2026-03')).toBeNull()
    const flipped = Buffer.from(buf)
    flipped.writeUInt8(flipped.readUInt8(flipped.length - 2) ^ 0xff, flipped.length - 2)
    expect(decodeIndexBinary(flipped, '2026-03')).toBeNull()
    expect(decodeIndexBinary(buf, '2026-04')).toBeNull()
    expect(decodeIndexBinary(Buffer.from('{"v":1}'), '2026-03')).toBeNull()
    // A stored id hash that is not the id's (a writer with another hash, its checksum right):
    // refused, so the index is rebuilt rather than lookups failing.
    const badHash = Buffer.from(buf)
    const at = indexRegions(badHash).find((r) => r.name === 'hash')!.at
    badHash.writeUInt32LE(badHash.readUInt32LE(at) ^ 1, at)
    badHash.writeUInt32LE(crc32(badHash.subarray(12)), 8)
    expect(decodeIndexBinary(badHash, '2026-03')).toBeNull()
    // Any row's, not only the first or the last: every one is checked (ASCII ids in their bytes,
    // the others decoded).
    expect(rows.length).toBeGreaterThan(2)
    for (const month of [rows, rows.map((r, i) => ({ ...r, id: `ascii-${i}` }))]) {
      const file = encodeIndexBinary('2026-03', month)
      const hashes = indexRegions(file).find((r) => r.name === 'hash')!.at
      expect(decodeIndexBinary(file, '2026-03')).not.toBeNull()
      for (let i = 0; i < month.length; i++) {
        const bad = Buffer.from(file)
        bad.writeUInt32LE((bad.readUInt32LE(hashes + 4 * i) ^ 1) >>> 0, hashes + 4 * i)
        bad.writeUInt32LE(crc32(bad.subarray(12)), 8)
        expect(decodeIndexBinary(bad, '2026-03'), `${month[i]!.id}`).toBeNull()
      }
    }
  })
})

describe('index files of a store', () => {
  let dir: string
  let cleanup: () => Promise<void>
  beforeEach(async () => ({ dir, cleanup } = await tempDir()))
  afterEach(() => cleanup())
  const opts = () => ({ dir, timezone: ZONE, clock: fakeClock(), logger, checkpointIntervalMs: 0 })

  async function seeded(): Promise<void> {
    const s = await FileCallStore.open({ ...opts(), hotMonths: 1 })
    for (let i = 0; i < 5; i++) await s.upsert(fields(`i${i}`, `2026-01-1${i}`), raw(`i${i}`), 'r')
    await s.close()
  }

  it('rebuilds a corrupt binary index from the month document', async () => {
    await seeded()
    const before = await readIndex(dir, '2026-01')
    expect(before).toHaveLength(5)
    await writeFile(indexPath(dir, '2026-01'), 'garbage')
    expect(await readIndex(dir, '2026-01')).toBeNull()
    const s = await FileCallStore.open({ ...opts(), hotMonths: 1 })
    expect(s.size()).toBe(5)
    expect((await s.query({ q: 'i3' })).calls.map((c) => c.id)).toEqual(['i3'])
    await s.close()
    // The checkpoint on close wrote the index again.
    expect(await readIndex(dir, '2026-01')).toEqual(before)
  })

  it('keeps the newest revision of a call left in two months by an interrupted move', async () => {
    const base = { receivedAt: 'r', firstReceivedAt: 'r', raw: {}, history: [] }
    const loader = await CallBulkLoader.create(dir, ZONE)
    await loader.writeCalls([{ ...fields('mv', '2026-01-10'), ...base, revision: 1 }])
    await loader.writeCalls([{ ...fields('mv', '2026-02-10'), ...base, revision: 2 }])
    await loader.finish()
    const s = await FileCallStore.open({ ...opts(), hotMonths: 1 })
    // Asked before the background fill of the id map has run: it completes first.
    expect((await s.get('mv'))?.date).toBe('2026-02-10')
    expect(s.size()).toBe(1)
    expect((await s.query({})).calls.map((c) => c.revision)).toEqual([2])
    await s.close()
    expect(await readIndex(dir, '2026-01')).toEqual([])
  })

  it('still reads the JSON index of a store written before the binary format', async () => {
    await seeded()
    const current = (await readIndex(dir, '2026-01'))!
    const { rm } = await import('node:fs/promises')
    await rm(indexPath(dir, '2026-01'))
    await writeFile(
      legacyIndexPath(dir, '2026-01'),
      JSON.stringify(encodeIndex('2026-01', current)),
    )
    expect(await readIndex(dir, '2026-01')).toEqual(current)
    const s = await FileCallStore.open({ ...opts(), hotMonths: 1 })
    expect((await s.get('i2'))?.id).toBe('i2')
    await s.upsert(fields('i9', '2026-01-19'), raw('i9'), 'r')
    await s.close()
    // The month's next write replaces the JSON index with the binary one.
    expect((await readIndex(dir, '2026-01'))?.length).toBe(6)
    await expect(readFile(legacyIndexPath(dir, '2026-01'))).rejects.toThrow(/ENOENT/)
  })

  it("after a restart, an agent's number that calls in is found by the columns: only its calls are made rows", async () => {
    const s0 = await FileCallStore.open({ ...opts(), hotMonths: 1 })
    const agent = '+919822222222'
    for (let i = 0; i < 4; i++) {
      await s0.upsert(
        fields(`in${i}`, `2026-01-1${i}`, '10:00:00', { agentNumber: agent }),
        raw(`in${i}`),
        'r',
      )
      await s0.upsert(fields(`x${i}`, `2026-02-1${i}`), raw(`x${i}`), 'r')
    }
    const asCaller = { callerNumber: agent, agentNumber: null }
    await s0.upsert(fields('out', '2026-02-20', '10:00:00', asCaller), raw('out'), 'r')
    await s0.close()
    const made = vi.spyOn(MonthColumns.prototype, 'row')
    try {
      const s = await FileCallStore.open({ ...opts(), hotMonths: 1 })
      await s.settled()
      expect((await s.byCaller('9822222222')).map((c) => c.id)).toEqual(['out'])
      // 'out' alone: not the eight other calls the scan looked at.
      expect(made).toHaveBeenCalledTimes(1)
      await s.close()
    } finally {
      made.mockRestore()
    }
  })

  it('a restart makes no row object until something reads that row or its month', async () => {
    const s0 = await FileCallStore.open({ ...opts(), hotMonths: 1 })
    for (let i = 0; i < 4; i++) {
      const caller = { callerNumber: `+91980000000${i}` }
      await s0.upsert(fields(`j${i}`, `2026-01-1${i}`, '10:00:00', caller), raw(`j${i}`), 'r')
      await s0.upsert(fields(`f${i}`, `2026-02-1${i}`, '10:00:00', caller), raw(`f${i}`), 'r')
    }
    await s0.close()
    const made = vi.spyOn(MonthColumns.prototype, 'row')
    try {
      const s = await FileCallStore.open({ ...opts(), hotMonths: 1 })
      await s.settled()
      // Id map, number index, counts: all from the columns.
      expect(s.size()).toBe(8)
      expect(made).not.toHaveBeenCalled()
      // A lookup by id makes that row only, once.
      expect((await s.get('j2'))?.date).toBe('2026-01-12')
      expect((await s.get('j2'))?.date).toBe('2026-01-12')
      expect(made).toHaveBeenCalledTimes(1)
      // A number search makes the rows it returns.
      const found = await s.query({ q: '9800000003' })
      expect(found.calls.map((c) => c.id)).toEqual(['f3', 'j3'])
      expect(new Set(made.mock.calls.map((c) => c[0])).size).toBeLessThanOrEqual(3)
      // A month read whole (a page of it) makes its rows; changes go on as before.
      expect((await s.query({ from: '2026-02-01', to: '2026-02-28' })).calls).toHaveLength(4)
      await s.upsert(fields('j1', '2026-02-20'), raw('j1'), 'r')
      expect((await s.get('j1'))?.date).toBe('2026-02-20')
      expect((await s.query({ from: '2026-01-01', to: '2026-01-31' })).calls).toHaveLength(3)
      expect(s.size()).toBe(8)
      await s.close()
    } finally {
      made.mockRestore()
    }
  })

  it('counts a month that fits no format but version 2 as current: not written again at every start', async () => {
    const file = indexPath(dir, '2026-03')
    await mkdir(dirname(file), { recursive: true })
    const odd = [row({ caller: 'a\nb' })]
    await writeFile(file, encodeIndexBinary('2026-03', odd))
    expect(indexVersion(await readFile(file))).toBe(2)
    expect(await readIndexFile(dir, '2026-03')).toMatchObject({ rows: odd, current: true })
    await writeFile(file, encodeIndexBinary('2026-03', [row({})], undefined, 3))
    expect(await readIndexFile(dir, '2026-03')).toMatchObject({ current: false })
  })

  it('reads a store whose indexes are version 3, and writes them as version 4 once settled', async () => {
    await seeded()
    const current = (await readIndex(dir, '2026-01'))!
    await writeFile(indexPath(dir, '2026-01'), encodeIndexBinary('2026-01', current, undefined, 3))
    const s = await FileCallStore.open({ ...opts(), hotMonths: 1 })
    expect((await s.get('i2'))?.id).toBe('i2')
    expect((await s.query({ q: '9876543210' })).calls).toHaveLength(5)
    await s.settled()
    await vi.waitFor(
      async () => expect(indexVersion(await readFile(indexPath(dir, '2026-01')))).toBe(4),
      { timeout: 30_000 },
    )
    await s.close()
    expect(await readIndex(dir, '2026-01')).toEqual(current)
  }, 60_000)

  it('scans of months whose rows were not made answer as rows do, a row changed since included', async () => {
    const s0 = await FileCallStore.open({ ...opts(), hotMonths: 1 })
    for (let i = 0; i < 6; i++) {
      const over = { department: i % 2 ? 'Support' : 'Sales', ivrSeconds: i }
      await s0.upsert(fields(`k${i}`, `2026-01-1${i}`, '09:00:00', over), raw(`k${i}`), 'r')
    }
    await s0.close()
    const made = vi.spyOn(MonthColumns.prototype, 'row')
    try {
      const s = await FileCallStore.open({ ...opts(), hotMonths: 1 })
      await s.settled()
      // Changed in place (same start): the month's rows are not read, the row is made.
      await s.upsert(
        fields('k2', '2026-01-12', '09:00:00', { department: 'Support', ivrSeconds: 42 }),
        raw('k2'),
        'r',
      )
      made.mockClear()
      // A text search scans every row; only the page's rows (limit + 1) are made.
      const page = await s.query({ q: 'support', limit: 1 })
      expect([page.total, page.calls.map((c) => c.id)]).toEqual([4, ['k5']])
      expect(made).toHaveBeenCalledTimes(2)
      // Summaries and counts read fields only.
      const sums = s.summaries('2026-01-01', '2026-01-31')
      expect(sums.map((x) => [x.department, x.ivrSeconds])).toEqual([
        ['Support', 5],
        ['Sales', 4],
        ['Support', 3],
        ['Support', 42],
        ['Support', 1],
        ['Sales', 0],
      ])
      expect((await s.countsForDate('2026-01-12')).total).toBe(1)
      expect(made).toHaveBeenCalledTimes(2)
      const support = await s.query({ department: 'Support' })
      expect(support.calls.map((c) => c.id)).toEqual(['k5', 'k3', 'k2', 'k1'])
      expect(support.total).toBe(4)
      const all = []
      for await (const c of s.iterate({ from: '2026-01-01', to: '2026-01-31' })) all.push(c.id)
      expect(all).toEqual(['k5', 'k4', 'k3', 'k2', 'k1', 'k0'])
      await s.close()
    } finally {
      made.mockRestore()
    }
  })
})
