/**
 * What a supervisor's day asks of storage, run over both backends (the data folder, and
 * PostgreSQL): the dashboard's call-backs ours vs the caller's and its in/after-hours split by the
 * schedule in force then, agents' figures for today, the history searched by agent name and by a
 * number in any spelling, a caller's timeline, the queue's departments, assignees, search and
 * export, and the settings of time zone and alerts. Every backend must give the same answers.
 * For PostgreSQL, also what several instances need: each hears the schedule history, the
 * settings and the calls another one stored.
 */
import { FileLog } from '../../../src/main/storage/folder/fileLog'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EventBus } from '../../../src/main/events/bus'
import { silentLogger } from '../../../src/main/ground/logger'
import { computeDashboard } from '../../../src/main/insight/dashboard'
import { ScheduleHistory } from '../../../src/main/ivrSettings/scheduleHistory'
import { AgentAvailability } from '../../../src/main/ivrSettings/agentAvailability'
import { todayStats } from '../../../src/main/ivrSettings/vendorRuntime'
import { missedCsv } from '../../../src/main/missed/export'
import { MissedQueue } from '../../../src/main/missed/queue'
import { readEnvConfig } from '../../../src/main/config/env'
import { MemorySecretStore } from '../../../src/main/dataFolder/secretsFile'
import { SettingsService } from '../../../src/main/settings/settingsService'
import type { DocumentSource } from '../../../src/main/storage/documents'
import type { CallStore } from '../../../src/main/storage/types'
import type { Settings } from '../../../src/shared/domain'
import type { Clock } from '../../../src/main/ground/clock'
import { fakeClock, fields, raw, ZONE } from '../../unit/storage/fixtures'
import { documentBody } from '../postgres/helpers'
import { BACKENDS, until, useBackend } from './backends'

const AGENT = '+919812345678'
const SUPPORT_AGENT = '+919812345600'

/** An agent as `agent:updated` announces it, with a status confirmed at a local instant. */
const status = (number: string, s: 'AVAIL' | 'OFF', at: string) => ({
  normalizedNumber: number,
  status: s,
  statusConfirmedAt: new Date(at).toISOString(),
})
/** Callers: W missed before any hours were set, X missed in hours (we call back), Y missed after hours and rang again, Z dropped after hours. */
const W = '+919000033333'
const X = '+919000011111'
const Y = '+919000022222'
const Z = '+919000044444'
const HOURS = { Daily: { start: '09:30', end: '18:00' } }

/** The missed-call queue on a backend's documents, announcing and saving at once. */
const openQueue = (docs: DocumentSource, clock: Clock, dir = ''): Promise<MissedQueue> =>
  MissedQueue.open({
    documents: docs,
    archive: new FileLog(join(dir, 'missed-archive.jsonl')),
    clock,
    bus: new EventBus(),
    logger: silentLogger,
    announceEveryMs: 0,
    saveEveryMs: 0,
  })

const ids = async (p: Promise<{ calls: { id: string }[] }>): Promise<string[]> =>
  (await p).calls.map((c) => c.id)

describe.each(BACKENDS)('A supervisor day on storage: $name', (factory) => {
  const place = useBackend(factory)
  const clock = fakeClock('2026-03-10T00:00:00+05:30')
  let scratch: string

  beforeEach(async () => {
    clock.set('2026-03-10T00:00:00+05:30')
    scratch = await mkdtemp(join(tmpdir(), 'ivrs-day-'))
  })
  afterEach(() => rm(scratch, { recursive: true, force: true }))

  const openHistory = async (docs: DocumentSource) =>
    ScheduleHistory.open({ documents: docs, clock, logger: silentLogger })
  const openAvailability = async (docs: DocumentSource) =>
    AgentAvailability.open({ documents: docs, clock, logger: silentLogger })
  const openSettings = async (docs: DocumentSource) =>
    SettingsService.open({
      env: readEnvConfig({}),
      secrets: new MemorySecretStore(),
      bus: new EventBus(),
      documents: docs,
    })

  /** The day's calls in the store and the queue, in the order they started. */
  async function aDay(store: CallStore, queue: MissedQueue): Promise<void> {
    const calls = [
      fields('old', '2026-03-09', '23:00:00', {
        status: 'MISSED',
        agentNumber: null,
        callerNumber: W,
      }),
      fields('out1', '2026-03-14', '20:00:00', {
        status: 'MISSED',
        agentNumber: null,
        callerNumber: Y,
      }),
      fields('out2', '2026-03-14', '21:00:00', {
        status: 'DROPPED',
        agentNumber: null,
        callerNumber: Z,
        ivrSeconds: 4,
      }),
      fields('in1', '2026-03-15', '10:00:00', { talkSeconds: 60 }),
      fields('in2', '2026-03-15', '11:00:00', {
        status: 'MISSED',
        agentNumber: null,
        callerNumber: X,
        department: 'Support',
      }),
      fields('back', '2026-03-15', '11:30:00', { callerNumber: Y, talkSeconds: 30 }),
    ]
    for (const f of calls) {
      const r = await store.upsert(f, raw(f.id), '2026-03-15T06:10:00.000Z')
      await queue.onCall(r.call)
    }
  }

  it('gives the dashboard call-backs ours vs the caller’s, and in/after hours by the schedule then', async () => {
    const docs = await place().documents()
    const history = await openHistory(docs)
    // Office hours set at midnight on 10 March: the call of the 9th was taken before any.
    await history.record({ hours: HOURS, holidays: new Map() }, ZONE)
    const store = await place().callStore(clock)
    const queue = await openQueue(docs, clock, scratch)
    await aDay(store, queue)
    clock.set('2026-03-15T12:00:00+05:30')
    await queue.mark(X, 'called-back')

    // Read back from a fresh look at the durable place, as the next start would.
    await queue.flush()
    const again = await place().documents()
    const judge = (await openHistory(again)).closedAt(ZONE)
    const callbacks = (await openQueue(again, clock, scratch)).callbacks()
    const d = await computeDashboard({
      store,
      range: '7d',
      now: clock.now(),
      timezone: ZONE,
      agentName: () => null,
      callbacks,
      closedAt: judge,
    })
    expect(d.totals).toMatchObject({
      total: 6,
      answered: 2,
      missed: 3,
      dropped: 1,
      calledBackByUs: 1,
      rangAgainAnswered: 1,
      medianCallbackMinutes: 60,
    })
    // The call of the 9th is no evidence of closed hours: nothing was set then.
    expect(d.inHours).toEqual({ total: 4, answered: 2, missed: 2, dropped: 0, answerRate: 0.5 })
    expect(d.afterHours).toEqual({ total: 2, answered: 0, missed: 1, dropped: 1, answerRate: 0 })
    expect(judge(Date.parse('2026-03-09T23:00:00+05:30'))).toBeNull()
  })

  it("counts an agent's missed calls while available by the statuses kept, and the team's service level", async () => {
    const docs = await place().documents()
    const history = await openHistory(docs)
    await history.record({ hours: HOURS, holidays: new Map() }, ZONE)
    const availability = await openAvailability(docs)
    // Support's agent was confirmed available from 10:30 to 11:30 on the 15th; Sales' from the 14th.
    await availability.record(status(SUPPORT_AGENT, 'AVAIL', '2026-03-15T10:30:00+05:30'))
    await availability.record(status(SUPPORT_AGENT, 'OFF', '2026-03-15T11:30:00+05:30'))
    await availability.record(status(AGENT, 'AVAIL', '2026-03-14T00:00:00+05:30'))
    const settings = await openSettings(docs)
    await settings.update({ serviceLevelSeconds: 15 })
    const store = await place().callStore(clock)
    await aDay(store, await openQueue(docs, clock, scratch))
    clock.set('2026-03-15T12:00:00+05:30')

    // Read back from a fresh look at the durable place, as the next start would.
    const again = await place().documents()
    const d = await computeDashboard({
      store,
      range: '7d',
      now: clock.now(),
      timezone: ZONE,
      agentName: () => null,
      callbacks: [],
      closedAt: (await openHistory(again)).closedAt(ZONE),
      serviceLevelSeconds: (await openSettings(again)).get().serviceLevelSeconds,
      availability: {
        agents: [
          { normalizedNumber: SUPPORT_AGENT, department: 'Support' },
          { normalizedNumber: AGENT, department: 'Sales' },
        ],
        availableAt: (await openAvailability(again)).availableAt(),
      },
    })
    // Support's 11:00 miss came while its agent was available; Sales' 20:00 miss after hours.
    expect(d.perAgent.find((a) => a.agentNumber === SUPPORT_AGENT)).toMatchObject({
      answered: 0,
      missedWhileAvailable: 1,
      lastCallAt: null,
    })
    expect(d.perAgent.find((a) => a.agentNumber === AGENT)).toMatchObject({
      answered: 2,
      missedWhileAvailable: 0,
      talkSeconds: 90,
      avgHandlingSeconds: 45,
    })
    // Both answered calls waited 12 s in the IVR: within 15 s, 2 of the 6 calls.
    expect(d.serviceLevel).toEqual({ seconds: 15, answeredWithin: 2, total: 6, rate: 2 / 6 })
  })

  it("gives agents' answered calls, talk time and last call of today", async () => {
    const docs = await place().documents()
    const store = await place().callStore(clock)
    await aDay(store, await openQueue(docs, clock, scratch))
    clock.set('2026-03-15T12:00:00+05:30')
    const today = await todayStats(store, clock, ZONE)
    expect(Object.fromEntries(today)).toEqual({
      [AGENT]: { answered: 2, talkSeconds: 90, lastCallAt: '2026-03-15T06:00:00.000Z' },
    })
    clock.set('2026-03-16T09:00:00+05:30')
    expect((await todayStats(store, clock, ZONE)).size).toBe(0)
  })

  it("finds calls by an agent's name, by a number in any spelling, and a caller's timeline", async () => {
    const store = await place().callStore(clock)
    await aDay(store, await openQueue(await place().documents(), clock, scratch))
    // The store knows numbers only: main gives it the numbers of the agents so named.
    expect(await ids(store.query({ q: 'Asha', textAgents: [AGENT] }))).toEqual(['back', 'in1'])
    expect((await store.query({ q: 'Asha' })).total).toBe(0)
    const byName: string[] = []
    for await (const c of store.iterate({ q: 'asha', textAgents: [AGENT] })) byName.push(c.id)
    expect(byName).toEqual(['back', 'in1'])
    // A whole number with the trunk 0, and a fragment with it.
    expect(await ids(store.query({ q: '090000 22222' }))).toEqual(['back', 'out1'])
    expect(await ids(store.query({ q: '0900002' }))).toEqual(['back', 'out1'])
    expect((await store.query({ q: '+91 90000 11111' })).total).toBe(1)
    expect((await store.byCaller(Y)).map((c) => c.id)).toEqual(['back', 'out1'])
  })

  it("keeps the queue's departments and assignees, searched and exported as on screen", async () => {
    const docs = await place().documents()
    const store = await place().callStore(clock)
    const queue = await openQueue(docs, clock, scratch)
    await aDay(store, queue)
    clock.set('2026-03-15T12:00:00+05:30')
    await queue.assign('090000 11111', 'Meena R')
    await queue.flush()

    const reopened = await openQueue(await place().documents(), clock, scratch)
    const items = reopened.list().items
    expect(items.find((i) => i.callerNumber === X)).toMatchObject({
      department: 'Support',
      assignee: 'Meena R',
      state: 'open',
    })
    expect(items.find((i) => i.callerNumber === Z)).toMatchObject({ department: 'Sales' })
    const byName = missedCsv(items, { show: 'all', text: 'meena' }, ZONE, clock.now())
    expect(byName.rows).toBe(1)
    expect(byName.csv).toContain('+919000011111,1,2026-03-15T11:00:00.000+05:30')
    expect(byName.csv).toContain('Support,open,,,Meena R')
    expect(missedCsv(items, { show: 'all', department: 'SUPPORT' }, ZONE, clock.now()).rows).toBe(1)
    // Open only: Y rang again and got through, so W, X and Z are waiting.
    expect(missedCsv(items, { show: 'open' }, ZONE, clock.now()).rows).toBe(3)
    expect(missedCsv(items, { show: 'all', text: '090000 22222' }, ZONE, clock.now()).rows).toBe(1)
  })

  it('undoes a bulk change from another instance sharing the queue', async () => {
    const docs = await place().documents()
    const store = await place().callStore(clock)
    const queue = await openQueue(docs, clock, scratch)
    await aDay(store, queue)
    clock.set('2026-03-15T12:00:00+05:30')
    const done = await queue.bulk([W, X, Z], { state: 'resolved', assignee: 'Meena R' })
    expect(done).toMatchObject({ changed: 3, notFound: [] })
    await queue.flush()
    // Another instance (another person's screen on another receiver) undoes it.
    const other = await openQueue(await place().documents(), clock, scratch)
    expect(other.openCount()).toBe(0)
    expect(await other.undo(done.undoId!)).toEqual({ restored: 3, kept: [] })
    await other.flush()
    const reopened = await openQueue(await place().documents(), clock, scratch)
    expect(reopened.openCount()).toBe(3)
    expect(reopened.list().items.filter((i) => i.assignee !== null)).toEqual([])
  })

  it('keeps the time zone under its current name and the alert settings', async () => {
    const s = await openSettings(await place().documents())
    await s.update({ timezone: 'Asia/Calcutta', alertSound: true, quietOutsideOfficeHours: true })
    const again = await openSettings(await place().documents())
    expect(again.timezone()).toBe('Asia/Kolkata')
    expect(again.get()).toMatchObject({ alertSound: true, quietOutsideOfficeHours: true })
  })
})

describe('A supervisor day on PostgreSQL: several instances', () => {
  const place = useBackend(BACKENDS.find((b) => b.name === 'PostgreSQL')!)
  const clock = fakeClock('2026-03-10T00:00:00+05:30')
  const history = async (docs: DocumentSource) =>
    ScheduleHistory.open({ documents: docs, clock, logger: silentLogger })

  it('records a schedule change once however many instances hear it, and every judge follows it', async () => {
    clock.set('2026-03-10T00:00:00+05:30')
    const [a, b] = [
      await history(await place().documents()),
      await history(await place().documents()),
    ]
    const monday = { hours: HOURS, holidays: new Map<string, string | null>() }
    await Promise.all([a.record(monday, ZONE), b.record(monday, ZONE)])
    const noon = Date.parse('2026-03-12T12:00:00+05:30')
    expect(b.closedAt(ZONE)(noon)).toBe(false)
    // A closes the 12th (a holiday); B hears it and judges by it without being told.
    clock.set('2026-03-11T09:00:00+05:30')
    await a.record({ ...monday, holidays: new Map([['2026-03-12', 'Strike']]) }, ZONE)
    await until(() => b.closedAt(ZONE)(noon) === true)
    // B hearing the same change later (its books' event) adds nothing.
    await b.record({ ...monday, holidays: new Map([['2026-03-12', 'Strike']]) }, ZONE)
    const stored = await documentBody(place().url!, 'schedule-history.json')
    const doc = JSON.parse(stored) as { hours: unknown[]; holidays: unknown[] }
    expect(doc.hours).toHaveLength(1)
    expect(doc.holidays).toHaveLength(1)
  })

  it("records an agent's status change once however many instances hear it, and every judge follows it", async () => {
    clock.set('2026-03-15T12:00:00+05:30')
    const open = async () =>
      AgentAvailability.open({
        documents: await place().documents(),
        clock,
        logger: silentLogger,
      })
    const [a, b] = [await open(), await open()]
    const avail = status(AGENT, 'AVAIL', '2026-03-15T10:00:00+05:30')
    // Both instances announce the agent (each hears the directory change).
    await Promise.all([a.record(avail), b.record(avail)])
    const noon = Date.parse('2026-03-15T12:00:00+05:30')
    await until(() => b.availableAt()(AGENT, noon))
    await a.record(status(AGENT, 'OFF', '2026-03-15T11:00:00+05:30'))
    await until(() => !b.availableAt()(AGENT, noon))
    await b.record(status(AGENT, 'OFF', '2026-03-15T11:00:00+05:30'))
    const doc = JSON.parse(await documentBody(place().url!, 'agent-availability.json')) as {
      spans: { status: string; to: string | null }[]
    }
    expect(doc.spans.map((s) => [s.status, s.to === null])).toEqual([
      ['AVAIL', false],
      ['OFF', true],
    ])
  })

  it('reads the queue of an older folder with no department or assignee, whoever saves it', async () => {
    clock.set('2026-03-15T12:00:00+05:30')
    // As migrate-to-postgres copies a queue written before issue 10: items without the fields.
    const old = { callerNumber: X, callIds: ['m1'], count: 1, state: 'open', note: null }
    const seed = await (
      await place().documents()
    ).open('missed-queue.json', {
      version: 1,
      items: [] as object[],
      history: [],
      counted: {},
      answered: {},
    })
    await seed.update((d) => {
      d.items.push({
        ...old,
        firstMissedAt: '2026-03-15T05:30:00.000Z',
        lastMissedAt: '2026-03-15T05:30:00.000Z',
        settledAt: null,
        settledBy: null,
      })
    })
    const queue = await openQueue(await place().documents(), clock)
    expect(queue.list().items[0]).toMatchObject({ department: null, assignee: null })
    // Another instance (an older one, say) saves the queue: this one reads the stored version.
    await seed.update((d) => {
      ;(d.items[0] as { note: string }).note = 'saved elsewhere'
    })
    await until(() => queue.list().items[0]?.note === 'saved elsewhere')
    expect(queue.list().items[0]).toMatchObject({ department: null, assignee: null })
    await queue.flush()
    const stored = JSON.parse(await documentBody(place().url!, 'missed-queue.json')) as {
      items: object[]
    }
    expect(stored.items[0]).toMatchObject({ department: null, assignee: null })
  })

  it("announces another instance's settings change with the alert settings", async () => {
    const open = async (bus: EventBus) =>
      SettingsService.open({
        env: readEnvConfig({}),
        secrets: new MemorySecretStore(),
        bus,
        documents: await place().documents(),
      })
    const busB = new EventBus()
    const heard: Settings[] = []
    busB.on('settings:updated', (s) => heard.push(s))
    const a = await open(new EventBus())
    await open(busB)
    await a.update({ alertSound: true, notify: 'all' })
    await until(() => heard.some((s) => s.alertSound && s.notify === 'all'))
  })
})
