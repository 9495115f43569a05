/** The rejected-pushes log's contract, run over both backends (data folder and PostgreSQL). */
import { describe, expect, it } from 'vitest'
import { fakeClock } from '../../unit/storage/fixtures'
import { BACKENDS, useBackend } from './backends'

const entry = (n: number) => ({
  receivedAt: `2026-03-15T05:00:${String(n % 60).padStart(2, '0')}.000Z`,
  method: 'GET',
  params: { calllogid: `r${n}`, date: '2026-02-30', note: 'nul \u0000 and ünïcode' },
  reason: `Invalid date ${n}`,
  fields: ['date'],
  remoteAddress: '203.0.113.9',
})

describe.each(BACKENDS)('RejectedLog contract: $name', (factory) => {
  const place = useBackend(factory)
  const clock = fakeClock()

  it('keeps every rejected push, newest first, across a reopen', async () => {
    const log = await place().rejectedLog(clock)
    const stored = []
    for (let i = 0; i < 12; i++) stored.push(await log.append(entry(i)))
    expect(new Set(stored.map((s) => s.id)).size).toBe(12)
    expect(log.count()).toBe(12)
    const newest = await log.list(5)
    expect(newest.map((e) => e.params.calllogid)).toEqual(['r11', 'r10', 'r9', 'r8', 'r7'])
    expect(newest[0]).toEqual(stored[11])
    await place().closeAll()
    const again = await place().rejectedLog(clock)
    expect(again.count()).toBe(12)
    expect((await again.list(100)).map((e) => e.id)).toEqual(stored.map((s) => s.id).reverse())
    expect(await again.list(0)).toEqual([])
  })

  it('takes concurrent appends', async () => {
    const log = await place().rejectedLog(clock)
    await Promise.all(Array.from({ length: 50 }, (_, i) => log.append(entry(i))))
    expect(log.count()).toBe(50)
    expect(new Set((await log.list(100)).map((e) => e.params.calllogid)).size).toBe(50)
  })

  it('prunes what is older than the retention, keeping every newer entry and the count', async () => {
    const DAY = 86_400_000
    const at = (ms: number, n: number) => ({
      ...entry(n),
      receivedAt: new Date(ms).toISOString(),
    })
    // Small files, so the data folder's archive holds the old ones whole.
    const log = await place().rejectedLog(clock, { entriesPerFile: 4 })
    for (let i = 0; i < 12; i++) await log.append(at(clock.now() - 400 * DAY + i * 1000, i))
    for (let i = 12; i < 18; i++) await log.append(at(clock.now() - DAY + i * 1000, i))
    expect(await log.prune(clock.now() - 30 * DAY)).toBe(12)
    expect(log.count()).toBe(6)
    const kept = ['r17', 'r16', 'r15', 'r14', 'r13', 'r12']
    expect((await log.list(100)).map((e) => e.params.calllogid)).toEqual(kept)
    // Nothing more to remove; and a reopen counts the same.
    expect(await log.prune(clock.now() - 30 * DAY)).toBe(0)
    await place().closeAll()
    const again = await place().rejectedLog(clock, { entriesPerFile: 4 })
    expect(again.count()).toBe(6)
    expect((await again.list(100)).map((e) => e.params.calllogid)).toEqual(kept)
  })
})
