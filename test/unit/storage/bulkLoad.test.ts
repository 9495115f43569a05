import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Low } from 'lowdb'
import { CallBulkLoader } from '../../../src/main/storage/folder/bulkLoad'
import { DurableJSONFile } from '../../../src/main/dataFolder/durableFile'
import { FileCallStore } from '../../../src/main/storage/folder/fileCallStore'
import type { ShardDoc } from '../../../src/main/storage/folder/shardFiles'
import type { Call } from '../../../src/shared/domain'
import { fakeClock, fields, logger, raw, tempDir, ZONE } from './fixtures'

let a: { dir: string; cleanup: () => Promise<void> }
let b: { dir: string; cleanup: () => Promise<void> }
beforeEach(async () => {
  a = await tempDir()
  b = await tempDir()
})
afterEach(async () => {
  await a.cleanup()
  await b.cleanup()
})

describe('CallBulkLoader', () => {
  it('writes byte-for-byte the files a checkpoint writes, readable by lowdb and the store', async () => {
    const opts = { timezone: ZONE, clock: fakeClock(), logger, checkpointIntervalMs: 0 }
    const store = await FileCallStore.open({ ...opts, dir: a.dir, hotMonths: 1 })
    const dates = ['2025-12-31', '2026-01-01', '2026-01-15', '2026-03-01']
    for (const [i, d] of dates.entries())
      await store.upsert(fields(`b${i}`, d, '00:05:00'), raw(`b${i}`, { note: 'ünïcode ✓' }), 'r')
    const calls: Call[] = []
    for await (const c of store.iterate({})) calls.push(c)
    await store.close()

    const loader = await CallBulkLoader.create(b.dir, ZONE)
    await loader.writeCalls(calls)
    await loader.finish()
    for (const m of ['2025-12', '2026-01', '2026-03']) {
      for (const f of [`${m}.json`, `${m}.idx`]) {
        const x = await readFile(join(a.dir, 'shards', f))
        expect(await readFile(join(b.dir, 'shards', f))).toEqual(x)
      }
      const db = new Low<ShardDoc>(new DurableJSONFile(join(b.dir, 'shards', `${m}.json`)), {
        v: 1,
        month: m,
        calls: [],
      })
      await db.read()
      expect(db.data.calls.length).toBeGreaterThan(0)
    }
    const reopened = await FileCallStore.open({ ...opts, dir: b.dir, hotMonths: 1 })
    expect(reopened.size()).toBe(4)
    // An older month's call is read from its byte range and equals the original.
    expect(await reopened.get('b1')).toEqual(calls.find((c) => c.id === 'b1'))
    await reopened.close()
    await expect(CallBulkLoader.create(b.dir, ZONE)).rejects.toThrow(/empty/)
  })
})
