/**
 * The storage's one door (src/main/storage/storage.ts), run over both backends: each opens every
 * piece through its `openStorage`, and each optional ability of the call store it declares
 * answers what the calls themselves say.
 */
import { describe, expect, it } from 'vitest'
import { loadSummaries, tallyCalls } from '../../../src/main/insight/dashboard'
import type { CallStore } from '../../../src/main/storage/types'
import type { Call } from '../../../src/shared/domain'
import { fakeClock, fields, raw, ZONE } from '../../unit/storage/fixtures'
import { BACKENDS, useBackend } from './backends'

/** The abilities a backend declares, by name (the ones it does not have are absent). */
const ABILITIES = ['tally', 'summaries', 'unreadableIn', 'settled'] as const

const DECLARED: Record<string, readonly (typeof ABILITIES)[number][]> = {
  // The folder's index is in memory: summaries at once, months set aside, background start-up.
  file: ['summaries', 'unreadableIn', 'settled'],
  // A database counts next to the calls; no file of it is lost.
  PostgreSQL: ['tally', 'summaries'],
}

async function all(s: CallStore): Promise<Call[]> {
  const out: Call[] = []
  for await (const c of s.iterate({})) out.push(c)
  return out
}

describe.each(BACKENDS)('Storage contract: $name', (factory) => {
  const place = useBackend(factory)
  const clock = fakeClock('2026-03-15T12:00:00+05:30')

  it('opens calls, rejected pushes, documents, logs, secrets and roles through one door', async () => {
    const storage = await place().storage(clock)
    await storage.calls.upsert(fields('d1', '2026-03-10'), raw('d1'), '2026-03-10T04:31:00.000Z')
    await storage.rejected.append({
      receivedAt: '2026-03-10T04:32:00.000Z',
      method: 'GET',
      params: { a: '1' },
      reason: 'missing call id',
      fields: ['id'],
      remoteAddress: null,
    })
    const doc = await storage.documents('vendor/').open('agents.json', { agents: [] as string[] })
    await doc.update((d) => void d.agents.push('Asha'))
    const log = storage.log<{ at: string; n: number }>('vendor-audit')
    await log.append({ at: '2026-03-10T04:33:00.000Z', n: 1 })
    await log.appendAll([
      { at: '2026-03-10T04:34:00.000Z', n: 2 },
      { at: '2026-03-10T04:35:00.000Z', n: 3 },
    ])
    await storage.secrets.set('vendorApiKey', 'k-123')
    const signal = new AbortController().signal
    expect(await storage.roles.sender.acquire(signal)).toBe(true)
    expect(await storage.roles.sender.holds()).toBe(true)
    expect(await storage.canWrite()).toBe(true)
    await storage.roles.sender.release()
    await storage.close()

    // Everything is where the next opening looks.
    const again = await place().storage(clock)
    expect((await again.calls.get('d1'))?.id).toBe('d1')
    expect(again.rejected.count()).toBe(1)
    const read = await again.documents('vendor/').open('agents.json', { agents: [] as string[] })
    expect(read.data.agents).toEqual(['Asha'])
    // A document under another prefix is another document.
    const other = await again.documents().open('agents.json', { agents: [] as string[] })
    expect(other.data.agents).toEqual([])
    expect((await again.log<{ n: number }>('vendor-audit').read()).map((e) => e.n)).toEqual([
      1, 2, 3,
    ])
    expect(await again.secrets.get('vendorApiKey')).toBe('k-123')
  })

  it('declares the optional abilities it has, and only those', async () => {
    const storage = await place().storage(clock)
    const has = ABILITIES.filter((a) => typeof storage.calls[a] === 'function')
    expect(has).toEqual(DECLARED[factory.name])
    // The data folder's own upkeep exists where there is a folder engine to keep.
    expect(storage.maintenance !== null).toBe(factory.name === 'file')
  })

  it('answers each declared ability as the calls themselves say', async () => {
    const storage = await place().storage(clock)
    const s = storage.calls
    const statuses = ['ANSWER', 'MISSED', 'DROPPED', 'ANSWER', 'MISSED'] as const
    for (const [i, status] of statuses.entries())
      await s.upsert(
        fields(`a${i}`, `2026-03-1${i}`, '10:00:00', { status }),
        raw(`a${i}`),
        `2026-03-1${i}T05:00:00.000Z`,
      )
    await s.settled?.()
    const calls = await all(s)
    const counted = { answered: 0, missed: 0, dropped: 0 }
    for (const c of calls)
      counted[c.status === 'ANSWER' ? 'answered' : c.status === 'MISSED' ? 'missed' : 'dropped']++

    if (s.summaries) {
      const sums = await s.summaries('2026-03-10', '2026-03-14')
      expect(sums.map((x) => x.startedAtMs)).toEqual(calls.map((c) => Date.parse(c.startedAt)))
    }
    if (s.tally) expect((await s.tally('2026-03-10', '2026-03-14')).byStatus).toEqual(counted)
    // Through the dashboard's one way in, whatever the backend declares.
    expect((await tallyCalls(s, '2026-03-10', '2026-03-14', ZONE)).byStatus).toEqual(counted)
    expect(await loadSummaries(s, '2026-03-10', '2026-03-14', ZONE)).toHaveLength(calls.length)
    if (s.unreadableIn) expect(s.unreadableIn({ from: '2026-03-10', to: '2026-03-14' })).toEqual([])
  })
})
