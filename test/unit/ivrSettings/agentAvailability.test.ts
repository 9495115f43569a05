import { fileDocuments } from '../../../src/main/storage/folder/documents'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AgentAvailability } from '../../../src/main/ivrSettings/agentAvailability'
import type { KnownAgentStatus } from '../../../src/shared/domain'
import { fakeClock, logger, tempDir } from '../storage/fixtures'

const ASHA = '+919876543210'
const RAVI = '+919876543211'
const iso = (local: string): string => new Date(`${local}+05:30`).toISOString()
const ms = (local: string): number => Date.parse(`${local}+05:30`)
const agent = (number: string, status: KnownAgentStatus, confirmedAt: string | null) => ({
  normalizedNumber: number,
  status,
  statusConfirmedAt: confirmedAt === null ? null : iso(confirmedAt),
})

describe("AgentAvailability: each agent's confirmed status over time", () => {
  let dir: string
  let cleanup: () => Promise<void>
  const clock = fakeClock('2026-03-15T18:00:00+05:30')
  const open = () => AgentAvailability.open({ documents: fileDocuments(dir), clock, logger })

  beforeEach(async () => {
    ;({ dir, cleanup } = await tempDir())
  })
  afterEach(() => cleanup())

  it('answers available from a confirmed AVAIL until the OFF confirmed after it', async () => {
    const h = await open()
    await h.record(agent(ASHA, 'AVAIL', '2026-03-15T09:30:00'))
    await h.record(agent(ASHA, 'OFF', '2026-03-15T13:00:00'))
    await h.record(agent(ASHA, 'AVAIL', '2026-03-15T14:00:00'))
    const available = h.availableAt()
    expect(available(ASHA, ms('2026-03-15T09:29:59'))).toBe(false)
    expect(available(ASHA, ms('2026-03-15T09:30:00'))).toBe(true)
    expect(available(ASHA, ms('2026-03-15T12:59:59'))).toBe(true)
    expect(available(ASHA, ms('2026-03-15T13:00:00'))).toBe(false)
    expect(available(ASHA, ms('2026-03-15T13:30:00'))).toBe(false)
    expect(available(ASHA, ms('2026-03-15T17:00:00'))).toBe(true)
    // Nobody else was ever confirmed.
    expect(available(RAVI, ms('2026-03-15T17:00:00'))).toBe(false)
  })

  it('keeps one span per change: announcements of the same status, older news and UNKNOWN add nothing', async () => {
    const h = await open()
    await h.record(agent(ASHA, 'UNKNOWN', null))
    await h.record(agent(ASHA, 'AVAIL', '2026-03-15T09:30:00'))
    // The agent is announced again whenever their day's figures move: same status, same span.
    await h.record(agent(ASHA, 'AVAIL', '2026-03-15T09:30:00'))
    await h.record(agent(ASHA, 'AVAIL', '2026-03-15T11:00:00'))
    // An announcement of a status confirmed before the one in force (another instance's late news).
    await h.record(agent(ASHA, 'OFF', '2026-03-15T09:00:00'))
    await h.flushed()
    const doc = JSON.parse(await readFile(join(dir, 'agent-availability.json'), 'utf8'))
    expect(doc.spans).toEqual([
      { number: ASHA, status: 'AVAIL', from: iso('2026-03-15T09:30:00'), to: null },
    ])
  })

  it('is read back by the next start, and the same change heard twice is kept once', async () => {
    const first = await open()
    await first.record(agent(ASHA, 'AVAIL', '2026-03-15T09:30:00'))
    await first.record(agent(ASHA, 'OFF', '2026-03-15T12:00:00'))
    const again = await open()
    await again.record(agent(ASHA, 'OFF', '2026-03-15T12:00:00'))
    await again.flushed()
    const available = again.availableAt()
    expect(available(ASHA, ms('2026-03-15T10:00:00'))).toBe(true)
    expect(available(ASHA, ms('2026-03-15T12:00:00'))).toBe(false)
    const doc = JSON.parse(await readFile(join(dir, 'agent-availability.json'), 'utf8'))
    expect(doc.spans).toHaveLength(2)
  })

  it('drops spans that ended longer ago than the Dashboard reaches', async () => {
    clock.set('2024-01-01T12:00:00+05:30')
    const h = await open()
    await h.record(agent(ASHA, 'AVAIL', '2024-01-01T09:00:00'))
    await h.record(agent(ASHA, 'OFF', '2024-01-01T10:00:00'))
    clock.set('2026-06-01T12:00:00+05:30')
    await h.record(agent(RAVI, 'AVAIL', '2026-06-01T09:00:00'))
    await h.flushed()
    const doc = JSON.parse(await readFile(join(dir, 'agent-availability.json'), 'utf8'))
    // Asha's first span ended over 800 days ago; her OFF is still in force.
    expect(doc.spans.map((s: { number: string; status: string }) => [s.number, s.status])).toEqual([
      [ASHA, 'OFF'],
      [RAVI, 'AVAIL'],
    ])
  })
})
