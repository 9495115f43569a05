/**
 * The one contract between the renderer and main. Two transports carry it:
 * Electron IPC (`invoke`/`handle` for requests, `webContents.send` for events) and, in browser
 * mode, the local HTTP API (the `routes` table below) with server-sent events.
 *
 * Channel names read `domain:verb`; the preload turns them into `api.domain.verb(request)`.
 */
import type {
  Agent,
  AgentImportPreview,
  AgentImportResult,
  Call,
  CallPage,
  Change,
  ChangeResult,
  Health,
  Holiday,
  MissedItem,
  OfficeHours,
  RejectedPush,
  Settings,
  Weekday,
  YearlyHolidayRule,
} from './domain'
import type { Dashboard } from './dashboard'
import type { BackupResult, CheckReport, StorageHealth, StorageProblem } from './storage'
import type {
  AgentImportPreviewRequest,
  AgentImportRequest,
  AgentInput,
  AgentNumberRequest,
  AgentPatch,
  AgentStatusChange,
  CallerRequest,
  CallExportQuery,
  CallIdRequest,
  CallQuery,
  DashboardRequest,
  DepartmentStatusChange,
  HolidayAdd,
  HolidayDateRequest,
  HolidayRuleRequest,
  LimitRequest,
  MissedAssign,
  MissedBulk,
  MissedExport,
  MissedMark,
  MissedUndoRequest,
  OfficeHoursSet,
  SettingsUpdate,
  StorageAcknowledgeRequest,
  TestConnectionRequest,
  WeeklyRequest,
} from './schemas'
import { maskWebhookUrl } from './vendorPaths'
import {
  roleIncludes,
  type Account,
  type AccountCreated,
  type Role,
  type Session,
  type TeamState,
} from './team'
import type { AccountAdd, AccountNameRequest, AccountRoleChange, TeamConnect } from './teamSchemas'

/** The holiday list, the yearly rules and the weekdays closed every week. */
export interface HolidayList {
  holidays: Holiday[]
  rules: YearlyHolidayRule[]
  /** Weekdays closed every week (sent as a holiday on each date of the next twelve months). */
  weekly: Weekday[]
}

/** Answer of `missed:export`: the CSV of the queue as filtered on screen. */
export interface MissedExportResult {
  fileName: string
  csv: string
  rows: number
}

/** Answer of `missed:bulk`. */
export interface MissedBulkResult {
  /** Undoes this change (`missed:undo`); null when it changed nothing. */
  undoId: string | null
  changed: number
  /** Callers it named that were already so. */
  unchanged: number
  /** Numbers it named that have no line in the queue. */
  notFound: string[]
  message: string
}

/** Answer of `missed:undo`. */
export interface MissedUndoResult {
  restored: number
  /** Callers whose line changed again since (a call, someone's mark): that change is kept. */
  kept: { callerNumber: string; reason: string }[]
  message: string
}

/** One person of the team, as anyone may see them (to choose who calls a caller back). */
export interface Person {
  name: string
  role: Role
}

/** Answer of `holidays:add`: one result per date sent to the vendor. */
export interface HolidayAddResult {
  results: ChangeResult[]
  /** Yearly rule stored, when the request was a rule. */
  rule: YearlyHolidayRule | null
  message: string
}

export interface RemovalResult {
  removed: boolean
  /** What the removal means, e.g. that the vendor API cannot undo a holiday. */
  message: string
}

/** The office as our model sees it (office hours and holidays, configured zone). */
export interface OpenState {
  open: boolean
  /** `Open now, closes at 6:00 PM` / `Closed, opens Monday 9:30 AM`. */
  text: string
  /** ISO instant of the next opening or closing, null when none is configured. */
  nextChangeAt: string | null
  /** What a caller hears now: put through to an available agent, the closed or the holiday message. */
  hear: string
}

export interface TestResult {
  ok: boolean
  message: string
  /** What was tested, in words: the address, and whether those were the saved settings. */
  tested?: string
}

export interface AppInfo {
  version: string
  /** `electron` in the desktop app, `http` in browser mode. */
  transport: 'electron' | 'http'
  /** Where the data folder is. */
  dataDir: string
}

/** Every renderer → main request: channel → request and response. */
export interface Requests {
  /** A page of the call history, newest first. */
  'calls:list': { req: CallQuery; res: CallPage }
  /** One call by id, or null. */
  'calls:get': { req: CallIdRequest; res: Call | null }
  /** Every call from one number, newest first (the caller's timeline). */
  'calls:byCaller': { req: CallerRequest; res: Call[] }
  /** Desktop: asks where to save and writes the CSV of the filtered rows; browser: downloads. */
  'calls:exportCsv': {
    req: CallExportQuery
    res: { saved: boolean; path: string | null; rows: number }
  }
  /** The rejected-pushes log, newest first. */
  'pushes:rejected': { req: LimitRequest; res: RejectedPush[] }
  'health:get': { req: void; res: Health }
  /** Sends a synthetic push through the public listener, as the vendor would. */
  'connection:testPush': { req: void; res: TestResult }

  'agents:list': { req: void; res: Agent[] }
  'agents:add': { req: AgentInput; res: Agent }
  'agents:update': { req: AgentPatch; res: Agent }
  'agents:remove': { req: AgentNumberRequest; res: RemovalResult }
  /**
   * Imports agents from a CSV, as `agents:previewImport` showed it (with its `preview`, nothing is
   * applied if the directory or the file changed since).
   */
  'agents:import': { req: AgentImportRequest; res: AgentImportResult }
  /** What importing a CSV would add, change and refuse, line by line; changes nothing. */
  'agents:previewImport': { req: AgentImportPreviewRequest; res: AgentImportPreview }
  /** Sends `ManageAgent`: answer once confirmed, queued or refused. */
  'agents:setStatus': { req: AgentStatusChange; res: ChangeResult }
  /** Switches every agent of a department. */
  'agents:setDepartmentStatus': { req: DepartmentStatusChange; res: ChangeResult[] }

  'holidays:list': { req: void; res: HolidayList }
  'holidays:add': { req: HolidayAdd; res: HolidayAddResult }
  /** Removes a date from our list only (the vendor API cannot remove a holiday). */
  'holidays:remove': { req: HolidayDateRequest; res: RemovalResult }
  'holidays:removeRule': { req: HolidayRuleRequest; res: RemovalResult }
  /** Stops closing a weekday every week; dates already sent stay holidays at the vendor. */
  'holidays:removeWeekly': { req: WeeklyRequest; res: RemovalResult }

  'officeHours:list': { req: void; res: OfficeHours[] }
  'officeHours:set': { req: OfficeHoursSet; res: ChangeResult }

  /** The outbox and its history, newest first. */
  'changes:list': { req: void; res: Change[] }

  'missed:list': { req: void; res: { items: MissedItem[]; openCount: number } }
  'missed:mark': { req: MissedMark; res: MissedItem }
  /** Names who is to call the caller back (free text). */
  'missed:assign': { req: MissedAssign; res: MissedItem }
  /** The queue as filtered on screen, as CSV text (the renderer saves it as a file). */
  'missed:export': { req: MissedExport; res: MissedExportResult }
  /** Marks, notes or assigns many callers at once; the answer carries the id that undoes it. */
  'missed:bulk': { req: MissedBulk; res: MissedBulkResult }
  /** Puts back what one bulk change changed (once); what changed again since is kept. */
  'missed:undo': { req: MissedUndoRequest; res: MissedUndoResult }

  'settings:get': { req: void; res: Settings }
  'settings:update': { req: SettingsUpdate; res: Settings }
  /**
   * Asks the vendor something harmless to check a URL, key and customer id: those given (what is
   * on screen, saved or not), else the saved ones. The answer says which it tested.
   */
  'settings:testConnection': { req: TestConnectionRequest; res: TestResult }

  'dashboard:get': { req: DashboardRequest; res: Dashboard }
  /** Whether the office is open now by our model, e.g. `Open now, closes at 6:00 PM`. */
  'schedule:status': { req: void; res: OpenState }
  'app:info': { req: void; res: AppInfo }

  /**
   * Acknowledges storage problems (all when `ids` is absent); one still going on (a full disk)
   * stays. Answers the storage health that remains.
   */
  'storage:acknowledge': { req: StorageAcknowledgeRequest; res: StorageHealth }
  /** Checks the data folder (what `npm run doctor` does); damaged months are contained. */
  'storage:check': { req: void; res: CheckReport }
  /** Makes a consistent backup of the data folder now. */
  'storage:backup': { req: void; res: BackupResult }

  /** Who the request comes from: name and role (the owner is an admin without an account). */
  'session:get': { req: void; res: Session }
  /** Every account of the team server, revoked ones included (their tokens no longer work). */
  'accounts:list': { req: void; res: Account[] }
  /** Creates an account; the answer carries its personal token, shown this once only. */
  'accounts:add': { req: AccountAdd; res: AccountCreated }
  /** Revokes the active account of that name: its token stops working at once. */
  'accounts:revoke': { req: AccountNameRequest; res: Account }
  'accounts:setRole': { req: AccountRoleChange; res: Account }
  /** The team's active people, names and roles only (to choose who calls back); empty without accounts. */
  'accounts:people': { req: void; res: Person[] }
  /** How this app relates to a team server (desktop: connected to one, or its own receiver). */
  'team:get': { req: void; res: TeamState }
  /**
   * Desktop only: checks the address and personal token with the team server, keeps them and
   * restarts as its client (no listener, no vendor client of its own).
   */
  'team:connect': { req: TeamConnect; res: TeamState }
  /** Desktop only: forgets the team server and restarts as its own receiver. */
  'team:disconnect': { req: void; res: TeamState }
}

export type Channel = keyof Requests
export type RequestOf<C extends Channel> = Requests[C]['req']
export type ResponseOf<C extends Channel> = Requests[C]['res']

/**
 * Every main → renderer push. Each keeps one name end to end: on the in-process bus (all but
 * `app:openCall`, which the desktop shell sends), over IPC, in the server-sent events of
 * `GET /api/v1/events`, and in the renderer's `api.on`.
 */
export interface Events {
  /** A call was stored durably (`created`) or a later push changed it (`updated`). */
  'call:stored': { call: Call; outcome: 'created' | 'updated' }
  'push:rejected': RejectedPush
  /** An agent's confirmed status, pending change or directory entry changed. */
  'agent:updated': Agent
  'agent:removed': { number: string }
  /** A change in the outbox moved (queued, attempted, confirmed, refused). */
  'change:updated': Change
  /**
   * The open missed-call queue. In main these are the queue's own items, not copies: a subscriber
   * serialises them at once and never keeps or changes them.
   */
  'missed:updated': { items: MissedItem[]; openCount: number }
  'health:changed': Health
  /** A storage problem was found (or found again): also in `health.storage` until acknowledged. */
  'storage:problem': StorageProblem
  /** The holiday list or a holiday's state changed: the list as `holidays:list` answers it. */
  'holidays:updated': HolidayList
  /** Office hours or their state changed: the hours as `officeHours:list` answers them. */
  'officeHours:updated': OfficeHours[]
  /** Whether the office is open now changed (hours, holidays, or the clock passed a change). */
  'schedule:updated': OpenState
  /** The settings changed (the API key itself never travels). */
  'settings:updated': Settings
  /** The desktop shell asks the renderer to show a call (a notification was clicked). */
  'app:openCall': { id: string }
  /** The team server's accounts changed (sent to admins only). */
  'accounts:updated': Account[]
  /**
   * Events were missed (a reconnect past the replay window, a restarted server) or what the
   * client may see changed (its role): reload the state instead of trusting the events.
   */
  'app:reload': { reason: string }
  /** The desktop's connection to its team server changed (client mode). */
  'team:updated': TeamState
}
export type EventName = keyof Events

/**
 * Events a transport or the desktop shell sends, never the in-process bus: a shown call, the
 * reload signal of the event stream, the desktop's team connection.
 */
export type TransportEventName = 'app:openCall' | 'app:reload' | 'team:updated'

/** Every event name, once: the compiler refuses a name missing here or not in {@link Events}. */
const EVENT_NAME_SET: { readonly [E in EventName]: true } = {
  'call:stored': true,
  'push:rejected': true,
  'agent:updated': true,
  'agent:removed': true,
  'change:updated': true,
  'missed:updated': true,
  'health:changed': true,
  'storage:problem': true,
  'holidays:updated': true,
  'officeHours:updated': true,
  'schedule:updated': true,
  'settings:updated': true,
  'app:openCall': true,
  'accounts:updated': true,
  'app:reload': true,
  'team:updated': true,
}

/** All event names, for transports that must list them. */
export const EVENT_NAMES = Object.keys(EVENT_NAME_SET) as readonly EventName[]

// ---------------------------------------------------------------- HTTP transport

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** The local API's server-sent-events stream of {@link Events} (browser mode). */
export const EVENTS_PATH = '/api/v1/events'

/**
 * How a channel maps onto the local HTTP API. Path parameters (`:name`) are taken from the
 * request object by name; what remains goes in the query string (GET, DELETE) or the JSON body.
 * `rawBody` names a string field sent as the whole body with `contentType` instead; the other
 * fields of such a request go in the query string.
 */
export interface HttpRoute {
  method: HttpMethod
  path: string
  rawBody?: { field: string; contentType: string }
}

export const ROUTES: Record<Channel, HttpRoute> = {
  'calls:list': { method: 'GET', path: '/api/v1/calls' },
  'calls:get': { method: 'GET', path: '/api/v1/calls/:id' },
  'calls:byCaller': { method: 'GET', path: '/api/v1/callers/:number/calls' },
  'calls:exportCsv': { method: 'GET', path: '/api/v1/calls.csv' },
  'pushes:rejected': { method: 'GET', path: '/api/v1/pushes/rejected' },
  'health:get': { method: 'GET', path: '/api/v1/health' },
  'connection:testPush': { method: 'POST', path: '/api/v1/connection/test-push' },
  'agents:list': { method: 'GET', path: '/api/v1/agents' },
  'agents:add': { method: 'POST', path: '/api/v1/agents' },
  'agents:update': { method: 'PATCH', path: '/api/v1/agents/:number' },
  'agents:remove': { method: 'DELETE', path: '/api/v1/agents/:number' },
  'agents:import': {
    method: 'POST',
    path: '/api/v1/agents/import',
    rawBody: { field: 'csv', contentType: 'text/csv' },
  },
  'agents:previewImport': {
    method: 'POST',
    path: '/api/v1/agents/import/preview',
    rawBody: { field: 'csv', contentType: 'text/csv' },
  },
  'agents:setStatus': { method: 'PUT', path: '/api/v1/agents/:number/status' },
  'agents:setDepartmentStatus': {
    method: 'PUT',
    path: '/api/v1/departments/:department/status',
  },
  'holidays:list': { method: 'GET', path: '/api/v1/holidays' },
  'holidays:add': { method: 'POST', path: '/api/v1/holidays' },
  'holidays:remove': { method: 'DELETE', path: '/api/v1/holidays/:date' },
  'holidays:removeRule': { method: 'DELETE', path: '/api/v1/holiday-rules/:monthDay' },
  'holidays:removeWeekly': { method: 'DELETE', path: '/api/v1/weekly-closures/:day' },
  'officeHours:list': { method: 'GET', path: '/api/v1/office-hours' },
  'officeHours:set': { method: 'PUT', path: '/api/v1/office-hours/:day' },
  'changes:list': { method: 'GET', path: '/api/v1/changes' },
  'missed:list': { method: 'GET', path: '/api/v1/missed' },
  'missed:mark': { method: 'PUT', path: '/api/v1/missed/:callerNumber' },
  'missed:assign': { method: 'PUT', path: '/api/v1/missed/:callerNumber/assignee' },
  'missed:export': { method: 'GET', path: '/api/v1/missed-export' },
  'missed:bulk': { method: 'POST', path: '/api/v1/missed-bulk' },
  'missed:undo': { method: 'POST', path: '/api/v1/missed-bulk/:undoId/undo' },
  'settings:get': { method: 'GET', path: '/api/v1/settings' },
  'settings:update': { method: 'PATCH', path: '/api/v1/settings' },
  'settings:testConnection': { method: 'POST', path: '/api/v1/settings/test-connection' },
  'dashboard:get': { method: 'GET', path: '/api/v1/dashboard' },
  'schedule:status': { method: 'GET', path: '/api/v1/schedule/status' },
  'app:info': { method: 'GET', path: '/api/v1/info' },
  'storage:acknowledge': { method: 'POST', path: '/api/v1/storage/acknowledge' },
  'storage:check': { method: 'POST', path: '/api/v1/storage/check' },
  'storage:backup': { method: 'POST', path: '/api/v1/storage/backup' },
  'session:get': { method: 'GET', path: '/api/v1/session' },
  'accounts:list': { method: 'GET', path: '/api/v1/accounts' },
  'accounts:add': { method: 'POST', path: '/api/v1/accounts' },
  'accounts:revoke': { method: 'POST', path: '/api/v1/accounts/:name/revoke' },
  'accounts:setRole': { method: 'PUT', path: '/api/v1/accounts/:name/role' },
  'accounts:people': { method: 'GET', path: '/api/v1/people' },
  'team:get': { method: 'GET', path: '/api/v1/team' },
  'team:connect': { method: 'POST', path: '/api/v1/team/connect' },
  'team:disconnect': { method: 'POST', path: '/api/v1/team/disconnect' },
}

export const CHANNELS = Object.keys(ROUTES) as Channel[]

// ---------------------------------------------------------------- roles

/**
 * The least role each channel needs: the one table the HTTP API enforces (403 beyond it), the
 * change log reads (every channel above `viewer` is a change, recorded with the person) and the
 * screens hide their controls by. A viewer sees everything (the missed-call queue's CSV export
 * included: it is a read); a supervisor also works the day (agents, holidays and weekly closures,
 * office hours, the missed calls' marks and who calls back); an admin also sets the app up
 * (settings, vendor credentials, the webhook test, storage, accounts). The desktop's own `team:` channels concern
 * that desktop only, so any role may use them.
 */
export const MIN_ROLE: Record<Channel, Role> = {
  'calls:list': 'viewer',
  'calls:get': 'viewer',
  'calls:byCaller': 'viewer',
  'calls:exportCsv': 'viewer',
  'pushes:rejected': 'viewer',
  'health:get': 'viewer',
  'connection:testPush': 'admin',
  'agents:list': 'viewer',
  'agents:add': 'supervisor',
  'agents:update': 'supervisor',
  'agents:remove': 'supervisor',
  'agents:import': 'supervisor',
  // A read: it compares a file with the directory everyone may see, and changes nothing.
  'agents:previewImport': 'viewer',
  'agents:setStatus': 'supervisor',
  'agents:setDepartmentStatus': 'supervisor',
  'holidays:list': 'viewer',
  'holidays:add': 'supervisor',
  'holidays:remove': 'supervisor',
  'holidays:removeRule': 'supervisor',
  'holidays:removeWeekly': 'supervisor',
  'officeHours:list': 'viewer',
  'officeHours:set': 'supervisor',
  'changes:list': 'viewer',
  'missed:list': 'viewer',
  'missed:mark': 'supervisor',
  'missed:assign': 'supervisor',
  'missed:export': 'viewer',
  'missed:bulk': 'supervisor',
  'missed:undo': 'supervisor',
  'settings:get': 'viewer',
  'settings:update': 'admin',
  'settings:testConnection': 'admin',
  'dashboard:get': 'viewer',
  'schedule:status': 'viewer',
  'app:info': 'viewer',
  'storage:acknowledge': 'admin',
  'storage:check': 'admin',
  'storage:backup': 'admin',
  'session:get': 'viewer',
  'accounts:list': 'admin',
  'accounts:add': 'admin',
  'accounts:revoke': 'admin',
  'accounts:setRole': 'admin',
  // Names and roles only: whom a caller can be assigned to, which everyone sees on the queue.
  'accounts:people': 'viewer',
  'team:get': 'viewer',
  'team:connect': 'viewer',
  'team:disconnect': 'viewer',
}

/** Who receives each event: what it carries is what a channel of that role answers. */
export const EVENT_MIN_ROLE: Record<EventName, Role> = {
  ...(Object.fromEntries(EVENT_NAMES.map((e) => [e, 'viewer'])) as Record<EventName, Role>),
  'accounts:updated': MIN_ROLE['accounts:list'],
}

/**
 * Health as a person of `role` may see it: the webhook URL's token (with it anyone can push calls
 * into the feed) is an admin's, like the rest of the connection's set-up; others see it masked.
 */
export function healthFor(role: Role, health: Health): Health {
  return roleIncludes(role, 'admin')
    ? health
    : { ...health, webhookUrl: maskWebhookUrl(health.webhookUrl) }
}

/** True when `role` may use `channel`. */
export function mayUse(role: Role, channel: Channel): boolean {
  return roleIncludes(role, MIN_ROLE[channel])
}

/** The words of a refusal (HTTP 403): what was asked, the role it needs and the one the person has. */
export function refusalText(channel: Channel, person: { name: string; role: Role }): string {
  const needed = MIN_ROLE[channel]
  return `Forbidden: ${channel} needs the ${needed} role or above; ${person.name} is a ${person.role}. Ask an admin of this team server.`
}

/**
 * Body of every HTTP error answer (400, 401, 404, 409, 500, ...). Change requests answer 200
 * (confirmed), 202 (queued) and 422 (refused by the vendor) with a `ChangeResult` body instead.
 */
export interface ApiErrorBody {
  error: string
  /** Fields at fault, for input errors. */
  fields?: string[]
}

// ---------------------------------------------------------------- the renderer's api shape

type DomainOf<C> = C extends `${infer D}:${string}` ? D : never
type Fn<C extends Channel> = [RequestOf<C>] extends [void]
  ? () => Promise<ResponseOf<C>>
  : (req: RequestOf<C>) => Promise<ResponseOf<C>>

/** `api.calls.list(q)`, `api.agents.setStatus(...)`, ...: the domain-grouped request functions. */
export type RequestApi = {
  [D in DomainOf<Channel>]: {
    [C in Channel as C extends `${D}:${infer V}` ? V : never]: Fn<C>
  }
}

/** What both transports offer the renderer: the requests plus event subscription. */
export type ContractApi = RequestApi & {
  /** Subscribes to a push from main; returns the function that unsubscribes. */
  on<E extends EventName>(event: E, handler: (payload: Events[E]) => void): () => void
}

/** Splits `domain:verb`. */
export function splitChannel(channel: Channel): [string, string] {
  const i = channel.indexOf(':')
  return [channel.slice(0, i), channel.slice(i + 1)]
}
