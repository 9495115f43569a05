import { readFile, writeFile } from 'node:fs/promises'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { encodeIndex, type CallRow } from '../../../src/main/storage/folder/callIndex'
import { decodeIndexBinary, encodeIndexBinary } from '../../../src/main/storage/folder/indexFile'
import { FileCallStore } from '../../../src/main/storage/folder/fileCallStore'
import { CallBulkLoader } from '../../../src/main/storage/folder/bulkLoad'
import { legacyIndexPath, indexPath, readIndex } from '../../../src/main/storage/folder/shardFiles'
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
    expect(decodeIndexBinary(buf, '2026-03')).toEqual(rows)
    // Also when the bytes do not start on an 8-byte boundary.
    const shifted = Buffer.concat([Buffer.alloc(3), buf]).subarray(3)
    expect(decodeIndexBinary(shifted, '2026-03')).toEqual(rows)
    expect(decodeIndexBinary(encodeIndexBinary('2026-03', []), '2026-03')).toEqual([])
  })

  it('refuses a torn, corrupt or foreign file', () => {
    const buf = encodeIndexBinary('2026-03', rows)
    expect(decodeIndexBinary(buf.subarray(0, buf.length - 5), '2026-03')).toBeNull()
    const flipped = Buffer.from(buf)
    flipped.writeUInt8(flipped.readUInt8(flipped.length - 2) ^ 0xff, flipped.length - 2)
    expect(decodeIndexBinary(flipped, '2026-03')).toBeNull()
    expect(decodeIndexBinary(buf, '2026-04')).toBeNull()
    expect(decodeIndexBinary(Buffer.from('{"v":1}'), '2026-03')).toBeNull()
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
})
