import { fileDocuments } from '../../../src/main/storage/folder/documents'
import { FileLog } from '../../../src/main/storage/folder/fileLog'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { silentLogger } from '../../../src/main/ground/logger'
import { EventBus } from '../../../src/main/events/bus'
import { ListenerServer } from '../../../src/main/listener/server'
import { announceStoredCalls } from '../../../src/main/core/storedCalls'
import { MissedQueue } from '../../../src/main/missed/queue'
import { CallGenerator } from '../../../src/main/simulator/generator'
import { IvrSimulator } from '../../../src/main/simulator/simulator'
import { FileCallStore } from '../../../src/main/storage/folder/fileCallStore'
import { FileRejectedLog } from '../../../src/main/storage/folder/rejectedLog'
import type { Call } from '../../../src/shared/domain'
import { seeded } from '../../unit/simulator/helpers'

const TZ = 'Asia/Kolkata'
const TOKEN = 'tok_SimulatorIntegration_0123'
/** A Tuesday morning in India; the simulator starts with no office-hours restriction. */
const NOW = Date.parse('2026-03-10T11:00:00+05:30')

describe('simulator + generator → real listener over loopback', () => {
  let dir: string
  let sim: IvrSimulator
  let listener: ListenerServer
  let store: FileCallStore
  let rejected: FileRejectedLog
  let missed: MissedQueue
  let gen: CallGenerator
  let stored: Call[]
  let pending: Promise<unknown>[]

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ivrs-sim-'))
    const clock = { now: () => NOW }
    const bus = new EventBus()
    store = await FileCallStore.open({
      dir: join(dir, 'calls'),
      timezone: TZ,
      clock,
      logger: silentLogger,
      checkpointIntervalMs: 0,
    })
    rejected = await FileRejectedLog.open({ dir: join(dir, 'rejected'), clock })
    missed = await MissedQueue.open({
      documents: fileDocuments(join(dir, 'missed')),
      archive: new FileLog(join(dir, 'missed', 'missed-archive.jsonl')),
      clock,
      bus,
      logger: silentLogger,
    })
    stored = []
    pending = []
    announceStoredCalls(store, bus)
    bus.on('call:stored', ({ call }) => {
      stored.push(call)
      pending.push(missed.onCall(call))
    })
    listener = new ListenerServer({
      store,
      rejected,
      bus,
      token: TOKEN,
      timezone: TZ,
      clock,
      logger: silentLogger,
      host: '127.0.0.1',
      port: 0,
    })
    const { port } = await listener.start()
    expect(listener.status().state).toBe('listening')
    sim = new IvrSimulator()
    await sim.start()
    gen = new CallGenerator({
      target: `http://127.0.0.1:${port}/api/PostCallLogs/${TOKEN}/`,
      simulator: sim,
      timezone: TZ,
      callsPerMinute: 0,
      random: seeded(2026),
      clock,
    })
  })

  afterEach(async () => {
    await gen.stop()
    await listener.stop()
    await sim.stop()
    await Promise.all(pending)
    await store.close()
    await rejected.close()
    await rm(dir, { recursive: true, force: true })
  })

  /** A real HTTP GET to the simulator's settings endpoint, as the vendor client sends it. */
  const vendor = async (params: Record<string, string>): Promise<string> => {
    const q = new URLSearchParams({ apikey: sim.apiKey, custid: sim.custId, ...params })
    const res = await fetch(`${sim.url}/settings/handler.ashx?${q}`)
    return res.text()
  }

  it('an agent switched OFF at the vendor gets no new calls', async () => {
    for (let i = 0; i < 15; i++) {
      const r = await gen.pushOne({ department: 'Sales', hangUp: false, awkward: null })
      expect(r.outcome).toBe('accepted')
    }
    const before = new Set(stored.map((c) => c.agentNumber))
    expect(before.has('+919876543210')).toBe(true)

    expect(await vendor({ action: 'ManageAgent', agentnum: '9876543210', status: 'OFF' })).toBe(
      'Success',
    )
    expect(sim.state().agents.find((a) => a.number === '9876543210')?.status).toBe('OFF')
    const from = stored.length
    for (let i = 0; i < 30; i++) {
      expect((await gen.pushOne({ department: 'Sales', hangUp: false })).outcome).toBe('accepted')
    }
    const after = stored.slice(from)
    expect(after).toHaveLength(30)
    expect(after.every((c) => c.status === 'ANSWER')).toBe(true)
    expect(after.map((c) => c.agentNumber)).not.toContain('+919876543210')
    expect(new Set(after.map((c) => c.agentNumber))).toEqual(
      new Set(['+919823456781', '+918971234560']),
    )
    // The listener stored what the generator sent: the same ids, durable in the store.
    expect(store.size()).toBe(45)
  })

  it('today declared a holiday at the vendor: new calls are MISSED and queue up', async () => {
    await gen.pushOne({ hangUp: false, department: 'Support', awkward: null })
    expect(stored.at(-1)?.status).toBe('ANSWER')

    expect(await vendor({ action: 'holiday', hdate: '2026-03-10' })).toBe('Success')
    const from = stored.length
    for (let i = 0; i < 12; i++) {
      expect((await gen.pushOne({ hangUp: false })).outcome).toBe('accepted')
    }
    const after = stored.slice(from)
    expect(after).toHaveLength(12)
    for (const c of after) {
      expect(c).toMatchObject({
        status: 'MISSED',
        agentNumber: null,
        recordingUrl: null,
        date: '2026-03-10',
      })
    }
    await Promise.all(pending)
    const queue = missed.list()
    const callers = new Set(after.map((c) => c.callerNumber))
    expect(queue.openCount).toBe(callers.size)
    expect(queue.items.reduce((n, i) => n + i.count, 0)).toBe(12)
  })

  it('office hours set at the vendor close the line outside them', async () => {
    expect(
      await vendor({
        action: 'OfficeTime',
        day: 'Tuesday',
        st_time: '02:00 PM',
        en_time: '06:00 PM',
      }),
    ).toBe('Success')
    await gen.pushOne({ hangUp: false })
    expect(stored.at(-1)).toMatchObject({ status: 'MISSED', agentNumber: null })
    await gen.pushOne({ hangUp: false, at: Date.parse('2026-03-10T15:00:00+05:30') })
    expect(stored.at(-1)?.status).toBe('ANSWER')
  })

  it('every awkward shape is accepted and stored once; recordings play from the simulator', async () => {
    const awkward = new CallGenerator({
      target: `http://127.0.0.1:${listener.status().port}/api/PostCallLogs/${TOKEN}/`,
      simulator: sim,
      timezone: TZ,
      callsPerMinute: 0,
      awkwardShare: 1,
      random: seeded(99),
      clock: { now: () => NOW },
    })
    const ids = new Set<string>()
    for (let i = 0; i < 60; i++) {
      const r = await awkward.pushOne()
      expect(r.outcome, r.detail).toBe('accepted')
      ids.add(r.push.call.id)
    }
    await awkward.stop()
    expect(awkward.stats().duplicates).toBeGreaterThan(0)
    expect(rejected.count()).toBe(0)
    expect(store.size()).toBe(ids.size)
    const answered = stored.find((c) => c.status === 'ANSWER' && c.recordingUrl)
    expect(answered?.recordingUrl).toContain(`${sim.url}/recordings/`)
    const rec = await fetch(answered!.recordingUrl!)
    expect(rec.headers.get('content-type')).toBe('audio/wav')
    expect(
      Buffer.from(await rec.arrayBuffer())
        .subarray(0, 4)
        .toString('ascii'),
    ).toBe('RIFF')
  })

  it('pushes on its own schedule, and a stopped listener only counts as failed', async () => {
    const timed = new CallGenerator({
      target: `http://127.0.0.1:${listener.status().port}/api/PostCallLogs/${TOKEN}/`,
      simulator: sim,
      timezone: TZ,
      callsPerMinute: 1200,
      random: seeded(5),
    })
    timed.start()
    await vi.waitFor(() => expect(stored.length).toBeGreaterThanOrEqual(5), {
      timeout: 20_000,
      interval: 50,
    })
    await listener.stop()
    const sentBefore = timed.stats().sent
    await vi.waitFor(() => expect(timed.stats().failed).toBeGreaterThanOrEqual(2), {
      timeout: 20_000,
      interval: 50,
    })
    await timed.stop()
    const s = timed.stats()
    expect(s.sent).toBeGreaterThan(sentBefore)
    expect(s.accepted).toBeGreaterThanOrEqual(5)
    expect(s.sent).toBe(s.accepted + s.refused + s.failed)
  })
})
