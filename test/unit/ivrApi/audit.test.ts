import { FileLog } from '../../../src/main/storage/folder/fileLog'
import { appendFile, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempDir } from '../storage/fixtures'

let dir: string
let cleanup: () => Promise<void>
beforeEach(async () => ({ dir, cleanup } = await tempDir()))
afterEach(() => cleanup())

const NOW = Date.parse('2026-03-15T12:00:00Z')
const DAY = 86_400_000
const entry = (n: number, daysAgo: number) => ({
  at: new Date(NOW - daysAgo * DAY).toISOString(),
  n,
})

describe('AuditLog.prune', () => {
  it('removes the entries from before the cut, in turn with appends, losing none of them', async () => {
    const log = new FileLog<{ at: string; n: number }>(join(dir, 'a.jsonl'))
    for (const [n, days] of [
      [0, 400],
      [1, 100],
      [2, 20],
      [3, 1],
    ] as const)
      await log.append(entry(n, days))
    // Appends made while the file is rewritten come after it, never lost.
    const during = [4, 5, 6].map((n) => log.append(entry(n, 0)))
    const removed = await log.prune(NOW - 30 * DAY)
    await Promise.all(during)
    expect(removed).toBe(2)
    expect((await log.read()).map((e) => e.n)).toEqual([2, 3, 4, 5, 6])
    expect(await log.prune(NOW - 30 * DAY)).toBe(0)
  })

  it('keeps a line it cannot read, and lets a torn last line go with the rewrite', async () => {
    const path = join(dir, 'a.jsonl')
    const log = new FileLog<{ at: string; n: number }>(path)
    await log.append(entry(0, 400))
    await appendFile(path, 'not json\n')
    await log.append(entry(1, 1))
    await appendFile(path, '{"at":"2026-03-1')
    // One entry removed; the torn line was never one.
    expect(await log.prune(NOW - 30 * DAY)).toBe(1)
    expect(await readFile(path, 'utf8')).toBe(`not json\n${JSON.stringify(entry(1, 1))}\n`)
  })

  it('ends a line torn by a crash before the next process appends, so its first entry is read', async () => {
    const path = join(dir, 'a.jsonl')
    await new FileLog<{ at: string; n: number }>(path).append(entry(0, 1))
    await appendFile(path, '{"at":"2026-03-1')
    // The next process: its first entry must not join the torn line.
    const next = new FileLog<{ at: string; n: number }>(path)
    await next.append(entry(1, 0))
    await next.append(entry(2, 0))
    expect((await next.read()).map((e) => e.n)).toEqual([0, 1, 2])
  })
})
