import { request } from 'undici'
import type { Call, Health } from '../../shared/domain'
import { localDateTime } from '../../shared/localTime'
import { normalizePhone } from '../../shared/phone'
import { healthFor, type AppInfo } from '../../shared/contract'
import { maskWebhookUrl } from '../../shared/vendorPaths'
import type { BulkChange, MissedQueue } from '../missed/queue'
import type { SettingsService } from '../settings/settingsService'
import type { CallStore, RejectedLog, StoreQuery } from '../storage/types'
import type { CallExportQuery } from '../../shared/schemas'
import { computeDashboard } from '../insight/dashboard'
import { missedCsv } from '../missed/export'
import type { Handlers } from './core'
import { UserError } from '../ground/errors'
import type { Clock } from '../ground/clock'
import type { VendorRuntime } from '../ivrSettings/vendorRuntime'
import type { MaintenanceService } from '../maintenance/service'
import type { StorageProblems } from '../maintenance/problems'
import type { AccountService } from '../accounts/accounts'
import { personalAddress, type TeamState } from '../../shared/team'

export interface HandlerDeps {
  store: CallStore
  rejected: RejectedLog
  settings: SettingsService
  vendor: VendorRuntime
  missed: MissedQueue
  health: () => Promise<Health>
  clock: Clock
  timezone: string
  /**
   * Where a test push goes: the public (tunnel) URL when one is set, so the tunnel is tested too;
   * null while this app's listener is not listening.
   */
  pushUrl: () => string | null
  appInfo: AppInfo
  maintenance: MaintenanceService
  problems: StorageProblems
  accounts: AccountService
  /** `local` for the desktop app, `server` for headless mode. */
  teamMode: 'local' | 'server'
  /** Where people open the app, when known: a new account's address is built on it. */
  appUrl: () => string | null
}

/**
 * One thin function per contract channel: the payload is already validated by the transport;
 * each calls one service and returns plain JSON.
 */
export function buildHandlers(deps: HandlerDeps): Handlers {
  const model = () => deps.vendor.model
  /**
   * Marks calls that started while the schedule in force then says the office was closed (not
   * when nothing was set then): evidence the vendor's settings differ from ours.
   */
  const flagger = (): ((call: Call) => Call) => {
    const closedAt = model().schedule.closedAt()
    return (call) => ({
      ...call,
      outsideOfficeHours: closedAt(Date.parse(call.startedAt)) === true,
    })
  }
  return {
    'calls:list': async (q) => {
      const page = await deps.store.query(withAgentNames(q, deps.vendor))
      return { ...page, calls: page.calls.map(flagger()) }
    },
    'calls:get': async (r) => {
      const call = await deps.store.get(r.id)
      return call && flagger()(call)
    },
    'calls:byCaller': async (r) => {
      const number = normalizePhone(r.number)
      if (!number) throw new UserError(`Not a phone number: ${r.number}`, 400, ['number'])
      return (await deps.store.byCaller(number)).map(flagger())
    },
    'pushes:rejected': (r) => deps.rejected.list(r.limit ?? 200),
    'health:get': async (_r, ctx) => healthFor(ctx.role, await deps.health()),
    'connection:testPush': () =>
      testPush(deps.pushUrl(), deps.settings.publicUrl() !== null, deps.clock, deps.timezone),

    'agents:list': () => model().agents.list(),
    'agents:add': (r) => model().agents.add(r),
    'agents:update': (r) => model().agents.update(r),
    'agents:remove': (r) => model().agents.remove(r),
    'agents:import': (r) => model().agents.import(r),
    'agents:previewImport': (r) => model().agents.previewImport(r),
    'agents:setStatus': (r, ctx) => model().agents.setStatus(r, ctx.user),
    'agents:setDepartmentStatus': (r, ctx) => model().agents.setDepartmentStatus(r, ctx.user),

    'holidays:list': async () => model().holidays.list(),
    'holidays:add': (r, ctx) => model().holidays.add(r, ctx.user),
    'holidays:remove': (r) => model().holidays.remove(r),
    'holidays:removeRule': (r) => model().holidays.removeRule(r),
    'holidays:removeWeekly': (r) => model().holidays.removeWeekly(r),

    'officeHours:list': async () => model().officeHours.list(),
    'officeHours:set': (r, ctx) => model().officeHours.set(r, ctx.user),

    'changes:list': async () => model().changes.list(),

    'missed:list': async () => deps.missed.list(),
    'missed:mark': (r) => deps.missed.mark(r.callerNumber, r.state, r.note),
    'missed:assign': (r) => deps.missed.assign(r.callerNumber, r.assignee),
    'missed:export': async (r) =>
      missedCsv(deps.missed.list().items, r, deps.timezone, deps.clock.now()),
    'missed:bulk': async ({ callerNumbers, ...change }) => {
      if (change.state === undefined && change.note === undefined && change.assignee === undefined)
        throw new UserError('Say what to change: a state, a note or who calls back', 400, [
          'state',
          'note',
          'assignee',
        ])
      const done = await deps.missed.bulk(callerNumbers, change)
      return { ...done, message: bulkMessage(done, change) }
    },
    'missed:undo': async (r) => {
      const done = await deps.missed.undo(r.undoId)
      const kept = done.kept.length ? `; ${done.kept.length} changed again since and kept so` : ''
      return { ...done, message: `Undone: ${callers(done.restored)} as before${kept}.` }
    },

    'settings:get': async () => deps.settings.get(),
    'settings:update': async (r) => {
      const settings = await deps.settings.update(r)
      await deps.vendor.settingsChanged()
      return settings
    },
    'settings:testConnection': (r) => deps.vendor.testConnection(r),

    'dashboard:get': (r) =>
      computeDashboard({
        store: deps.store,
        ...r,
        now: deps.clock.now(),
        timezone: deps.timezone,
        agentName: (n) => deps.vendor.agentName(n),
        callbacks: deps.missed.callbacks(),
        closedAt: model().schedule.closedAt(),
        serviceLevelSeconds: deps.settings.get().serviceLevelSeconds,
        availability: { agents: model().agents.directory(), availableAt: model().availableAt() },
      }),
    'schedule:status': async () => model().schedule.describeOpenState(deps.clock.now()),
    'app:info': async () => deps.appInfo,

    'storage:acknowledge': async (r) => {
      deps.problems.acknowledge(r.ids)
      return deps.maintenance.health()
    },
    'storage:check': () => deps.maintenance.check(),
    'storage:backup': () => deps.maintenance.backup(),

    'session:get': async (_r, ctx) => ({
      name: ctx.user,
      role: ctx.role,
      owner: ctx.accountId === null,
    }),
    'accounts:list': async () => deps.accounts.list(),
    'accounts:add': async (r, ctx) => {
      const made = await deps.accounts.add(r, ctx.user)
      const base = deps.appUrl()
      return { ...made, address: base ? personalAddress(base, made.token) : null }
    },
    'accounts:revoke': (r, ctx) => deps.accounts.revoke(r.name, ctx.user),
    'accounts:setRole': (r, ctx) => deps.accounts.setRole(r.name, r.role, ctx.user),
    'accounts:people': async () =>
      deps.accounts
        .list()
        .filter((a) => a.revokedAt === null)
        .map((a) => ({ name: a.name, role: a.role }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    // The desktop shell answers these itself; the core is never a team server's client.
    'team:get': async () => teamState(deps.teamMode),
    'team:connect': async () => {
      throw new UserError(DESKTOP_ONLY, 400)
    },
    'team:disconnect': async () => {
      throw new UserError(DESKTOP_ONLY, 400)
    },
  }
}

const callers = (n: number): string => `${n} ${n === 1 ? 'caller' : 'callers'}`

/** `Resolved 3 callers (1 already so); 1 number has no line in the queue.` */
function bulkMessage(
  done: { changed: number; unchanged: number; notFound: string[] },
  change: BulkChange,
): string {
  const what =
    change.state === 'resolved'
      ? 'Resolved'
      : change.state === 'called-back'
        ? 'Marked called back'
        : change.state === 'open'
          ? 'Reopened'
          : change.assignee !== undefined
            ? change.assignee?.trim()
              ? `Assigned to ${change.assignee.trim()}`
              : 'Unassigned'
            : 'Noted'
  const already = done.unchanged ? ` (${done.unchanged} already so)` : ''
  const missing = done.notFound.length
    ? `; ${done.notFound.length} ${done.notFound.length === 1 ? 'number has' : 'numbers have'} no line in the queue`
    : ''
  return `${what}: ${callers(done.changed)}${already}${missing}.`
}

/** A history query that also finds, by its free text, the calls of agents so named. */
export function withAgentNames<Q extends CallExportQuery>(
  q: Q,
  vendor: Pick<VendorRuntime, 'agentsNamed'>,
): Q & StoreQuery {
  return q.q ? { ...q, textAgents: vendor.agentsNamed(q.q) } : q
}

const DESKTOP_ONLY =
  'Only the desktop app connects to a team server (Settings → Connect to a team server); this is the server itself.'

function teamState(mode: 'local' | 'server'): TeamState {
  return { mode, server: null, as: null, state: 'connected', error: null }
}

/**
 * Sends one synthetic call log through the real listener, exactly as the vendor would (GET with
 * the document's sample parameters), and reports what the listener answered.
 */
async function testPush(url: string | null, viaTunnel: boolean, clock: Clock, timezone: string) {
  // Never to whatever else holds the port this listener could not take.
  if (url === null)
    return {
      ok: false,
      message: 'The listener is not listening (see Connection): no test push was sent.',
    }
  const now = clock.now()
  const { date, time } = localDateTime(now, timezone)
  const params = new URLSearchParams({
    calllogid: `test-${now}`,
    callernumber: '9000000000',
    date,
    time,
    agentnumber: 'NA',
    ivrduration: '0',
    callduration: '0',
    // ANSWER, so the test opens no missed-call item and rings no alert.
    callstatus: 'ANSWER',
    state: 'Test',
    department: 'Test push',
    calltype: 'test',
  })
  const tested = `${maskWebhookUrl(url)} (${viaTunnel ? 'the public address: through the tunnel' : 'the listener on this machine: no public address is set'})`
  try {
    const res = await request(`${url}?${params}`, {
      method: 'GET',
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    })
    const body = (await res.body.text()).trim()
    const ok = res.statusCode === 200 && body === 'Accepted'
    return {
      ok,
      tested,
      message: ok
        ? 'The listener accepted a test push; it appears in the feed as a call from 9000000000 in department "Test push".'
        : `The listener answered ${res.statusCode}: ${answerText(body)}`,
    }
  } catch (err) {
    return {
      ok: false,
      tested,
      message: `The listener could not be reached: ${(err as Error).message}`,
    }
  }
}

/** Most of an answer we did not expect (a tunnel's error page), as text: tags and runs of space out. */
function answerText(body: string): string {
  const text = body
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  if (!text) return '(an empty answer)'
  return text.length > 4000
    ? `${text.slice(0, 4000)}… (${text.length - 4000} more characters)`
    : text
}
