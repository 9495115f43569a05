import { fileDocuments } from '../../../src/main/storage/folder/documents'
import { FileLog } from '../../../src/main/storage/folder/fileLog'
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { NotFoundError } from '../../../src/main/ground/errors'
import { silentLogger } from '../../../src/main/ground/logger'
import { EventBus } from '../../../src/main/events/bus'
import { MissedQueue, undoable, UNDO_FOR_MS, UNDO_ITEMS_KEPT } from '../../../src/main/missed/queue'
import type { Call, CallStatus, MissedItem } from '../../../src/shared/domain'

const A = '+919812345670'
const B = '+917012345678'

function call(id: string, callerNumber: string, status: CallStatus, startedAt: string): Call {
  return {
    id,
    callerNumber,
    agentNumber: status === 'ANSWER' ? '+919876543210' : null,
    status,
    date: startedAt.slice(0, 10),
    time: startedAt.slice(11, 19),
    startedAt,
    ivrSeconds: 10,
    talkSeconds: status === 'ANSWER' ? 60 : 0,
    circle: 'Karnataka',
    virtualNumber: null,
    department: 'Sales',
    recordingUrl: null,
    callType: null,
    receivedAt: '2026-03-10T05:30:00.000Z',
    firstReceivedAt: '2026-03-10T05:30:00.000Z',
    revision: 1,
    raw: {},
    history: [],
  }
}

const t = (hhmm: string, day = '10'): string => `2026-03-${day}T${hhmm}:00+05:30`

/** The queue's document and archive as files in `dir`. */
const onFiles = (dir: string) => ({
  documents: fileDocuments(dir),
  archive: new FileLog<MissedItem>(join(dir, 'missed-archive.jsonl')),
})

describe('MissedQueue', () => {
  let dir: string
  let bus: EventBus
  let now: number
  let events: { openCount: number; items: unknown[] }[]
  const clock = { now: () => now }

  const openQueue = (): Promise<MissedQueue> =>
    MissedQueue.open({
      ...onFiles(dir),
      clock,
      bus,
      logger: silentLogger,
      announceEveryMs: 0,
      saveEveryMs: 0,
    })

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'missed-'))
    bus = new EventBus()
    now = Date.parse(t('12:00'))
    events = []
    bus.on('missed:updated', (e) => events.push(e))
  })
  afterEach(() => rm(dir, { recursive: true, force: true }))

  it('opens one item per caller number, grouping misses and drops with a count', async () => {
    const q = await openQueue()
    await q.onCall(call('c1', A, 'MISSED', t('10:00')))
    await q.onCall(call('c2', A, 'DROPPED', t('10:20')))
    await q.onCall(call('c3', B, 'MISSED', t('10:10')))
    const { items, openCount } = q.list()
    expect(openCount).toBe(2)
    expect(q.openCount()).toBe(2)
    // Newest miss first.
    expect(items.map((i) => i.callerNumber)).toEqual([A, B])
    expect(items[0]).toEqual({
      callerNumber: A,
      callIds: ['c1', 'c2'],
      count: 2,
      firstMissedAt: t('10:00'),
      lastMissedAt: t('10:20'),
      state: 'open',
      note: null,
      settledAt: null,
      settledBy: null,
      department: 'Sales',
      assignee: null,
    })
    expect(events).toHaveLength(3)
    expect(events.at(-1)?.openCount).toBe(2)
  })

  it('ignores answered calls from numbers with nothing open', async () => {
    const q = await openQueue()
    expect(await q.onCall(call('a1', A, 'ANSWER', t('10:00')))).toBe(false)
    expect(q.list().items).toEqual([])
    expect(events).toHaveLength(0)
  })

  it('counts the same call once, also across revisions', async () => {
    const q = await openQueue()
    const c = call('c1', A, 'MISSED', t('10:00'))
    await q.onCall(c)
    expect(await q.onCall(c)).toBe(false)
    expect(await q.onCall({ ...c, revision: 2, status: 'DROPPED' })).toBe(false)
    expect(q.list().items[0]).toMatchObject({ count: 1, callIds: ['c1'] })
    expect(events).toHaveLength(1)
  })

  it('resolves itself only by a later answered call', async () => {
    const q = await openQueue()
    await q.onCall(call('c1', A, 'MISSED', t('10:00')))
    await q.onCall(call('c2', A, 'MISSED', t('10:30')))
    // Answered at 10:15 but pushed late: before the last miss, so it does not resolve.
    expect(await q.onCall(call('a0', A, 'ANSWER', t('10:15')))).toBe(false)
    expect(q.list().items[0]?.state).toBe('open')
    // Another number's answer does not count either.
    await q.onCall(call('a1', B, 'ANSWER', t('11:00')))
    expect(q.openCount()).toBe(1)
    await q.onCall(call('a2', A, 'ANSWER', t('10:45')))
    expect(q.list().items[0]).toMatchObject({
      state: 'resolved',
      settledBy: 'a2',
      settledAt: t('10:45'),
      count: 2,
    })
    expect(q.openCount()).toBe(0)
    expect(events.at(-1)?.openCount).toBe(0)
    expect(q.callbacks()).toEqual([
      { by: 'caller', settledAt: t('10:45'), lastMissedAt: t('10:30') },
    ])
  })

  it('a new miss after settling opens a new item and keeps the old one in history', async () => {
    const q = await openQueue()
    await q.onCall(call('c1', A, 'MISSED', t('10:00')))
    await q.onCall(call('a1', A, 'ANSWER', t('10:05')))
    await q.onCall(call('c2', A, 'MISSED', t('11:00')))
    const { items } = q.list()
    expect(items).toHaveLength(1)
    expect(items[0]).toMatchObject({ callIds: ['c2'], count: 1, state: 'open' })
    // The settled one is not lost: it still counts for the dashboard.
    expect(q.callbacks()).toEqual([
      { by: 'caller', settledAt: t('10:05'), lastMissedAt: t('10:00') },
    ])
    await q.flush()
    const reopened = await openQueue()
    expect(reopened.callbacks()).toHaveLength(1)
  })

  it('a miss pushed late, from before the answered call, is settled by it', async () => {
    const q = await openQueue()
    await q.onCall(call('a1', A, 'ANSWER', t('10:30')))
    await q.onCall(call('c1', A, 'MISSED', t('10:00')))
    expect(q.list().items[0]).toMatchObject({ state: 'resolved', settledBy: 'a1', count: 1 })
    // And a late miss that belongs to an already resolved item joins it.
    await q.onCall(call('c0', A, 'MISSED', t('09:50')))
    expect(q.list().items).toHaveLength(1)
    expect(q.list().items[0]).toMatchObject({ state: 'resolved', callIds: ['c0', 'c1'], count: 2 })
    expect(q.list().items[0]?.firstMissedAt).toBe(t('09:50'))
    expect(q.openCount()).toBe(0)
  })

  it('a revision that turns a miss into an answered call takes it out of the queue', async () => {
    const q = await openQueue()
    await q.onCall(call('c1', A, 'MISSED', t('10:00')))
    await q.onCall(call('c2', A, 'MISSED', t('10:10')))
    await q.onCall({ ...call('c2', A, 'ANSWER', t('10:10')), revision: 2 })
    expect(q.list().items[0]).toMatchObject({
      callIds: ['c1'],
      count: 1,
      lastMissedAt: t('10:00'),
      // The call now answered came after the remaining miss: the caller was served.
      state: 'resolved',
      settledBy: 'c2',
    })
    await q.onCall({ ...call('c1', A, 'ANSWER', t('10:00')), revision: 2 })
    expect(q.list().items).toEqual([])
  })

  it('marks called back or resolved with a note, and reopens', async () => {
    const q = await openQueue()
    await q.onCall(call('c1', A, 'MISSED', t('10:00')))
    await q.onCall(call('c2', B, 'MISSED', t('10:05')))
    now = Date.parse(t('11:00'))
    const marked = await q.mark('098123 45670', 'called-back', '  Spoke to him, will visit  ')
    expect(marked).toMatchObject({
      callerNumber: A,
      state: 'called-back',
      note: 'Spoke to him, will visit',
      settledBy: 'user',
      settledAt: new Date(now).toISOString(),
    })
    const { items, openCount } = q.list()
    expect(openCount).toBe(1)
    // Open first, then recently settled.
    expect(items.map((i) => [i.callerNumber, i.state])).toEqual([
      [B, 'open'],
      [A, 'called-back'],
    ])
    expect(events.at(-1)?.openCount).toBe(1)
    // A later answered call does not override the supervisor's mark.
    await q.onCall(call('a1', A, 'ANSWER', t('11:30')))
    expect(q.list().items.find((i) => i.callerNumber === A)?.state).toBe('called-back')

    const again = await q.mark(A, 'resolved')
    expect(again).toMatchObject({ state: 'resolved', note: 'Spoke to him, will visit' })
    const reopened = await q.mark(A, 'open', '')
    expect(reopened).toMatchObject({ state: 'open', note: null, settledAt: null, settledBy: null })
    expect(q.openCount()).toBe(2)
  })

  it('assigns an item to a person by name, any spelling of the number; empty clears it', async () => {
    const q = await openQueue()
    await q.onCall(call('c1', A, 'MISSED', t('10:00')))
    const assigned = await q.assign('098123 45670', '  Meena R ')
    expect(assigned).toMatchObject({ callerNumber: A, assignee: 'Meena R', state: 'open' })
    expect(events.at(-1)?.items).toEqual([expect.objectContaining({ assignee: 'Meena R' })])
    // A later miss from the same caller joins the item and keeps its assignee.
    await q.onCall({ ...call('c2', A, 'DROPPED', t('10:30')), department: 'Support' })
    expect(q.list().items[0]).toMatchObject({
      count: 2,
      assignee: 'Meena R',
      department: 'Support',
    })
    expect((await q.assign(A, '')).assignee).toBeNull()
    await expect(q.assign('9000000000', 'X')).rejects.toBeInstanceOf(NotFoundError)
  })

  it('marks and assigns many callers in one write and one announcement, and undoes it once', async () => {
    const C = '+919000000003'
    const q = await openQueue()
    await q.onCall(call('c1', A, 'MISSED', t('10:00')))
    await q.onCall(call('c2', B, 'MISSED', t('10:05')))
    await q.onCall(call('c3', C, 'DROPPED', t('10:10')))
    await q.assign(B, 'Meena')
    await q.mark(C, 'called-back', 'rang at 11')
    const calledBackAt = q.list().items.find((i) => i.callerNumber === C)!.settledAt
    const before = structuredClone(q.list().items)
    const announced = events.length
    now += 60_000
    const done = await q.bulk(['098123 45670', B, C, '+919999999999', A], {
      state: 'resolved',
      assignee: 'Ravi',
    })
    expect(done).toMatchObject({ changed: 3, unchanged: 0, notFound: ['+919999999999'] })
    expect(events.length).toBe(announced + 1)
    expect(q.openCount()).toBe(0)
    const after = new Map(q.list().items.map((i) => [i.callerNumber, i]))
    expect(after.get(A)).toMatchObject({ state: 'resolved', assignee: 'Ravi', settledBy: 'user' })
    // Already settled: it keeps its own state and time, and takes the assignee.
    expect(after.get(C)).toMatchObject({ state: 'resolved', assignee: 'Ravi' })

    const undone = await q.undo(done.undoId!)
    expect(undone).toEqual({ restored: 3, kept: [] })
    // Exactly as before, settle times included (the call-back figures read them).
    expect(q.list().items).toEqual(before)
    expect(q.list().items.find((i) => i.callerNumber === C)!.settledAt).toBe(calledBackAt)
    await expect(q.undo(done.undoId!)).rejects.toThrow(NotFoundError)
    // Written: a reopened queue has the same lines.
    await q.flush()
    expect((await openQueue()).list().items).toEqual(before)
  })

  it('keeps, on undo, what changed again since the bulk change', async () => {
    const q = await openQueue()
    await q.onCall(call('c1', A, 'MISSED', t('10:00')))
    await q.onCall(call('c2', B, 'MISSED', t('10:05')))
    const done = await q.bulk([A, B], { state: 'resolved', note: 'bulk' })
    // Someone reassigns A and renotes B; a new miss from A later opens a new line.
    await q.mark(B, 'resolved', 'spoke to them')
    now += 3_600_000
    await q.onCall(call('c3', A, 'MISSED', t('13:00')))
    const undone = await q.undo(done.undoId!)
    expect(undone.restored).toBe(1)
    expect(undone.kept.map((k) => k.callerNumber)).toEqual([A, B])
    const items = new Map(q.list().items.map((i) => [i.callerNumber, i]))
    // B's state is put back (nobody changed it since), its newer note kept.
    expect(items.get(B)).toMatchObject({ state: 'open', note: 'spoke to them' })
    expect(items.get(A)).toMatchObject({ state: 'open', callIds: ['c3'] })
  })

  it('keeps bulk changes for undo for a day', async () => {
    const q = await openQueue()
    await q.onCall(call('c1', A, 'MISSED', t('10:00')))
    await q.onCall(call('c2', B, 'MISSED', t('10:05')))
    await q.onCall(call('c3', '+919000000003', 'MISSED', t('10:10')))
    const first = await q.bulk([A, B], { assignee: 'Ravi' })
    now += UNDO_FOR_MS - 60_000
    const second = await q.bulk(['+919000000003'], { assignee: 'Asha' })
    expect((await q.undo(first.undoId!)).restored).toBe(2)
    // A day after the second, it is too old, and gone from the document.
    now += UNDO_FOR_MS
    await expect(q.undo(second.undoId!)).rejects.toThrow(NotFoundError)
    await q.flush()
    const doc = JSON.parse(await readFile(join(dir, 'missed-queue.json'), 'utf8')) as {
      undo?: unknown[]
    }
    expect(doc.undo).toEqual([])
  })

  it('never keeps more items for undo than the limit, the newest change whole', () => {
    const at = new Date(0).toISOString()
    const change = (n: number) => ({ at, items: Array.from({ length: n }, () => ({})) })
    const sizes = (n: number[]) => undoable(n.map(change), 1_000).map((r) => r.items.length)
    expect(sizes([4_000, 4_000, 4_000])).toEqual([4_000, 4_000])
    expect(sizes([1, UNDO_ITEMS_KEPT - 1, 1])).toEqual([UNDO_ITEMS_KEPT - 1, 1])
    expect(sizes([5, UNDO_ITEMS_KEPT + 5])).toEqual([UNDO_ITEMS_KEPT + 5])
    expect(sizes(Array.from({ length: 30 }, () => 1))).toHaveLength(20)
  })

  it('answers no undo for a bulk change that changed nothing', async () => {
    const q = await openQueue()
    await q.onCall(call('c1', A, 'MISSED', t('10:00')))
    await q.mark(A, 'resolved')
    expect(await q.bulk([A], { state: 'resolved' })).toEqual({
      undoId: null,
      changed: 0,
      unchanged: 1,
      notFound: [],
    })
  })

  it('mark of a number without an item is a NotFoundError', async () => {
    const q = await openQueue()
    await expect(q.mark('9000000000', 'resolved')).rejects.toBeInstanceOf(NotFoundError)
  })

  it('keeps items and marks across a reopen', async () => {
    const q = await openQueue()
    await q.onCall(call('c1', A, 'MISSED', t('10:00')))
    await q.onCall(call('c2', B, 'DROPPED', t('10:05')))
    await q.mark(B, 'called-back', 'left a message')
    await q.flush()
    const file = JSON.parse(await readFile(join(dir, 'missed-queue.json'), 'utf8'))
    expect(file.items).toHaveLength(2)

    await q.flush()
    const q2 = await openQueue()
    expect(q2.list()).toEqual(q.list())
    // Duplicates are still recognised after the restart.
    expect(await q2.onCall(call('c1', A, 'MISSED', t('10:00')))).toBe(false)
    expect(q2.list().items.find((i) => i.callerNumber === B)?.note).toBe('left a message')
  })

  it('moves items settled over a week ago out of the list into history', async () => {
    const q = await openQueue()
    await q.onCall(call('c1', A, 'MISSED', t('10:00')))
    await q.onCall(call('a1', A, 'ANSWER', t('10:30')))
    await q.onCall(call('c2', B, 'MISSED', t('10:40')))
    now = Date.parse(t('12:00', '18'))
    expect(q.list().items.map((i) => i.callerNumber)).toEqual([B])
    await q.onCall(call('c3', B, 'MISSED', t('11:00', '18')))
    await q.flush()
    const file = JSON.parse(await readFile(join(dir, 'missed-queue.json'), 'utf8'))
    expect(file.items.map((i: { callerNumber: string }) => i.callerNumber)).toEqual([B])
    expect(file.history).toHaveLength(1)
    expect(q.callbacks()).toHaveLength(1)
  })

  it('archives history beyond its cap to a file instead of dropping it', async () => {
    const q = await MissedQueue.open({
      ...onFiles(dir),
      clock,
      bus,
      logger: silentLogger,
      historyCap: 2,
      announceEveryMs: 0,
      saveEveryMs: 0,
    })
    for (let h = 1; h <= 5; h++) {
      const hh = String(h).padStart(2, '0')
      now = Date.parse(t(`${hh}:59`))
      await q.onCall(call(`m${h}`, A, 'MISSED', t(`${hh}:00`)))
      await q.onCall(call(`a${h}`, A, 'ANSWER', t(`${hh}:30`)))
      // The hourly sweep runs with the write, at this hour of the clock.
      await q.flush()
    }
    now = Date.parse(t('10:00'))
    await q.onCall(call('m6', A, 'MISSED', t('09:00')))
    await q.flush()
    const file = JSON.parse(await readFile(join(dir, 'missed-queue.json'), 'utf8'))
    expect(file.history.map((i: { callIds: string[] }) => i.callIds[0])).toEqual(['m4', 'm5'])
    const archived = (await readFile(join(dir, 'missed-archive.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).callIds[0])
    expect(archived).toEqual(['m1', 'm2', 'm3'])
    expect(q.list().items[0]).toMatchObject({ callIds: ['m6'], state: 'open' })
  })

  it('queues a missed call whose vendor id is an Object.prototype name, also after a reopen', async () => {
    const q = await openQueue()
    const ids = ['constructor', 'toString', '__proto__', 'hasOwnProperty']
    for (const [i, id] of ids.entries()) {
      await q.onCall(call(id, A, 'MISSED', t(`10:0${i}`)))
    }
    expect(q.list().items[0]).toMatchObject({ callerNumber: A, count: 4, callIds: ids })
    // The same pushes again (vendor retries) count nothing twice, after a restart too.
    await q.flush()
    const reopened = await openQueue()
    for (const [i, id] of ids.entries()) {
      expect(await reopened.onCall(call(id, A, 'MISSED', t(`10:0${i}`)))).toBe(false)
    }
    // An answered revision of one of them takes it back out of the item.
    await reopened.onCall(call('toString', A, 'ANSWER', t('10:01')))
    expect(reopened.list().items[0]!.callIds).toEqual([
      'constructor',
      '__proto__',
      'hasOwnProperty',
    ])
    expect(({} as Record<string, unknown>).number).toBeUndefined()
  })

  it('does not rewrite its file for calls it already accounted for (start-up catch-up)', async () => {
    const q = await openQueue()
    const calls = [
      call('r1', A, 'MISSED', t('09:00')),
      call('r2', A, 'ANSWER', t('09:30')),
      call('r3', B, 'DROPPED', t('09:40')),
      call('r4', B, 'ANSWER', t('09:35')),
    ]
    for (const c of calls) await q.onCall(c)
    await q.flush()
    const reopened = await openQueue()
    // Any write would now fail: the document's path is taken by a folder.
    const file = join(dir, 'missed-queue.json')
    await rm(file)
    await mkdir(join(file, 'blocker'), { recursive: true })
    for (const c of calls) expect(await reopened.onCall(c)).toBe(false)
    expect(reopened.list().items.map((i) => [i.callerNumber, i.state])).toEqual([
      [B, 'open'],
      [A, 'resolved'],
    ])
  })

  it('catches up from the stored calls it is given, newest first as a store iterates', async () => {
    const q = await openQueue()
    async function* newestFirst(): AsyncIterable<Call> {
      yield call('c2', A, 'ANSWER', t('09:30'))
      yield call('c1', A, 'MISSED', t('09:00'))
      yield call('c3', B, 'MISSED', t('08:00'))
    }
    await q.catchUp(newestFirst())
    expect(q.list().items.map((i) => [i.callerNumber, i.state])).toEqual([
      [B, 'open'],
      [A, 'resolved'],
    ])
  })

  it('catches up on the last week from the local date seven days ago in the zone given', async () => {
    const q = await openQueue()
    const asked: unknown[] = []
    const store = {
      async *iterate(query: unknown): AsyncIterable<Call> {
        asked.push(query)
        yield call('c1', A, 'MISSED', t('09:00'))
      },
    }
    // 12:00 on 10 March in India is 10 March there, 9 March in Honolulu.
    await q.catchUpLastWeek(store, 'Asia/Kolkata')
    await q.catchUpLastWeek(store, 'Pacific/Honolulu')
    expect(asked).toEqual([{ from: '2026-03-03' }, { from: '2026-03-02' }])
    expect(q.list().items.map((i) => [i.callerNumber, i.state])).toEqual([[A, 'open']])
  })

  it('follows the stored calls on the bus, logging a call it could not take', async () => {
    const lines: string[] = []
    const logger = { ...silentLogger, error: (m: string) => void lines.push(m) }
    const q = await MissedQueue.open({ ...onFiles(dir), clock, bus, logger, announceEveryMs: 0 })
    const off = q.followStoredCalls()
    bus.emit('call:stored', { call: call('c1', A, 'MISSED', t('09:00')), outcome: 'created' })
    await q.flush()
    expect(q.openCount()).toBe(1)
    // A call the queue cannot take: logged, and the bus's other subscribers go on.
    vi.spyOn(q, 'onCall').mockRejectedValueOnce(new Error('the disk is full'))
    bus.emit('call:stored', { call: call('c2', B, 'MISSED', t('09:30')), outcome: 'created' })
    await vi.waitFor(() => expect(lines).toEqual(['Missed-call queue update failed']))
    off()
    bus.emit('call:stored', { call: call('c3', B, 'MISSED', t('10:00')), outcome: 'created' })
    await q.flush()
    expect(q.openCount()).toBe(1)
  })

  it('coalesces a burst: announced and written a few times, not once per call', async () => {
    // The shipped intervals (announce 250 ms, write 1 s).
    const q = await MissedQueue.open({ ...onFiles(dir), clock, bus, logger: silentLogger })
    const file = join(dir, 'missed-queue.json')
    const burst = Array.from({ length: 500 }, (_, i) =>
      call(`b${i}`, `+9198${String(i).padStart(8, '0')}`, 'MISSED', t('10:00')),
    )
    const changed = await Promise.all(burst.map((c) => q.onCall(c)))
    expect(changed.every(Boolean)).toBe(true)
    // In memory at once, announced at once for the first call and then coalesced.
    expect(q.openCount()).toBe(500)
    expect(events.length).toBeGreaterThanOrEqual(1)
    expect(events.length).toBeLessThan(5)
    await q.flush()
    expect(events.at(-1)?.openCount).toBe(500)
    const doc = JSON.parse(await readFile(file, 'utf8'))
    expect(doc.items).toHaveLength(500)
    const reopened = await openQueue()
    expect(reopened.openCount()).toBe(500)
  })
})
