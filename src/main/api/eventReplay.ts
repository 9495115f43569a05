/**
 * The event stream's memory of what it sent, so a client that was away (a laptop lid closed, the
 * network gone) gets exactly what it missed when it comes back with `Last-Event-ID`.
 *
 * Every event gets an id `<epoch>.<n>`: `n` counts the events of this server run, and the epoch is
 * random per run, so an id from an earlier run is recognised as such (numbers start again after
 * a restart), and so is an id from another instance on the same database (IVRS_DATABASE_URL), to
 * which a load balancer may send a reconnecting client: that instance's numbers say nothing here,
 * and the client reloads rather than miss what came in between. The window keeps the newest events, at most {@link ReplayLimits}; of the events
 * that carry a whole state (the missed-call queue, health, settings, ...) only the newest of each
 * name is kept, since it says everything the earlier ones did. A client whose last id is older
 * than the window, from another run, or not an id of ours, is told to reload instead.
 */
import { randomBytes } from 'node:crypto'
import type { EventName } from '../../shared/contract'

export interface ReplayLimits {
  /** Events kept at most (snapshots that were superseded do not count). */
  maxEvents: number
  /** Bytes of event text kept at most. */
  maxBytes: number
}

/** About an hour of a busy line's events, in a bounded amount of memory. */
export const DEFAULT_REPLAY_LIMITS: ReplayLimits = { maxEvents: 10_000, maxBytes: 32 * 1024 * 1024 }

/**
 * Whether each event carries a whole state (`snapshot`: the newest replaces all earlier ones) or
 * one change (`change`: each one counts). The compiler refuses an event missing here.
 */
const KIND: { readonly [E in EventName]: 'snapshot' | 'change' } = {
  'call:stored': 'change',
  'push:rejected': 'change',
  'agent:updated': 'change',
  'agent:removed': 'change',
  'change:updated': 'change',
  'missed:updated': 'snapshot',
  'health:changed': 'snapshot',
  'storage:problem': 'change',
  'holidays:updated': 'snapshot',
  'officeHours:updated': 'snapshot',
  'schedule:updated': 'snapshot',
  'settings:updated': 'snapshot',
  'app:openCall': 'change',
  'accounts:updated': 'snapshot',
  'app:reload': 'change',
  'team:updated': 'snapshot',
}

/** One event as the stream sends it. */
export interface ReplayEntry {
  seq: number
  id: string
  event: EventName
  /** The whole frame, `id:` line included. */
  text: string
  /** The frame for those below admin, when it differs (health: the webhook token masked). */
  belowAdmin?: string
}

/** What a reconnecting client gets: the events it missed, or why it must reload. */
export type Resume = { replay: ReplayEntry[] } | { reload: string }

interface Slot {
  entry: ReplayEntry
  /** False once a newer snapshot of the same name took its place. */
  live: boolean
}

export class EventReplay {
  /** Random per server run. */
  readonly epoch: string
  private seq = 0
  private slots: Slot[] = []
  private head = 0
  private liveCount = 0
  private bytes = 0
  /** The newest event that left the window while still live: a client behind it must reload. */
  private floor = 0
  private readonly latest = new Map<EventName, Slot>()

  constructor(
    private readonly limits: ReplayLimits = DEFAULT_REPLAY_LIMITS,
    epoch?: string,
  ) {
    this.epoch = epoch ?? randomBytes(6).toString('hex')
  }

  /** The id the next event will follow: where a client that connects now stands. */
  currentId(): string {
    return this.idOf(this.seq)
  }

  /** Gives the event its id, keeps it in the window, and answers the frame's id. */
  record(event: EventName, frame: (id: string) => string): ReplayEntry {
    const seq = ++this.seq
    const id = this.idOf(seq)
    const entry: ReplayEntry = { seq, id, event, text: frame(id) }
    const slot: Slot = { entry, live: true }
    if (KIND[event] === 'snapshot') {
      const before = this.latest.get(event)
      if (before) this.retire(before)
      this.latest.set(event, slot)
    }
    this.slots.push(slot)
    this.liveCount++
    this.bytes += entry.text.length
    this.trim()
    return entry
  }

  /** What a client whose last event was `lastEventId` has missed, or why it must reload. */
  resume(lastEventId: string): Resume {
    const m = /^([0-9a-f]+)\.(\d{1,15})$/.exec(lastEventId.trim())
    if (!m) return { reload: 'The event stream did not recognise the last event id sent.' }
    if (m[1] !== this.epoch)
      return {
        reload:
          'The server restarted since this client last heard from it, or this is another instance of it (several behind one address).',
      }
    const last = Number(m[2])
    if (last > this.seq) return { reload: 'The last event id sent is ahead of this server.' }
    if (last < this.floor)
      return {
        reload: `More happened while this client was away than the server keeps for replay (${this.limits.maxEvents} events).`,
      }
    const replay: ReplayEntry[] = []
    for (let i = this.slots.length - 1; i >= this.head; i--) {
      const slot = this.slots[i]!
      if (slot.entry.seq <= last) break
      if (slot.live) replay.push(slot.entry)
    }
    return { replay: replay.reverse() }
  }

  private idOf(seq: number): string {
    return `${this.epoch}.${seq}`
  }

  private retire(slot: Slot): void {
    if (!slot.live) return
    slot.live = false
    this.liveCount--
    this.bytes -= slot.entry.text.length
  }

  private trim(): void {
    while (
      this.head < this.slots.length &&
      (this.liveCount > this.limits.maxEvents ||
        this.bytes > this.limits.maxBytes ||
        !this.slots[this.head]!.live)
    ) {
      const slot = this.slots[this.head++]!
      if (slot.live) {
        this.floor = slot.entry.seq
        this.retire(slot)
        if (this.latest.get(slot.entry.event) === slot) this.latest.delete(slot.entry.event)
      }
    }
    // Drop the slots behind the head now and then, not on every event.
    if (this.head > 1024 && this.head * 2 > this.slots.length) {
      this.slots = this.slots.slice(this.head)
      this.head = 0
    }
  }
}
