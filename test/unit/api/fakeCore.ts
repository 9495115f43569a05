/**
 * A stand-in for the core, for the local API's tests: every handler records what it was asked and
 * answers what the test set (or an echo), `subscribe` can be fired by hand, `exportCsv` yields
 * the chunks the test chose.
 */
import {
  CHANNELS,
  type Channel,
  type EventName,
  type Events,
  type RequestOf,
} from '../../../src/shared/contract'
import type { Change, ChangeResult, ChangeState } from '../../../src/shared/domain'
import type { Core, RequestContext } from '../../../src/main/core/core'
import type { CallExportQuery } from '../../../src/shared/schemas'

type Listener = <E extends EventName>(event: E, payload: Events[E]) => void
type Answer = (req: unknown) => unknown

export interface FakeCore {
  core: Pick<Core, 'handlers' | 'exportCsv' | 'subscribe'>
  /** Every handler call, in order. */
  calls: { channel: Channel; req: unknown; ctx: RequestContext }[]
  /** Sets what a channel answers (a function of the request; may throw). */
  answer(channel: Channel, fn: Answer): void
  /** Fires an event at every subscriber. */
  emit<E extends EventName>(event: E, payload: Events[E]): void
  /** How many subscribers are attached right now. */
  readonly subscribers: number
  /** Queries `exportCsv` was called with. */
  csvQueries: CallExportQuery[]
  /** What `exportCsv` yields (or throws, before or after some chunks). */
  csv: {
    chunks: string[]
    failAt: number | null
    error: Error
    /** How many chunks were handed out, and how many times the generator finished. */
    produced: number
    returned: number
  }
}

export function makeFakeCore(): FakeCore {
  const calls: FakeCore['calls'] = []
  const answers = new Map<Channel, Answer>()
  const listeners = new Set<Listener>()
  const csvQueries: CallExportQuery[] = []
  const csv: FakeCore['csv'] = {
    chunks: ['id,status\r\n', 'c1,ANSWER\r\n'],
    failAt: null,
    error: new Error('disk gone'),
    produced: 0,
    returned: 0,
  }
  const handlers: Record<string, (req: unknown, ctx: RequestContext) => Promise<unknown>> = {}
  for (const channel of CHANNELS) {
    if (channel === 'calls:exportCsv') continue
    handlers[channel] = async (req, ctx) => {
      calls.push({ channel, req, ctx })
      const a = answers.get(channel)
      return a ? a(req) : { echo: channel }
    }
  }
  const core: FakeCore['core'] = {
    handlers: handlers as unknown as Core['handlers'],
    subscribe(fn) {
      listeners.add(fn)
      return () => listeners.delete(fn)
    },
    async *exportCsv(query) {
      csvQueries.push(query)
      try {
        for (let i = 0; i < csv.chunks.length; i++) {
          if (csv.failAt === i) throw csv.error
          csv.produced++
          yield csv.chunks[i]!
        }
        if (csv.failAt === csv.chunks.length) throw csv.error
      } finally {
        csv.returned++
      }
    },
  }
  return {
    core,
    calls,
    answer: (channel, fn) => answers.set(channel, fn),
    emit: (event, payload) => {
      for (const l of [...listeners]) l(event, payload)
    },
    get subscribers() {
      return listeners.size
    },
    csvQueries,
    csv,
  }
}

/** A ChangeResult in the given state. */
export function changeResult(state: ChangeState, vendorAnswer: string | null = null): ChangeResult {
  const change: Change = {
    id: `ch-${state}`,
    kind: 'agent-status',
    target: 'agent:9876543210',
    params: { action: 'ManageAgent', agentnum: '9876543210', status: 'OFF' },
    summary: 'Agent Asha (9876543210) → OFF',
    requestedAt: '2026-01-05T10:00:00.000Z',
    requestedBy: 'tester',
    state,
    attempts: [],
    vendorAnswer,
    settledAt: null,
    nextAttemptAt: null,
  }
  return { change, message: state }
}

/** A valid request for every channel: the round-trip test sends each through its route. */
export const SAMPLE_REQUESTS: { [C in Channel]: RequestOf<C> } = {
  'calls:list': { from: '2026-01-01', to: '2026-01-31', status: 'MISSED', limit: 20, q: 'a b&c' },
  'calls:get': { id: 'call/1 ü' },
  'calls:byCaller': { number: '+919876543210' },
  'calls:exportCsv': { from: '2026-01-01', to: '2026-01-31', department: 'Sales' },
  'pushes:rejected': { limit: 5 },
  'health:get': undefined,
  'connection:testPush': undefined,
  'agents:list': undefined,
  'agents:add': { number: '9876543210', name: 'Asha', department: 'Sales' },
  'agents:update': { number: '9876543210', name: 'Asha K', department: null },
  'agents:remove': { number: '+91 98765-43210' },
  'agents:import': {
    csv: 'number,name,department\n9876543210,Asha,Sales\n',
    preview: 'Yx3-_fingerprint',
    changes: 'skip',
  },
  'agents:previewImport': { csv: 'number,name,department\n9876543210,Asha,Sales\n' },
  'agents:setStatus': { number: '9876543210', status: 'OFF' },
  'agents:setDepartmentStatus': { department: 'Sales & Support/East', status: 'AVAIL' },
  'holidays:list': undefined,
  'holidays:add': { date: '2026-01-26', name: 'Republic Day' },
  'holidays:remove': { date: '2026-01-26' },
  'holidays:removeRule': { monthDay: '01-26' },
  'holidays:removeWeekly': { day: 'Sunday' },
  'officeHours:list': undefined,
  'officeHours:set': { day: 'Monday', start: '09:30', end: '18:00' },
  'changes:list': undefined,
  'missed:list': undefined,
  'missed:mark': { callerNumber: '+919876543210', state: 'resolved', note: 'called back' },
  'missed:assign': { callerNumber: '+919876543210', assignee: 'Meena R' },
  'missed:export': { show: 'all', text: '98765', department: 'Sales' },
  'missed:bulk': { callerNumbers: ['+919876543210', '098765 43211'], state: 'resolved' },
  'missed:undo': { undoId: 'bulk-abc-123' },
  'settings:get': undefined,
  'settings:update': { notify: 'missed', alertsPaused: true, vendorUrl: null },
  'settings:testConnection': { vendorUrl: 'http://127.0.0.1:9', custId: 'C-1', apiKey: 'typed' },
  'dashboard:get': { range: '7d' },
  'schedule:status': undefined,
  'app:info': undefined,
  'storage:acknowledge': { ids: ['month-set-aside:2026-01'] },
  'storage:check': undefined,
  'storage:backup': undefined,
  'session:get': undefined,
  'accounts:list': undefined,
  'accounts:add': { name: 'Asha Rao', role: 'supervisor' },
  'accounts:revoke': { name: 'Asha Rao' },
  'accounts:setRole': { name: 'Asha Rao', role: 'viewer' },
  'accounts:people': undefined,
  'team:get': undefined,
  'team:connect': { server: 'https://team.example', token: 'ivrs_abcdefghijkl_0123456789' },
  'team:disconnect': undefined,
}
