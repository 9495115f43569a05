import { fileDocuments } from '../../../src/main/storage/folder/documents'
import { FileLog } from '../../../src/main/storage/folder/fileLog'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { silentLogger } from '../../../src/main/ground/logger'
import { EventBus } from '../../../src/main/events/bus'
import type { Change } from '../../../src/shared/domain'
import {
  VendorClient,
  holidayParams,
  manageAgentParams,
  officeTimeParams,
} from '../../../src/main/ivrApi/client'
import { Outbox, type ChangeRequest, type OutboxOptions } from '../../../src/main/ivrApi/outbox'
import { FakeVendor } from './fakeVendor'
import { ManualSleep, manualClock, tempDir, until } from './helpers'

const agent = (num: string, status: 'AVAIL' | 'OFF'): ChangeRequest => ({
  kind: 'agent-status',
  target: `agent:${num}`,
  params: manageAgentParams(num, status),
  summary: `Agent ${num} → ${status}`,
  requestedBy: 'asha',
})
const holiday = (d: string): ChangeRequest => ({
  kind: 'holiday',
  target: `holiday:${d}`,
  params: holidayParams(d),
  summary: `Holiday ${d}`,
  requestedBy: 'asha',
})

describe('Outbox with a real client and a fake vendor', () => {
  let vendor: FakeVendor
  let client: VendorClient
  let dir: string
  let cleanup: () => Promise<void>
  let bus: EventBus
  let events: Change[]
  let sleeper: ManualSleep
  const clock = manualClock()
  const open: Outbox[] = []

  const openOutbox = async (over: Partial<OutboxOptions> = {}): Promise<Outbox> => {
    const o = await Outbox.open({
      documents: fileDocuments(dir),
      audit: new FileLog(join(dir, 'vendor-audit.jsonl')),
      sender: client,
      bus,
      clock,
      logger: silentLogger,
      sleep: sleeper.sleep,
      random: () => 1,
      submitWaitMs: 5_000,
      attemptsBeforeQueued: 1,
      ...over,
    })
    open.push(o)
    return o
  }

  beforeEach(async () => {
    ;({ dir, cleanup } = await tempDir())
    vendor = new FakeVendor()
    await vendor.start()
    client = new VendorClient({
      settings: () => ({ baseUrl: vendor.url(), apiKey: vendor.apiKey, custId: vendor.custId }),
      headersTimeoutMs: 500,
      bodyTimeoutMs: 500,
    })
    bus = new EventBus()
    events = []
    bus.on('change:updated', (c) => events.push(c))
    sleeper = new ManualSleep()
  })

  afterEach(async () => {
    for (const o of open.splice(0)) await o.stop()
    await client.close()
    await vendor.stop()
    await cleanup()
  })

  it('submit answers confirmed, refused, or queued (pending) as the vendor does', async () => {
    const ob = await openOutbox()
    ob.start()
    const ok = await ob.submit(agent('9876543210', 'OFF'))
    expect(ok).toMatchObject({ state: 'confirmed', vendorAnswer: 'Success', requestedBy: 'asha' })
    const refused = await ob.submit({
      kind: 'office-time',
      target: 'office:Daily',
      params: { ...officeTimeParams('Daily', '09:00', '18:00'), st_time: '07:00 PM' },
      summary: 'x',
      requestedBy: 'asha',
    })
    expect(refused).toMatchObject({ state: 'refused', vendorAnswer: 'Invalid Time' })
    vendor.down = true
    const queued = await ob.submit(holiday('2026-01-26'))
    expect(queued.state).toBe('pending')
    expect(queued.attempts[0]).toMatchObject({ outcome: 'failed', httpStatus: null })
    expect(queued.nextAttemptAt).not.toBeNull()
    // newest first
    expect(ob.list().map((c) => c.state)).toEqual(['pending', 'refused', 'confirmed'])
    expect(events.some((e) => e.id === ok.id && e.state === 'confirmed')).toBe(true)
  })

  it('backs off exponentially up to 30 s while the vendor is down, then delivers once', async () => {
    const ob = await openOutbox()
    ob.start()
    vendor.down = true
    const c = await ob.submit(holiday('2026-08-15'))
    expect(c.state).toBe('pending')
    for (let i = 0; i < 6; i++) {
      await until(() => sleeper.delays.length > i, 5_000, `sleep ${i}`)
      sleeper.release()
    }
    await until(() => sleeper.delays.length >= 7)
    // random() = 1: base 1 s doubling, capped at 30 s.
    expect(sleeper.delays).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000])
    expect(ob.get(c.id)!.nextAttemptAt).toBe(new Date(clock.now() + 30000).toISOString())
    vendor.down = false
    sleeper.release()
    await until(() => ob.get(c.id)!.state === 'confirmed')
    expect(vendor.applied.map((q) => q.get('hdate'))).toEqual(['2026-08-15'])
    expect(ob.get(c.id)!.attempts.map((a) => a.outcome)).toEqual([
      ...Array(7).fill('failed'),
      'success',
    ])
  })

  it('retries a 5xx with backoff and then succeeds, applied once', async () => {
    const ob = await openOutbox({ attemptsBeforeQueued: 3 })
    ob.start()
    vendor.script(
      { kind: 'answer', status: 503, body: 'busy' },
      { kind: 'answer', status: 502, body: '' },
    )
    const submitted = ob.submit(agent('9876543210', 'AVAIL'))
    for (let i = 0; i < 2; i++) {
      await until(() => sleeper.delays.length > i, 5_000, `sleep ${i}`)
      sleeper.release()
    }
    const c = await submitted
    expect(c.state).toBe('confirmed')
    expect(c.attempts.map((a) => a.outcome)).toEqual(['failed', 'failed', 'success'])
    expect(c.attempts[0]!.detail).toBe('HTTP 503: busy')
    expect(vendor.applied).toHaveLength(1)
    // random() = 1: the full exponential ceiling, 1 then 2 s.
    expect(sleeper.delays).toEqual([1000, 2000])
  })

  it('backs off with jitter: random() = 0 halves each delay, capped by retryMaxMs', async () => {
    const ob = await openOutbox({ random: () => 0, retryBaseMs: 1000, retryMaxMs: 3000 })
    ob.start()
    vendor.script(...Array.from({ length: 5 }, () => ({ kind: 'reset' as const })))
    const c = await ob.submit(holiday('2026-01-26'))
    for (let i = 0; i < 4; i++) {
      await until(() => sleeper.delays.length > i, 5_000, `sleep ${i}`)
      sleeper.release()
    }
    await until(() => sleeper.delays.length >= 5)
    expect(ob.get(c.id)!.attempts.map((a) => a.outcome)).toEqual(Array(5).fill('failed'))
    expect(sleeper.delays).toEqual([500, 1000, 1500, 1500, 1500])
    expect(vendor.applied).toHaveLength(0)
  })

  it('retries after a connection reset and succeeds', async () => {
    const ob = await openOutbox({ attemptsBeforeQueued: 3 })
    ob.start()
    vendor.script({ kind: 'reset' })
    const submitted = ob.submit(holiday('2026-01-26'))
    await until(() => sleeper.delays.length > 0, 5_000, 'a backoff')
    sleeper.release()
    const c = await submitted
    expect(c.attempts.map((a) => a.outcome)).toEqual(['failed', 'success'])
    expect(c.attempts[0]!.detail).toMatch(/cut before it answered/)
    expect(vendor.applied).toHaveLength(1)
  })

  it('sends changes to one target in the order they were made, each exactly once', async () => {
    const ob = await openOutbox()
    ob.start()
    vendor.down = true
    await ob.submit(agent('9876543210', 'OFF'))
    await ob.enqueue(agent('9876543210', 'AVAIL'))
    await ob.enqueue(holiday('2026-10-02'))
    await ob.enqueue(agent('9876543210', 'OFF'))
    await until(() => sleeper.delays.length >= 1)
    vendor.down = false
    // The first one is refused by the vendor: settled, not retried; the others still go.
    vendor.script({ kind: 'answer', status: 200, body: 'Agent busy' })
    await until(() => {
      sleeper.release()
      return ob.list().every((c) => c.state !== 'pending')
    })
    const applied = vendor.applied.map(
      (q) => `${q.get('action')}:${q.get('status') ?? q.get('hdate')}`,
    )
    expect(applied).toEqual(['ManageAgent:AVAIL', 'holiday:2026-10-02', 'ManageAgent:OFF'])
    // Four changes, one refused: four requests after the vendor came back, nothing more.
    expect(vendor.requests.length - vendor.applied.length).toBeGreaterThanOrEqual(1)
    expect(vendor.agents.get('9876543210')).toBe('OFF')
    expect(ob.list().map((c) => c.state)).toEqual([
      'confirmed',
      'confirmed',
      'confirmed',
      'refused',
    ])
  })

  it('survives a restart: queued while down, delivered exactly once after reopening', async () => {
    const port = vendor.port()
    const baseUrl = vendor.url()
    await client.close()
    client = new VendorClient({
      settings: () => ({ baseUrl, apiKey: vendor.apiKey, custId: vendor.custId }),
    })
    await vendor.stop() // nothing listening: connection refused
    const first = await openOutbox()
    first.start()
    const c = await first.submit(agent('9123456789', 'AVAIL'))
    expect(c.state).toBe('pending')
    await first.stop()

    await vendor.start(port)
    const second = await openOutbox()
    expect(second.get(c.id)!.state).toBe('pending')
    second.start()
    await until(() => second.get(c.id)!.state === 'confirmed')
    expect(vendor.applied).toHaveLength(1)
    await second.stop()

    // A third life sends nothing again.
    const third = await openOutbox()
    third.start()
    await third.submit(holiday('2026-12-25'))
    expect(vendor.applied.map((q) => q.get('action'))).toEqual(['ManageAgent', 'holiday'])

    const trail = await third.auditTrail()
    const forC = trail.filter((e) => ('changeId' in e ? e.changeId : e.change.id) === c.id)
    expect(forC.map((e) => e.type)).toEqual(['requested', 'attempt', 'attempt', 'settled'])
    expect(forC[0]).toMatchObject({ change: { requestedBy: 'asha' } })
    // The key is never written to disk: params hold only the vendor parameters of the change.
    for (const f of await readdir(dir)) {
      expect(await readFile(join(dir, f), 'utf8')).not.toContain(vendor.apiKey)
    }
  })

  it('keeps every pending change but prunes old settled history', async () => {
    const ob = await openOutbox({ maxHistory: 2 })
    ob.start()
    for (const d of ['2026-01-01', '2026-01-02', '2026-01-03']) await ob.submit(holiday(d))
    expect(ob.list().map((c) => c.params.hdate)).toEqual(['2026-01-03', '2026-01-02'])
    expect((await ob.auditTrail()).filter((e) => e.type === 'requested')).toHaveLength(3)
  })
})
