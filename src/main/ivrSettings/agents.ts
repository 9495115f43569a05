import type {
  AgentImportPreviewRequest,
  AgentImportRequest,
  AgentInput,
  AgentNumberRequest,
  AgentPatch,
  AgentStatusChange,
  DepartmentStatusChange,
} from '../../shared/schemas'
import type {
  Agent,
  AgentImportPreview,
  AgentImportResult,
  AgentStatus,
  Change,
  ChangeResult,
} from '../../shared/domain'
import { agentTarget } from '../../shared/domain'
import { normalizePhone } from '../../shared/phone'
import type { RemovalResult } from '../../shared/contract'
import { NotFoundError, UserError } from '../ground/errors'
import type { Logger } from '../ground/logger'
import type { EventBus } from '../events/bus'
import { type Document, type DocumentSource } from '../storage/documents'
import { manageAgentParams } from '../ivrApi/client'
import type { Outbox } from '../ivrApi/outbox'
import { parseAgentCsv } from './agentCsv'
import {
  cleanDepartment,
  cleanName,
  cleanNumber,
  departmentSpelling,
  planImport,
} from './agentImport'
import { changeResult } from './messages'

export type TodayStats = () => Promise<Map<string, Agent['today']>>

/** What we keep per agent; the pending change and today's calls are joined in on read. */
type StoredAgent = Omit<Agent, 'change' | 'today'>

interface AgentsDoc {
  agents: StoredAgent[]
}

export interface AgentDirectoryDeps {
  /** Where `agents.json` is kept. */
  documents: DocumentSource
  outbox: Outbox
  bus: EventBus
  logger: Logger
  todayStats: TodayStats
  /** OS user name, the default `requestedBy` of changes. */
  user: string
}

const NO_CALLS: Agent['today'] = { answered: 0, talkSeconds: 0, lastCallAt: null }

export { agentTarget }

/**
 * The agent directory the supervisor maintains, and each agent's status as the vendor last
 * confirmed it (the vendor has no call to read it back). Status changes go through the outbox.
 */
export class AgentDirectory {
  private statsRun: ReturnType<TodayStats> | null = null
  /** Agents whose calls today moved since they were last announced, and when that is due. */
  private readonly todayMoved = new Set<string>()
  private todayTimer: NodeJS.Timeout | null = null
  /** Numbers in the directory when it last changed elsewhere (to announce removals). */
  private announced = new Set<string>()

  private constructor(
    private readonly store: Document<AgentsDoc>,
    private readonly deps: AgentDirectoryDeps,
  ) {
    deps.outbox.onSettled((c) => this.onSettled(c))
    store.onExternalChange(() => {
      this.changedElsewhere().catch((err: unknown) => {
        deps.logger.warn('agent changes could not be announced', { error: String(err) })
      })
    })
    // A pending change moved (queued, an attempt): its agent shows it. Settling is announced by
    // onSettled, once the confirmed status is stored.
    deps.bus.on('change:updated', (c) => {
      if (c.kind === 'agent-status' && c.state === 'pending') {
        this.announceAgentOf(c.target).catch((err: unknown) => {
          deps.logger.warn('agent update could not be announced', { error: String(err) })
        })
      }
    })
  }

  static async open(deps: AgentDirectoryDeps): Promise<AgentDirectory> {
    const docs = deps.documents
    const store = await docs.open<AgentsDoc>('agents.json', { agents: [] })
    const dir = new AgentDirectory(store, deps)
    dir.announced = new Set(store.data.agents.map((a) => a.number))
    return dir
  }

  /** Another instance changed the directory: every agent is announced again, the removed too. */
  private async changedElsewhere(): Promise<void> {
    const stats = await this.stats()
    const now = new Set(this.store.data.agents.map((a) => a.number))
    for (const number of this.announced)
      if (!now.has(number)) this.deps.bus.emit('agent:removed', { number })
    this.announced = now
    for (const a of this.store.data.agents) this.deps.bus.emit('agent:updated', this.view(a, stats))
  }

  /** Every agent, sorted by name, with its pending change and today's calls. */
  async list(): Promise<Agent[]> {
    const stats = await this.stats()
    return [...this.store.data.agents]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((a) => this.view(a, stats))
  }

  /** The directory as stored (no pending change or day's figures joined in): numbers, names, departments, statuses. */
  directory(): readonly Readonly<StoredAgent>[] {
    return this.store.data.agents
  }

  async add(input: AgentInput): Promise<Agent> {
    const { number, normalizedNumber } = cleanNumber(input.number)
    const agent: StoredAgent = {
      number,
      normalizedNumber,
      name: cleanName(input.name),
      department: cleanDepartment(input.department),
      status: 'UNKNOWN',
      statusConfirmedAt: null,
      statusChangedBy: null,
    }
    await this.store.update((doc) => {
      const clash = doc.agents.find((a) => a.normalizedNumber === normalizedNumber)
      if (clash) {
        throw new UserError(`${clash.name} already has the number ${clash.number}`, 409, ['number'])
      }
      agent.department = departmentSpelling(agent.department, doc.agents)
      doc.agents.push(agent)
    })
    return this.announce(agent)
  }

  async update(patch: AgentPatch): Promise<Agent> {
    const found = this.find(patch.number)
    const name = patch.name !== undefined ? cleanName(patch.name) : undefined
    const department =
      patch.department !== undefined ? cleanDepartment(patch.department) : undefined
    const updated = await this.store.update((doc) => {
      const a = doc.agents.find((x) => x.normalizedNumber === found.normalizedNumber)!
      if (name !== undefined) a.name = name
      if (department !== undefined)
        a.department = departmentSpelling(
          department,
          doc.agents.filter((x) => x !== a),
        )
      return { ...a }
    })
    return this.announce(updated)
  }

  async remove(req: AgentNumberRequest): Promise<RemovalResult> {
    const found = this.find(req.number)
    await this.store.update((doc) => {
      doc.agents = doc.agents.filter((a) => a.normalizedNumber !== found.normalizedNumber)
    })
    this.deps.bus.emit('agent:removed', { number: found.number })
    const at = found.status === 'UNKNOWN' ? 'unchanged' : `${found.status} (as last confirmed here)`
    return {
      removed: true,
      message:
        `${found.name} (${found.number}) was removed from this directory only. The vendor API ` +
        `cannot remove an agent: at the vendor the number stays ${at}` +
        (found.status === 'AVAIL' ? '; switch it OFF first if it should get no more calls.' : '.'),
    }
  }

  /** What importing this CSV would do, against the directory as it is now; changes nothing. */
  async previewImport(req: AgentImportPreviewRequest): Promise<AgentImportPreview> {
    return planImport(parseAgentCsv(req.csv), this.store.data.agents).preview
  }

  /**
   * Adds new numbers and, unless `changes: 'skip'`, updates the name and department of known ones,
   * as {@link previewImport} showed. With the preview's `preview`, nothing is applied when the
   * directory or the file changed since (409): the user confirms what they saw, or nothing.
   */
  async import(req: AgentImportRequest): Promise<AgentImportResult> {
    const parsed = parseAgentCsv(req.csv)
    const touched: StoredAgent[] = []
    const result = await this.store.update((doc) => {
      // Planned inside the update, against the directory as written (on a shared database,
      // under its row lock), so nobody's change slips in between the check and the write.
      const plan = planImport(parsed, doc.agents)
      if (req.preview !== undefined && req.preview !== plan.preview.preview)
        throw new UserError(
          'The agents changed since this preview (someone edited the directory, or the file is another): nothing was imported. Preview the file again.',
          409,
          ['preview'],
        )
      for (const row of plan.add) {
        const agent: StoredAgent = {
          ...row,
          status: 'UNKNOWN',
          statusConfirmedAt: null,
          statusChangedBy: null,
        }
        doc.agents.push(agent)
        touched.push(agent)
      }
      const skip = req.changes === 'skip'
      if (!skip)
        for (const row of plan.change) {
          const a = doc.agents.find((x) => x.normalizedNumber === row.normalizedNumber)!
          a.name = row.name
          a.department = row.department
          touched.push({ ...a })
        }
      return {
        added: plan.add.length,
        updated: skip ? 0 : plan.change.length,
        skipped: skip ? plan.change.length : 0,
        errors: plan.preview.refused.map(({ line, reason }) => ({ line, reason })),
      }
    })
    if (touched.length) {
      const stats = await this.stats()
      for (const a of touched) this.deps.bus.emit('agent:updated', this.view(a, stats))
    }
    return result
  }

  /** Sends `ManageAgent`; answers once confirmed or refused, or queued if the vendor is away. */
  async setStatus(req: AgentStatusChange, user = this.deps.user): Promise<ChangeResult> {
    const a = this.find(req.number)
    return changeResult(await this.deps.outbox.submit(this.request(a, req.status, user)))
  }

  /** Switches every agent of a department (name compared without case), one change each. */
  async setDepartmentStatus(
    req: DepartmentStatusChange,
    user = this.deps.user,
  ): Promise<ChangeResult[]> {
    const dept = req.department.trim().toLowerCase()
    const members = this.store.data.agents.filter((a) => a.department?.toLowerCase() === dept)
    if (!dept || members.length === 0) {
      throw new NotFoundError(`No agents in the department "${req.department}"`)
    }
    const queued: Change[] = []
    for (const a of members)
      queued.push(await this.deps.outbox.enqueue(this.request(a, req.status, user)))
    const settled = await Promise.all(queued.map((c) => this.deps.outbox.waitFor(c.id)))
    return settled.map(changeResult)
  }

  /** Applies confirmations the outbox recorded but we missed (a crash between the two writes). */
  async reconcile(): Promise<void> {
    for (const a of this.store.data.agents) {
      const last = this.deps.outbox
        .list()
        .find((c) => c.target === agentTarget(a.normalizedNumber) && c.state === 'confirmed')
      if (last && (!a.statusConfirmedAt || last.settledAt! > a.statusConfirmedAt)) {
        await this.onSettled(last)
      }
    }
  }

  /**
   * A call of this agent was stored: today's counts moved. The agents whose counts moved are
   * announced again together a few seconds later (one walk over today's calls for a busy minute,
   * never one per call), so the Agents screen's figures follow the day.
   */
  todayChanged(normalizedNumber: string, delayMs = 3_000): void {
    // Already due (the usual case in a burst): nothing to look up.
    if (this.todayMoved.has(normalizedNumber)) return
    if (!this.store.data.agents.some((a) => a.normalizedNumber === normalizedNumber)) return
    this.todayMoved.add(normalizedNumber)
    if (this.todayTimer) return
    this.todayTimer = setTimeout(() => {
      this.todayTimer = null
      const numbers = [...this.todayMoved]
      this.todayMoved.clear()
      void this.stats().then((stats) => {
        for (const n of numbers) {
          const a = this.store.data.agents.find((x) => x.normalizedNumber === n)
          if (a) this.deps.bus.emit('agent:updated', this.view(a, stats))
        }
      })
    }, delayMs)
    this.todayTimer.unref()
  }

  /** Drops an announcement still due (the app is stopping). */
  stop(): void {
    if (this.todayTimer) clearTimeout(this.todayTimer)
    this.todayTimer = null
    this.todayMoved.clear()
  }

  /** Looks an agent up by any format of its number. */
  private find(input: string): StoredAgent {
    const n = normalizePhone(input)
    const a = n ? this.store.data.agents.find((x) => x.normalizedNumber === n) : undefined
    if (!a) throw new NotFoundError(`No agent with the number ${input}`)
    return a
  }

  private request(a: StoredAgent, status: AgentStatus, user: string) {
    return {
      kind: 'agent-status' as const,
      target: agentTarget(a.normalizedNumber),
      params: manageAgentParams(a.number, status),
      summary: `Agent ${a.name} (${a.number}) → ${status}`,
      requestedBy: user,
    }
  }

  private async onSettled(c: Change): Promise<void> {
    if (c.kind !== 'agent-status') return
    const target = c.target
    const stored = this.store.data.agents.find((a) => agentTarget(a.normalizedNumber) === target)
    if (!stored) return
    if (c.state === 'confirmed') {
      const status = c.params.status === 'AVAIL' ? 'AVAIL' : 'OFF'
      await this.store.update((doc) => {
        const a = doc.agents.find((x) => x.normalizedNumber === stored.normalizedNumber)
        if (!a) return
        a.status = status
        a.statusConfirmedAt = c.settledAt
        a.statusChangedBy = c.requestedBy
      })
    }
    const now = this.store.data.agents.find((x) => x.normalizedNumber === stored.normalizedNumber)
    if (now) await this.announce(now)
  }

  /** Announces the agent a change's target names, as it is once today's counts are in. */
  private async announceAgentOf(target: string): Promise<void> {
    const stats = await this.stats()
    const a = this.store.data.agents.find((x) => agentTarget(x.normalizedNumber) === target)
    if (a) this.deps.bus.emit('agent:updated', this.view(a, stats))
  }

  private async announce(a: StoredAgent): Promise<Agent> {
    const view = this.view(a, await this.stats())
    this.deps.bus.emit('agent:updated', view)
    return view
  }

  private view(a: StoredAgent, stats: Awaited<ReturnType<TodayStats>>): Agent {
    const latest = this.deps.outbox.latestFor(agentTarget(a.normalizedNumber))
    return {
      ...a,
      change: latest && latest.state !== 'confirmed' ? latest : null,
      today: { ...(stats.get(a.normalizedNumber) ?? NO_CALLS) },
    }
  }

  /**
   * Today's counts per agent. Announcements that ask while a count is running share it: a round
   * of retries moves every queued change, and each would otherwise walk today's calls again.
   */
  private stats(): Promise<Awaited<ReturnType<TodayStats>>> {
    this.statsRun ??= this.deps
      .todayStats()
      .catch((err: unknown) => {
        this.deps.logger.warn("today's call counts unavailable", { error: String(err) })
        return new Map()
      })
      .finally(() => {
        this.statsRun = null
      })
    return this.statsRun
  }
}
