import { readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FileRejectedLog } from '../../../src/main/storage/folder/rejectedLog'
import { fakeClock, tempDir } from './fixtures'

let dir: string
let cleanup: () => Promise<void>
beforeEach(async () => ({ dir, cleanup } = await tempDir()))
afterEach(() => cleanup())

const entry = (n: number) => ({
  receivedAt: `2026-03-01T00:00:${String(n % 60).padStart(2, '0')}.000Z`,
  method: 'GET',
  params: { calllogid: `x${n}` },
  reason: `bad ${n}`,
  fields: ['date'],
  remoteAddress: '127.0.0.1',
})

describe('FileRejectedLog', () => {
  it('keeps entries durably, newest first, across a reopen', async () => {
    const log = await FileRejectedLog.open({ dir, clock: fakeClock() })
    const stored = await Promise.all([1, 2, 3].map((n) => log.append(entry(n))))
    expect(new Set(stored.map((s) => s.id)).size).toBe(3)
    expect(log.count()).toBe(3)
    expect((await log.list(2)).map((e) => e.reason)).toEqual(['bad 3', 'bad 2'])
    await log.close()
    const again = await FileRejectedLog.open({ dir, clock: fakeClock() })
    expect(again.count()).toBe(3)
    const [newest] = await again.list()
    expect(newest).toMatchObject({ reason: 'bad 3', fields: ['date'] })
    expect(Object.keys(newest!.params)).toContain('calllogid')
    await again.close()
  })

  it('moves to a new file when one is full and keeps the older files on disk', async () => {
    const log = await FileRejectedLog.open({ dir, clock: fakeClock(), entriesPerFile: 3 })
    for (let n = 1; n <= 10; n++) await log.append(entry(n))
    await log.close()
    expect((await readdir(dir)).filter((f) => f.endsWith('.jsonl')).length).toBeGreaterThanOrEqual(
      3,
    )
    const again = await FileRejectedLog.open({ dir, clock: fakeClock(), entriesPerFile: 3 })
    expect((await again.list(1))[0]?.reason).toBe('bad 10')
    // Only the last two files are held in memory, but the count covers every file.
    expect((await again.list(100)).length).toBeLessThanOrEqual(6)
    expect(again.count()).toBe(10)
    for (let n = 11; n <= 17; n++) await again.append(entry(n))
    expect(again.count()).toBe(17)
    await again.close()
    const third = await FileRejectedLog.open({ dir, clock: fakeClock(), entriesPerFile: 3 })
    expect(third.count()).toBe(17)
    await third.close()
    // Without the recorded total, the archived files are counted again.
    await rm(join(dir, 'archived.json'))
    const fourth = await FileRejectedLog.open({ dir, clock: fakeClock(), entriesPerFile: 3 })
    expect(fourth.count()).toBe(17)
    await fourth.close()
  })

  it('prunes whole archived files, and the count kept in archived.json follows', async () => {
    const clock = fakeClock()
    const DAY = 86_400_000
    const at = (n: number, ms: number) => ({ ...entry(n), receivedAt: new Date(ms).toISOString() })
    const log = await FileRejectedLog.open({ dir, clock, entriesPerFile: 3 })
    for (let n = 0; n < 9; n++) await log.append(at(n, clock.now() - 500 * DAY))
    // A file holding an old entry and a new one stays whole.
    await log.append(at(9, clock.now() - 500 * DAY))
    await log.append(at(10, clock.now() - DAY))
    await log.append(at(11, clock.now() - DAY))
    for (let n = 12; n < 16; n++) await log.append(at(n, clock.now() - DAY))
    await log.close()
    // Reopened: the archive (files 1 to 4) is counted into archived.json.
    const again = await FileRejectedLog.open({ dir, clock, entriesPerFile: 3 })
    expect(again.count()).toBe(16)
    expect(await again.prune(clock.now() - 30 * DAY)).toBe(9)
    expect(again.count()).toBe(7)
    expect((await readdir(dir)).filter((n) => n.endsWith('.jsonl')).sort()).toEqual([
      '00000004.jsonl',
      '00000005.jsonl',
      '00000006.jsonl',
    ])
    await again.close()
    const third = await FileRejectedLog.open({ dir, clock, entriesPerFile: 3 })
    expect(third.count()).toBe(7)
    await third.close()
  })

  it('judges a file none of whose records can be read by its last write: kept when recent', async () => {
    const DAY = 86_400_000
    const recent = (n: number) => ({
      ...entry(n),
      receivedAt: new Date(Date.now() - 60_000).toISOString(),
    })
    const log = await FileRejectedLog.open({ dir, clock: fakeClock(), entriesPerFile: 2 })
    for (let n = 0; n < 7; n++) await log.append(recent(n))
    await log.close()
    // A byte of every line of the first file changed: no record passes its checksum.
    const first = join(dir, '00000001.jsonl')
    await writeFile(first, (await readFile(first, 'latin1')).replace(/"GET"/g, '"GeT"'), 'latin1')
    const again = await FileRejectedLog.open({ dir, clock: fakeClock(), entriesPerFile: 2 })
    // File times are the kernel's (a shifted clock does not move them): the cut is taken from
    // the file's own time.
    const written = (await stat(first)).mtimeMs
    expect(await again.prune(written - 30 * DAY)).toBe(0)
    expect(await readdir(dir)).toContain('00000001.jsonl')
    // Written 500 days before, the same file goes with the retention.
    const old = new Date(written - 500 * DAY)
    await utimes(first, old, old)
    expect(await again.prune(written - 30 * DAY)).toBe(2)
    expect(await readdir(dir)).not.toContain('00000001.jsonl')
    await again.close()
  })
})
