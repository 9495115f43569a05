import { fileDocuments } from '../../../src/main/storage/folder/documents'
import { DateTime } from 'luxon'
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ScheduleData } from '../../../src/main/ivrSettings/schedule'
import { ScheduleHistory } from '../../../src/main/ivrSettings/scheduleHistory'
import { containDamagedDocuments } from '../../../src/main/maintenance/documents'
import type { StorageProblem } from '../../../src/shared/storage'
import { fakeClock, logger, tempDir } from '../storage/fixtures'

const Z = 'Asia/Kolkata'
/** An instant given as Kolkata wall-clock time. */
const at = (local: string): number => DateTime.fromISO(local, { zone: Z }).toMillis()
const hours = { Daily: { start: '09:30', end: '18:00' } }
const data = (over: Partial<ScheduleData> = {}): ScheduleData => ({
  holidays: new Map(),
  hours: {},
  ...over,
})

describe('ScheduleHistory: calls judged by the schedule in force when they arrived', () => {
  let dir: string
  let cleanup: () => Promise<void>
  const clock = fakeClock('2026-11-20T08:00:00+05:30')
  const open = () => ScheduleHistory.open({ documents: fileDocuments(dir), clock, logger })

  beforeEach(async () => {
    ;({ dir, cleanup } = await tempDir())
  })
  afterEach(() => cleanup())

  it('does not judge a call taken before any hours were set, and judges later ones', async () => {
    const h = await open()
    await h.record(data(), Z)
    // Hours are set on 25 Nov at 12:00.
    clock.set('2026-11-25T12:00:00+05:30')
    await h.record(data({ hours }), Z)
    const closedAt = h.closedAt(Z)
    // 23:00 on 21 Nov, before hours existed: no evidence either way.
    expect(closedAt(at('2026-11-21T23:00'))).toBeNull()
    // 08:00 on 25 Nov, still before the change.
    expect(closedAt(at('2026-11-25T08:00'))).toBeNull()
    // The same times of day after the change.
    expect(closedAt(at('2026-11-26T08:00'))).toBe(true)
    expect(closedAt(at('2026-11-26T10:00'))).toBe(false)
    expect(closedAt(at('2026-11-26T18:00'))).toBe(true)
  })

  it('closes a holiday only from when it was added until it was removed', async () => {
    const h = await open()
    clock.set('2026-11-20T09:00:00+05:30')
    await h.record(data({ hours }), Z)
    clock.set('2026-11-27T11:00:00+05:30')
    await h.record(data({ hours, holidays: new Map([['2026-11-27', 'Strike']]) }), Z)
    clock.set('2026-11-27T15:00:00+05:30')
    await h.record(data({ hours }), Z)
    const closedAt = h.closedAt(Z)
    expect(closedAt(at('2026-11-27T10:00'))).toBe(false)
    expect(closedAt(at('2026-11-27T12:00'))).toBe(true)
    expect(closedAt(at('2026-11-27T16:00'))).toBe(false)
  })

  it('a holiday alone is judged even with no hours set', async () => {
    const h = await open()
    await h.record(data({ holidays: new Map([['2026-11-28', null]]) }), Z)
    const closedAt = h.closedAt(Z)
    expect(closedAt(at('2026-11-28T10:00'))).toBe(true)
    expect(closedAt(at('2026-11-29T10:00'))).toBeNull()
  })

  it('answers every question with one judge until the schedule changes', async () => {
    const h = await open()
    clock.set('2026-11-20T09:00:00+05:30')
    await h.record(data({ hours }), Z)
    const judge = h.closedAt(Z)
    // Each stored call asks: the judge and its caches are not built again per call.
    expect(h.closedAt(Z)).toBe(judge)
    expect(judge(at('2026-11-23T10:00'))).toBe(false)
    clock.set('2026-11-20T10:00:00+05:30')
    await h.record(data({ hours, holidays: new Map([['2026-11-23', 'Strike']]) }), Z)
    const after = h.closedAt(Z)
    expect(after).not.toBe(judge)
    expect(after(at('2026-11-23T10:00'))).toBe(true)
  })

  it('keeps the history across a restart and writes a burst of changes once', async () => {
    const h = await open()
    clock.set('2026-11-20T09:00:00+05:30')
    const burst = Array.from({ length: 20 }, (_, i) =>
      h.record(
        data({ hours, holidays: new Map([[`2026-12-${String(i + 1).padStart(2, '0')}`, null]]) }),
        Z,
      ),
    )
    await Promise.all(burst)
    const file = JSON.parse(await readFile(join(dir, 'schedule-history.json'), 'utf8'))
    // The first record and the last one: every change in between was folded into it.
    expect(file.hours).toHaveLength(1)
    expect(file.holidays.length).toBeLessThanOrEqual(2)
    // Nothing changed: nothing written.
    await h.record(data({ hours, holidays: new Map([['2026-12-20', null]]) }), Z)
    const again = await open()
    expect(again.closedAt(Z)(at('2026-12-20T12:00'))).toBe(true)
    expect(again.closedAt(Z)(at('2026-11-21T20:00'))).toBe(true)
  })

  it('a damaged history is set aside and told, and the app starts with an empty one', async () => {
    await mkdir(join(dir, 'vendor'), { recursive: true })
    await writeFile(join(dir, 'vendor/schedule-history.json'), '{"hours":[{"from":')
    const told: Omit<StorageProblem, 'firstAt' | 'lastAt' | 'count'>[] = []
    const reporter = { problem: (p: (typeof told)[number]) => void told.push(p) }
    const set = await containDamagedDocuments(dir, reporter as never, 1)
    expect(set).toEqual(['vendor/schedule-history.json'])
    expect(told[0]?.summary).toMatch(/history of office hours and holidays was damaged/)
    expect(await readdir(join(dir, 'vendor'))).toContain('schedule-history.json.damaged-1')
    const h = await ScheduleHistory.open({
      documents: fileDocuments(join(dir, 'vendor')),
      clock,
      logger,
    })
    expect(h.closedAt(Z)(at('2026-11-21T23:00'))).toBeNull()
  })
})
