import type { Agent } from '../../shared/domain'
import type { Clock } from '../ground/clock'
import type { Logger } from '../ground/logger'
import { type Document, type DocumentSource } from '../storage/documents'

/** An agent's confirmed status from `from` until `to` (null: still). */
interface StatusSpan {
  /** Normalised (E.164) number, as calls name agents. */
  number: string
  status: 'AVAIL' | 'OFF'
  from: string
  to: string | null
}

/** A span as the judge reads it: instants in ms (`to` Infinity while in force). */
interface TimedSpan {
  from: number
  to: number
  available: boolean
}

interface AvailabilityDoc {
  version: 1
  spans: StatusSpan[]
}

/** Whether an agent's confirmed status was AVAIL at an instant (false before anything was confirmed). */
export type AvailableAt = (normalizedNumber: string, ms: number) => boolean

/** Spans that ended longer ago than this are dropped: the Dashboard's longest reach is a year and its comparison. */
const KEEP_MS = 800 * 86_400_000

/**
 * Each agent's confirmed status over time (AVAIL or OFF, from the vendor's confirmation on), kept
 * with the other documents (the data folder, or the shared database), so the Dashboard can count
 * the missed calls of a department while an agent of it was available. It records what
 * `agent:updated` announces: a status confirmed at a later instant than the span in force starts a
 * new span. The history starts the first time this version runs (each agent's last confirmed
 * status, from when it was confirmed). Several instances on one database each record what they
 * hear: decided again on the stored document, so a change is kept once.
 */
export class AgentAvailability {
  private recording: Promise<void> = Promise.resolve()
  /** The open span of each agent, and every agent's spans by start, until the document changes. */
  private index: { open: Map<string, StatusSpan>; byAgent: Map<string, TimedSpan[]> } | null = null

  private constructor(
    private readonly store: Document<AvailabilityDoc>,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    store.onExternalChange(() => (this.index = null))
  }

  static async open(opts: {
    /** Where `agent-availability.json` is kept. */
    documents: DocumentSource
    clock: Clock
    logger: Logger
  }): Promise<AgentAvailability> {
    const docs = opts.documents
    const store = await docs.open<AvailabilityDoc>('agent-availability.json', {
      version: 1,
      spans: [],
    })
    return new AgentAvailability(store, opts.clock, opts.logger)
  }

  /**
   * Records an agent's confirmed status if it starts a new span. Cheap when it does not (the usual
   * case: agents are announced again whenever their day's figures move).
   */
  record(agent: Pick<Agent, 'normalizedNumber' | 'status' | 'statusConfirmedAt'>): Promise<void> {
    const { normalizedNumber: number, status, statusConfirmedAt: at } = agent
    if (status === 'UNKNOWN' || at === null) return this.recording
    if (!starts(this.indexed().open.get(number), status, at)) return this.recording
    this.recording = this.recording.then(async () => {
      try {
        await this.store.update((d) => {
          // Decided again on the stored document: another instance may have recorded it.
          const open = d.spans.find((s) => s.number === number && s.to === null)
          if (!starts(open, status, at)) return
          if (open) open.to = at
          d.spans.push({ number, status, from: at, to: null })
          const oldest = this.clock.now() - KEEP_MS
          d.spans = d.spans.filter((s) => s.to === null || Date.parse(s.to) >= oldest)
        })
      } catch (err) {
        this.logger.error('The agents’ status history could not be written', {
          error: String(err),
        })
      } finally {
        this.index = null
      }
    })
    return this.recording
  }

  /** Resolves once every recorded change is written. */
  flushed(): Promise<void> {
    return this.recording
  }

  /** A judge over the history as it is now (see {@link AvailableAt}). */
  availableAt(): AvailableAt {
    const { byAgent } = this.indexed()
    return (number, ms) => {
      const spans = byAgent.get(number)
      if (!spans) return false
      // The last span that started at or before `ms`, by binary search.
      let lo = 0
      let hi = spans.length - 1
      let found = -1
      while (lo <= hi) {
        const mid = (lo + hi) >> 1
        if (spans[mid]!.from <= ms) {
          found = mid
          lo = mid + 1
        } else hi = mid - 1
      }
      const span = spans[found]
      return span !== undefined && span.available && ms < span.to
    }
  }

  private indexed(): NonNullable<AgentAvailability['index']> {
    if (this.index) return this.index
    const open = new Map<string, StatusSpan>()
    const byAgent = new Map<string, TimedSpan[]>()
    for (const s of this.store.data.spans) {
      if (s.to === null) open.set(s.number, s)
      const timed = {
        from: Date.parse(s.from),
        to: s.to === null ? Infinity : Date.parse(s.to),
        available: s.status === 'AVAIL',
      }
      const list = byAgent.get(s.number)
      if (list) list.push(timed)
      else byAgent.set(s.number, [timed])
    }
    for (const list of byAgent.values()) list.sort((a, b) => a.from - b.from)
    this.index = { open, byAgent }
    return this.index
  }
}

/** Whether a status confirmed at `at` starts a span after the one in force. */
function starts(open: StatusSpan | undefined, status: 'AVAIL' | 'OFF', at: string): boolean {
  if (!open) return true
  return open.status !== status && Date.parse(at) > Date.parse(open.from)
}
