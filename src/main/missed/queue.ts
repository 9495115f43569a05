import { open as openFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Call, MissedItem, MissedState } from '../../shared/domain'
import { normalizePhone } from '../../shared/phone'
import { NotFoundError } from '../ground/errors'
import type { Clock } from '../ground/clock'
import type { Logger } from '../ground/logger'
import type { EventBus } from '../events/bus'
import { DocStore } from '../storage/docStore'

export interface MissedQueueOptions {
  /** Folder of the queue's files (created when missing). */
  dir: string
  clock: Clock
  bus: EventBus
  logger: Logger
  /** Settled items kept in the document before older ones move to the archive file (2000). */
  historyCap?: number
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
}

const DAY = 86_400_000
/** Settled items stay in the list for a week, then move to history. */
const RECENT_MS = 7 * DAY
/** History kept in the document; older items go to the append-only archive file. */
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

  private constructor(
    private readonly store: DocStore<MissedDoc>,
    private readonly opts: MissedQueueOptions,
  ) {}

  /** Opens (or creates) the queue in `dir`. */
  static async open(opts: MissedQueueOptions): Promise<MissedQueue> {
    const store = await DocStore.open<MissedDoc>(join(opts.dir, 'missed-queue.json'), {
      version: 1,
      items: [],
      history: [],
      counted: {},
      answered: {},
    })
    return new MissedQueue(store, opts)
  }

  /**
   * Takes one stored call (every status). Resolves to whether the queue changed; rejects only
   * when the queue could not be written (the in-memory queue is then unchanged).
   */
  onCall(call: Call): Promise<boolean> {
    return this.serial(async () => {
      // A call already accounted for (a vendor retry, the start-up catch-up over last week's
      // calls) is not written again: each write rewrites and fsyncs the whole document.
      if (!call.callerNumber || !wouldChange(this.store.data, call)) return false
      const changed = await this.store.update((doc) =>
        call.status === 'ANSWER' ? answered(doc, call) : missed(doc, call),
      )
      if (changed) await this.afterChange()
      return changed
    })
  }

  /**
   * Marks the current item of `callerNumber` (any spelling of the number). `open` reopens a
   * settled item. A given `note` replaces the item's note (empty clears it); none keeps it.
   * @throws NotFoundError when that number has no item.
   */
  mark(callerNumber: string, state: MissedState, note?: string): Promise<MissedItem> {
    return this.serial(() => this.markNow(callerNumber, state, note))
  }

  private async markNow(callerNumber: string, state: MissedState, note?: string) {
    const number = normalizePhone(callerNumber) ?? callerNumber.trim()
    const now = new Date(this.opts.clock.now()).toISOString()
    const item = await this.store.update((doc) => {
      const found = doc.items.find((i) => i.callerNumber === number)
      if (!found) return null
      if (state === 'open') {
        found.state = 'open'
        found.settledAt = null
        found.settledBy = null
      } else if (found.state !== state) {
        found.state = state
        found.settledAt = now
        found.settledBy = 'user'
      }
      if (note !== undefined) found.note = note.trim() === '' ? null : note.trim()
      return structuredClone(withDefaults(found))
    })
    if (!item) throw new NotFoundError(`No missed calls from ${callerNumber.trim()}`)
    await this.afterChange()
    return item
  }

  /**
   * Assigns the current item of `callerNumber` to a person (a name; empty or null: nobody).
   * @throws NotFoundError when that number has no item.
   */
  assign(callerNumber: string, assignee: string | null): Promise<MissedItem> {
    return this.serial(async () => {
      const number = normalizePhone(callerNumber) ?? callerNumber.trim()
      const name = assignee?.trim() || null
      const item = await this.store.update((doc) => {
        const found = doc.items.find((i) => i.callerNumber === number)
        if (!found) return null
        found.assignee = name
        return structuredClone(withDefaults(found))
      })
      if (!item) throw new NotFoundError(`No missed calls from ${callerNumber.trim()}`)
      await this.afterChange()
      return item
    })
  }

  /** Open items first (newest miss first), then those settled in the last week (newest first). */
  list(): { items: MissedItem[]; openCount: number } {
    const cutoff = this.opts.clock.now() - RECENT_MS
    const items = this.store.data.items
    const open = items
      .filter((i) => i.state === 'open')
      .sort((a, b) => time(b.lastMissedAt) - time(a.lastMissedAt))
    const settled = items
      .filter((i) => i.state !== 'open' && time(i.settledAt) >= cutoff)
      .sort((a, b) => time(b.settledAt) - time(a.settledAt))
    return {
      items: structuredClone([...open, ...settled]).map(withDefaults),
      openCount: open.length,
    }
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

  private async afterChange(): Promise<void> {
    await this.sweep()
    const { items, openCount } = this.list()
    this.opts.bus.emit('missed:updated', { items, openCount })
  }

  /**
   * Hourly: moves items settled over a week ago to history, forgets old bookkeeping, and moves
   * history beyond its cap to the archive file (written and synced first, so a crash can only
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
    await appendLines(
      join(this.opts.dir, 'missed-archive.jsonl'),
      old.map((i) => JSON.stringify(i)),
    )
    await this.store.update((doc) => {
      doc.history.splice(0, overflow)
    })
    this.opts.logger.info('Missed-call history archived', { items: overflow })
  }
}

/** Whether {@link answered} or {@link missed} would change anything for this call (pure). */
function wouldChange(doc: MissedDoc, call: Call): boolean {
  if (call.status !== 'ANSWER') return !own(doc.counted, call.id)
  if (own(doc.counted, call.id)) return true
  const prev = own(doc.answered, call.callerNumber)
  if (!prev || time(call.startedAt) > time(prev.at)) return true
  const current = doc.items.find((i) => i.callerNumber === call.callerNumber)
  return (
    current !== undefined &&
    current.state === 'open' &&
    time(call.startedAt) > time(current.lastMissedAt)
  )
}

/** A MISSED or DROPPED call: open, join or (for a late arrival) settle an item. */
function missed(doc: MissedDoc, call: Call): boolean {
  if (own(doc.counted, call.id)) return false
  const number = call.callerNumber
  const at = call.startedAt
  put(doc.counted, call.id, { number, at })
  const current = doc.items.find((i) => i.callerNumber === number)
  // A miss from before the item was settled (a late push) belongs to that item.
  if (current && (current.state === 'open' || time(at) < time(current.settledAt))) {
    addCall(doc, current, call.id)
    if (time(at) >= time(current.lastMissedAt)) current.department = call.department
    return true
  }
  if (current) {
    doc.history.push(current)
    doc.items.splice(doc.items.indexOf(current), 1)
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
  doc.items.push(item)
  return true
}

/** An answered call: resolves an open item it came after; undoes a miss it is a revision of. */
function answered(doc: MissedDoc, call: Call): boolean {
  let changed = false
  const number = call.callerNumber
  const counted = own(doc.counted, call.id)
  if (counted) {
    // A later revision says this call was answered after all: it was never a missed call.
    delete doc.counted[call.id]
    const item = doc.items.find((i) => i.callIds.includes(call.id))
    if (item) {
      item.callIds = item.callIds.filter((id) => id !== call.id)
      if (item.callIds.length === 0) doc.items.splice(doc.items.indexOf(item), 1)
      else recompute(doc, item)
      changed = true
    }
  }
  const prev = own(doc.answered, number)
  if (!prev || time(call.startedAt) > time(prev.at)) {
    put(doc.answered, number, { callId: call.id, at: call.startedAt })
  }
  const current = doc.items.find((i) => i.callerNumber === number)
  if (current && current.state === 'open' && time(call.startedAt) > time(current.lastMissedAt)) {
    current.state = 'resolved'
    current.settledAt = call.startedAt
    current.settledBy = call.id
    changed = true
  }
  return changed
}

/** Items written before departments and assignees were kept read as having none. */
function withDefaults(item: MissedItem): MissedItem {
  return { ...item, department: item.department ?? null, assignee: item.assignee ?? null }
}

function addCall(doc: MissedDoc, item: MissedItem, callId: string): void {
  item.callIds.push(callId)
  recompute(doc, item)
}

/** Count, order and first/last times from the item's call ids. */
function recompute(doc: MissedDoc, item: MissedItem): void {
  const at = (id: string): string => own(doc.counted, id)?.at ?? item.lastMissedAt
  item.callIds.sort((a, b) => time(at(a)) - time(at(b)))
  item.count = item.callIds.length
  item.firstMissedAt = at(item.callIds[0]!)
  item.lastMissedAt = at(item.callIds[item.callIds.length - 1]!)
}

async function appendLines(path: string, lines: string[]): Promise<void> {
  const fh = await openFile(path, 'a', 0o600)
  try {
    await fh.writeFile(lines.join('\n') + '\n')
    await fh.sync()
  } finally {
    await fh.close()
  }
}
