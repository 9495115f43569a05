import { DateTime } from 'luxon'
import type { Call, MissedItem, MissedState } from '../../shared/domain'
import { normalizePhone } from '../../shared/phone'
import { NotFoundError } from '../ground/errors'
import type { Clock } from '../ground/clock'
import type { Logger } from '../ground/logger'
import type { EventBus } from '../events/bus'
import { type Document, type DocumentSource } from '../storage/documents'
import type { AppendLog } from '../storage/logs'
import type { CallStore } from '../storage/types'
import { Throttle } from '../ground/throttle'

export interface MissedQueueOptions {
  /** Where `missed-queue.json` is kept. */
  documents: DocumentSource
  /** Where settled items beyond the history's cap go (the `missed-archive` log). */
  archive: AppendLog<MissedItem>
  clock: Clock
  bus: EventBus
  logger: Logger
  /** Settled items kept in the document before older ones move to the archive (2000). */
  historyCap?: number
  /**
   * `missed:updated` (the whole list) goes out at most this often while calls arrive (1 s; 0:
   * every change).
   */
  announceEveryMs?: number
  /**
   * Changes made by calls are written at most this often (5 s; 0: at once). Each write is the
   * whole document (five weeks of bookkeeping); what a crash loses meanwhile, start-up rebuilds
   * from the stored calls.
   */
  saveEveryMs?: number
}

/** A counted missed/dropped call: whose it was and when it started. */
interface CountedCall {
  number: string
  at: string
}

interface MissedDoc {
  version: 1
  /** The current item of each caller number (open, or settled recently). */
  items: MissedItem[]
  /** Settled items superseded by a newer one or older than a week, oldest first. */
  history: MissedItem[]
  /** Missed/dropped call ids already counted, so a repeated push never counts twice. */
  counted: Record<string, CountedCall>
  /** The latest answered call per number, so a miss that arrives late is settled correctly. */
  answered: Record<string, { callId: string; at: string }>
  /** The last bulk changes, newest last, each undoable once (absent in older documents). */
  undo?: BulkRecord[]
}

/** What a supervisor sets on an item; the state's time and author come with it. */
type Marks = Pick<MissedItem, 'state' | 'settledAt' | 'settledBy' | 'note' | 'assignee'>

/** One bulk change: each item's marks before and after, to put back what it changed. */
interface BulkRecord {
  id: string
  at: string
  items: { callerNumber: string; firstMissedAt: string; before: Marks; after: Marks }[]
}

/** What one bulk change sets on every item it names (at least one of them). */
export interface BulkChange {
  state?: MissedState
  /** Replaces each item's note (empty clears it). */
  note?: string
  /** A person's name; empty or null: nobody. */
  assignee?: string | null
}

/** Bulk changes kept for undo: enough for a few supervisors working the queue at once. */
const UNDO_KEPT = 20
/** How long a bulk change can be undone: the document holding them is rewritten at every change. */
export const UNDO_FOR_MS = 86_400_000
/** Items kept for undo in all (a bulk change names up to 5,000): the newest change is kept whole. */
export const UNDO_ITEMS_KEPT = 10_000

/** The bulk changes still undoable at `now`, newest last: see the limits above. */
export function undoable<R extends { at: string; items: readonly unknown[] }>(
  records: readonly R[],
  now: number,
): R[] {
  const out: R[] = []
  let items = 0
  for (let i = records.length - 1; i >= 0 && out.length < UNDO_KEPT; i--) {
    const r = records[i]!
    if (!(now - Date.parse(r.at) < UNDO_FOR_MS)) break
    if (out.length > 0 && items + r.items.length > UNDO_ITEMS_KEPT) break
    items += r.items.length
    out.push(r)
  }
  return out.reverse()
}

const marksOf = (i: MissedItem): Marks => ({
  state: i.state,
  settledAt: i.settledAt,
  settledBy: i.settledBy,
  note: i.note,
  assignee: i.assignee,
})

const DAY = 86_400_000
/** Settled items stay in the list for a week, then move to history. */
const RECENT_MS = 7 * DAY
/** History kept in the document; older items go to the append-only archive. */
const HISTORY_CAP = 2000
/** Bookkeeping older than this is forgotten (vendors retry within minutes, not weeks). */
const BOOKKEEPING_MS = 35 * DAY
const SWEEP_EVERY_MS = 3_600_000

const time = (iso: string | null): number => (iso ? Date.parse(iso) : NaN)

/**
 * The bookkeeping maps are keyed by the vendor's call ids, which may be any text: `constructor`
 * or `__proto__` must read as "not counted yet", not as Object.prototype's members.
 */
function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined
}

/** Sets `record[key]` as a plain data property (an assignment to `__proto__` would not). */
function put<T>(record: Record<string, T>, key: string, value: T): void {
  // Only `__proto__` has a setter to go round; any other key is assigned (defineProperty on
  // every call cost more than the rest of the bookkeeping).
  if (key !== '__proto__') record[key] = value
  else
    Object.defineProperty(record, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    })
}

/**
 * The missed-call queue: every MISSED or DROPPED call opens (or joins) the item of its caller
 * number; the supervisor marks items called back or resolved; a later answered call from the same
 * number resolves an open item by itself. Kept durably in the data folder; every change is
 * announced as `missed:updated`. Feeding the same call twice (retries, revisions) changes nothing.
 */
export class MissedQueue {
  private lastSweep = 0
  /** onCall and mark one at a time, so `wouldChange` always sees every earlier update applied. */
  private chain: Promise<unknown> = Promise.resolve()
  private readonly announcing: Throttle
  private readonly saving: Throttle
  private readonly items = new ItemIndex()

  private constructor(
    private readonly store: Document<MissedDoc>,
    private readonly opts: MissedQueueOptions,
  ) {
    this.announcing = new Throttle(() => this.announce(), opts.announceEveryMs ?? 1000)
    // Another instance saved the queue (its calls, a supervisor's mark): announce what it is now.
    store.onExternalChange(() => this.announcing.request())
    this.saving = new Throttle(() => {
      void this.serial(() => this.saveNow()).catch(() => {})
    }, opts.saveEveryMs ?? 5000)
  }

  /** Opens (or creates) the queue. */
  static async open(opts: MissedQueueOptions): Promise<MissedQueue> {
    const docs = opts.documents
    const store = await docs.open<MissedDoc>('missed-queue.json', {
      version: 1,
      items: [],
      history: [],
      counted: {},
      answered: {},
    })
    // Items written before departments and assignees were kept read as having none. Through
    // `change`: on a shared database it is applied again to every newer version read or saved
    // (a queue moved over from an older data folder), not only to this copy.
    if (store.data.items.some((i) => i.department === undefined || i.assignee === undefined))
      store.change((doc) => {
        for (const i of doc.items) {
          i.department ??= null
          i.assignee ??= null
        }
      })
    return new MissedQueue(store, opts)
  }

  /**
   * Takes one stored call (every status). Resolves to whether the queue changed. The change is
   * in memory at once; it is announced (`missed:updated`) within a second and written within
   * five, coalesced with the calls arriving meanwhile: each write rewrites the whole document,
   * and a burst of pushes must not rewrite it once per call. A crash before the write loses
   * nothing: the calls are durable in the call store, and start-up feeds the last week's calls
   * again ({@link catchUpLastWeek}).
   */
  onCall(call: Call): Promise<boolean> {
    return this.serial(async () => {
      // A call already accounted for (a vendor retry, the start-up catch-up over last week's
      // calls) changes nothing and is not written again.
      if (!call.callerNumber || !wouldChange(this.store.data, call, this.items)) return false
      const changed = this.store.change((doc) =>
        call.status === 'ANSWER' ? answered(doc, call, this.items) : missed(doc, call, this.items),
      )
      this.saving.request()
      if (changed) this.announcing.request()
      return changed
    })
  }

  /**
   * Feeds every stored call (`call:stored`) into the queue. A failure is logged, never lost
   * silently: the call itself is already durable in the store and the queue is rebuilt from it
   * (see {@link catchUpLastWeek}). Returns the unsubscribe function.
   */
  followStoredCalls(): () => void {
    return this.opts.bus.on('call:stored', ({ call }) => {
      this.onCall(call).catch((err: unknown) => {
        this.opts.logger.error('Missed-call queue update failed', {
          callId: call.id,
          err: String(err),
        })
      })
    })
  }

  /**
   * A call is durable before the queue hears of it; after a crash between the two the queue
   * catches up from the calls stored since (newest first, as a store iterates them: taken
   * oldest first here). Repeats change nothing.
   */
  async catchUp(storedNewestFirst: AsyncIterable<Call>): Promise<void> {
    const recent: Call[] = []
    for await (const call of storedNewestFirst) recent.push(call)
    for (const call of recent.reverse()) await this.onCall(call)
  }

  /**
   * At start-up: {@link catchUp} over the calls of the last week (from the local date seven days
   * ago in `timezone`), what a crash between the store and the queue may have left out.
   */
  catchUpLastWeek(store: Pick<CallStore, 'iterate'>, timezone: string): Promise<void> {
    const weekAgo = DateTime.fromMillis(this.opts.clock.now(), { zone: timezone }).minus({
      days: 7,
    })
    return this.catchUp(store.iterate({ from: weekAgo.toISODate() ?? undefined }))
  }

  /** Writes the changes not written yet (shutdown, tests); rejects if the write fails. */
  flush(): Promise<void> {
    this.saving.cancel()
    if (this.announcing.pending) this.announcing.now()
    return this.serial(() => this.saveNow())
  }

  private async saveNow(): Promise<void> {
    try {
      await this.sweep()
      await this.store.save()
    } catch (err) {
      this.opts.logger.error('Missed-call queue could not be written', { err: String(err) })
      throw err
    }
  }

  /**
   * Marks the current item of `callerNumber` (any spelling of the number). `open` reopens a
   * settled item. A given `note` replaces the item's note (empty clears it); none keeps it.
   * @throws NotFoundError when that number has no item.
   */
  mark(callerNumber: string, state: MissedState, note?: string): Promise<MissedItem> {
    return this.userChange(callerNumber, (found) => {
      setState(found, state, new Date(this.opts.clock.now()).toISOString())
      if (note !== undefined) found.note = note.trim() === '' ? null : note.trim()
    })
  }

  /**
   * Assigns the current item of `callerNumber` to a person (a name; empty or null: nobody).
   * @throws NotFoundError when that number has no item.
   */
  assign(callerNumber: string, assignee: string | null): Promise<MissedItem> {
    const name = assignee?.trim() || null
    return this.userChange(callerNumber, (found) => {
      found.assignee = name
    })
  }

  /**
   * Marks, assigns or notes many callers at once, in one write and one announcement, and keeps
   * what each item was so that {@link undo} can put it back. Numbers with no item are answered
   * in `notFound`; items the change leaves as they are count as `unchanged`.
   */
  bulk(
    callerNumbers: readonly string[],
    change: BulkChange,
  ): Promise<{ undoId: string | null; changed: number; unchanged: number; notFound: string[] }> {
    const assignee = change.assignee === undefined ? undefined : change.assignee?.trim() || null
    const note = change.note === undefined ? undefined : change.note.trim() || null
    return this.serial(async () => {
      const now = new Date(this.opts.clock.now()).toISOString()
      const id = `bulk-${this.opts.clock.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`
      const outcome = await this.store.update((doc) => {
        const record: BulkRecord = { id, at: now, items: [] }
        const notFound: string[] = []
        let unchanged = 0
        const seen = new Set<string>()
        for (const typed of callerNumbers) {
          const number = normalizePhone(typed) ?? typed.trim()
          if (seen.has(number)) continue
          seen.add(number)
          const item = this.items.of(doc, number)
          if (!item) {
            notFound.push(typed.trim())
            continue
          }
          const before = marksOf(item)
          if (change.state !== undefined) setState(item, change.state, now)
          if (note !== undefined) item.note = note
          if (assignee !== undefined) item.assignee = assignee
          const after = marksOf(item)
          if (JSON.stringify(before) === JSON.stringify(after)) unchanged++
          else
            record.items.push({
              callerNumber: item.callerNumber,
              firstMissedAt: item.firstMissedAt,
              before,
              after,
            })
        }
        if (record.items.length > 0)
          doc.undo = undoable([...(doc.undo ?? []), record], this.opts.clock.now())
        return {
          undoId: record.items.length > 0 ? id : null,
          changed: record.items.length,
          unchanged,
          notFound,
        }
      })
      await this.sweep()
      this.announcing.now()
      return outcome
    })
  }

  /**
   * Puts back what a bulk change changed, once. What changed again since (a call that settled
   * the item, someone's mark, a new missed call starting a new item) is kept, and said.
   * @throws NotFoundError when there is no such change to undo (undone already, or too old).
   */
  undo(
    undoId: string,
  ): Promise<{ restored: number; kept: { callerNumber: string; reason: string }[] }> {
    return this.serial(async () => {
      const outcome = await this.store.update((doc) => {
        const live = undoable(doc.undo ?? [], this.opts.clock.now())
        doc.undo = live
        const record = live.find((r) => r.id === undoId)
        if (!record) return null
        doc.undo = live.filter((r) => r.id !== undoId)
        let restored = 0
        const kept: { callerNumber: string; reason: string }[] = []
        for (const { callerNumber, firstMissedAt, before, after } of record.items) {
          const item = this.items.of(doc, callerNumber)
          if (!item || item.firstMissedAt !== firstMissedAt) {
            kept.push({ callerNumber, reason: 'missed again since: a new line was opened' })
            continue
          }
          const now = marksOf(item)
          const state = ['state', 'settledAt', 'settledBy'] as const
          let put = false
          let moved = false
          if (state.every((k) => now[k] === after[k])) {
            if (state.some((k) => now[k] !== before[k])) put = true
            item.state = before.state
            item.settledAt = before.settledAt
            item.settledBy = before.settledBy
          } else moved = true
          for (const k of ['note', 'assignee'] as const) {
            if (now[k] === after[k]) {
              if (item[k] !== before[k]) put = true
              item[k] = before[k]
            } else moved = true
          }
          if (put) restored++
          if (moved)
            kept.push({
              callerNumber,
              reason: 'changed again since (a call or someone else): what changed then is kept',
            })
        }
        return { restored, kept }
      })
      if (!outcome)
        throw new NotFoundError(
          'That change cannot be undone: it was undone already, or is too old.',
        )
      await this.sweep()
      this.announcing.now()
      return outcome
    })
  }

  /**
   * A supervisor's change to the current item of `callerNumber` (any spelling): written at once
   * (with any calls' changes not written yet) and announced at once, unlike the calls' changes.
   */
  private userChange(callerNumber: string, fn: (item: MissedItem) => void): Promise<MissedItem> {
    return this.serial(async () => {
      const number = normalizePhone(callerNumber) ?? callerNumber.trim()
      const item = await this.store.update((doc) => {
        const found = this.items.of(doc, number)
        if (!found) return null
        fn(found)
        return structuredClone(found)
      })
      if (!item) throw new NotFoundError(`No missed calls from ${callerNumber.trim()}`)
      await this.sweep()
      this.announcing.now()
      return item
    })
  }

  /** Open items first (newest miss first), then those settled in the last week (newest first). */
  list(): { items: MissedItem[]; openCount: number } {
    const { items, openCount } = this.ordered()
    return { items: structuredClone(items), openCount }
  }

  /**
   * {@link list} without the copy: the queue's own items, for `missed:updated`, whose subscribers
   * serialise the payload at once (event stream, window, tray). Each time is parsed once, not in
   * every comparison of the sort (thousands of items on a busy week).
   */
  private ordered(): { items: MissedItem[]; openCount: number } {
    const cutoff = this.opts.clock.now() - RECENT_MS
    const open: [number, MissedItem][] = []
    const settled: [number, MissedItem][] = []
    for (const i of this.store.data.items) {
      if (i.state === 'open') open.push([time(i.lastMissedAt), i])
      else {
        const at = time(i.settledAt)
        if (at >= cutoff) settled.push([at, i])
      }
    }
    const newestFirst = (a: [number, MissedItem], b: [number, MissedItem]) => b[0] - a[0]
    open.sort(newestFirst)
    settled.sort(newestFirst)
    return { items: [...open, ...settled].map(([, i]) => i), openCount: open.length }
  }

  openCount(): number {
    return this.store.data.items.filter((i) => i.state === 'open').length
  }

  /**
   * Items settled by a call, with when and the last miss before it (for call-back figures):
   * `us` when the supervisor marked them called back, `caller` when a later call from the number
   * was answered. Covers the current items and the history kept in the document.
   */
  callbacks(): { by: 'us' | 'caller'; settledAt: string; lastMissedAt: string }[] {
    const out: { by: 'us' | 'caller'; settledAt: string; lastMissedAt: string }[] = []
    for (const i of [...this.store.data.history, ...this.store.data.items]) {
      if (!i.settledAt) continue
      const auto = i.state === 'resolved' && i.settledBy !== null && i.settledBy !== 'user'
      if (i.state === 'called-back' || auto) {
        out.push({
          by: i.state === 'called-back' ? 'us' : 'caller',
          settledAt: i.settledAt,
          lastMissedAt: i.lastMissedAt,
        })
      }
    }
    return out
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn)
    this.chain = run.catch(() => {})
    return run
  }

  private announce(): void {
    this.opts.bus.emit('missed:updated', this.ordered())
  }

  /**
   * Hourly: moves items settled over a week ago to history, forgets old bookkeeping, and moves
   * history beyond its cap to the archive (written and synced first, so a crash can only
   * leave an item in both places, never in neither).
   */
  private async sweep(): Promise<void> {
    const now = this.opts.clock.now()
    if (now - this.lastSweep < SWEEP_EVERY_MS) return
    this.lastSweep = now
    await this.store.update((doc) => {
      const keep: MissedItem[] = []
      for (const i of doc.items) {
        if (i.state !== 'open' && time(i.settledAt) < now - RECENT_MS) doc.history.push(i)
        else keep.push(i)
      }
      doc.items = keep
      const live = new Set(keep.flatMap((i) => i.callIds))
      for (const [id, c] of Object.entries(doc.counted)) {
        if (!live.has(id) && time(c.at) < now - BOOKKEEPING_MS) delete doc.counted[id]
      }
      for (const [n, a] of Object.entries(doc.answered)) {
        if (time(a.at) < now - BOOKKEEPING_MS) delete doc.answered[n]
      }
    })
    const overflow = this.store.data.history.length - (this.opts.historyCap ?? HISTORY_CAP)
    if (overflow <= 0) return
    const old = this.store.data.history.slice(0, overflow)
    await this.opts.archive.appendAll(old)
    // The items archived, by identity: another instance sharing the queue may have archived
    // some of them already, and a count would then drop items nobody archived.
    const archived = new Set(old.map(itemKey))
    await this.store.update((doc) => {
      doc.history = doc.history.filter((i) => !archived.has(itemKey(i)))
    })
    this.opts.logger.info('Missed-call history archived', { items: overflow })
  }
}

/**
 * The current item of each caller number by number, beside `doc.items`, so that a call finds its
 * caller's item without walking the list (thousands of items on a busy day). Built again
 * whenever `doc.items` is another array (a sweep, a rolled-back update); the functions below
 * add and remove items through it.
 */
class ItemIndex {
  private byNumber = new Map<string, MissedItem>()
  private list: MissedItem[] | null = null

  of(doc: MissedDoc, number: string): MissedItem | undefined {
    return this.sync(doc).get(number)
  }

  add(doc: MissedDoc, item: MissedItem): void {
    this.sync(doc).set(item.callerNumber, item)
    doc.items.push(item)
  }

  remove(doc: MissedDoc, item: MissedItem): void {
    const byNumber = this.sync(doc)
    const i = doc.items.indexOf(item)
    if (i >= 0) doc.items.splice(i, 1)
    if (byNumber.get(item.callerNumber) === item) byNumber.delete(item.callerNumber)
  }

  private sync(doc: MissedDoc): Map<string, MissedItem> {
    if (this.list !== doc.items) {
      this.byNumber = new Map()
      // The first item of a number wins, as a walk through the list would find it.
      for (const i of doc.items)
        if (!this.byNumber.has(i.callerNumber)) this.byNumber.set(i.callerNumber, i)
      this.list = doc.items
    }
    return this.byNumber
  }
}

/** Whether {@link answered} or {@link missed} would change anything for this call (pure). */
function wouldChange(doc: MissedDoc, call: Call, items: ItemIndex): boolean {
  if (call.status !== 'ANSWER') return !own(doc.counted, call.id)
  if (own(doc.counted, call.id)) return true
  const prev = own(doc.answered, call.callerNumber)
  if (!prev || time(call.startedAt) > time(prev.at)) return true
  const current = items.of(doc, call.callerNumber)
  return (
    current !== undefined &&
    current.state === 'open' &&
    time(call.startedAt) > time(current.lastMissedAt)
  )
}

/** A MISSED or DROPPED call: open, join or (for a late arrival) settle an item. */
function missed(doc: MissedDoc, call: Call, items: ItemIndex): boolean {
  if (own(doc.counted, call.id)) return false
  const number = call.callerNumber
  const at = call.startedAt
  put(doc.counted, call.id, { number, at })
  const current = items.of(doc, number)
  // A miss from before the item was settled (a late push) belongs to that item.
  if (current && (current.state === 'open' || time(at) < time(current.settledAt))) {
    addCall(doc, current, call.id)
    if (time(at) >= time(current.lastMissedAt)) current.department = call.department
    return true
  }
  if (current) {
    doc.history.push(current)
    items.remove(doc, current)
  }
  const item: MissedItem = {
    callerNumber: number,
    callIds: [call.id],
    count: 1,
    firstMissedAt: at,
    lastMissedAt: at,
    state: 'open',
    note: null,
    settledAt: null,
    settledBy: null,
    department: call.department,
    assignee: null,
  }
  const ans = own(doc.answered, number)
  if (ans && time(ans.at) > time(at)) {
    // An answered call after this miss already arrived: the caller was served.
    item.state = 'resolved'
    item.settledAt = ans.at
    item.settledBy = ans.callId
  }
  items.add(doc, item)
  return true
}

/** An answered call: resolves an open item it came after; undoes a miss it is a revision of. */
function answered(doc: MissedDoc, call: Call, items: ItemIndex): boolean {
  let changed = false
  const number = call.callerNumber
  const counted = own(doc.counted, call.id)
  if (counted) {
    // A later revision says this call was answered after all: it was never a missed call.
    delete doc.counted[call.id]
    // Its caller's item, found by number (the item of another number, should the revision have
    // changed it, by a walk through the list).
    const mine = items.of(doc, counted.number)
    const item = mine?.callIds.includes(call.id)
      ? mine
      : doc.items.find((i) => i.callIds.includes(call.id))
    if (item) {
      item.callIds = item.callIds.filter((id) => id !== call.id)
      if (item.callIds.length === 0) items.remove(doc, item)
      else recompute(doc, item)
      changed = true
    }
  }
  const prev = own(doc.answered, number)
  if (!prev || time(call.startedAt) > time(prev.at)) {
    put(doc.answered, number, { callId: call.id, at: call.startedAt })
  }
  const current = items.of(doc, number)
  if (current && current.state === 'open' && time(call.startedAt) > time(current.lastMissedAt)) {
    current.state = 'resolved'
    current.settledAt = call.startedAt
    current.settledBy = call.id
    changed = true
  }
  return changed
}

/** A supervisor's mark: `open` reopens; a settled state keeps its first time and author. */
function setState(item: MissedItem, state: MissedState, now: string): void {
  if (state === 'open') {
    item.state = 'open'
    item.settledAt = null
    item.settledBy = null
  } else if (item.state !== state) {
    item.state = state
    item.settledAt = now
    item.settledBy = 'user'
  }
}

function addCall(doc: MissedDoc, item: MissedItem, callId: string): void {
  const at = own(doc.counted, callId)?.at
  item.callIds.push(callId)
  // The usual case, a miss after the item's last: it goes at the end, nothing to sort.
  if (at !== undefined && time(at) >= time(item.lastMissedAt)) {
    item.count = item.callIds.length
    item.lastMissedAt = at
  } else recompute(doc, item)
}

/** Count, order and first/last times from the item's call ids. */
function recompute(doc: MissedDoc, item: MissedItem): void {
  const at = (id: string): string => own(doc.counted, id)?.at ?? item.lastMissedAt
  item.callIds.sort((a, b) => time(at(a)) - time(at(b)))
  item.count = item.callIds.length
  item.firstMissedAt = at(item.callIds[0]!)
  item.lastMissedAt = at(item.callIds[item.callIds.length - 1]!)
}

function itemKey(i: MissedItem): string {
  return `${i.callerNumber}|${i.firstMissedAt}|${i.settledAt}`
}
