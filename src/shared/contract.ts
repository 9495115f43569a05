/**
 * The one contract between the renderer and main. Two transports carry it:
 * Electron IPC (`invoke`/`handle` for requests, `webContents.send` for events) and, in browser
 * mode, the local HTTP API (each channel's `route`) with server-sent events.
 *
 * Channel names read `domain:verb`; the preload turns them into `api.domain.verb(request)`.
 * Each request channel is one row of {@link REQUESTS}: its schema (the request type is derived
 * from it), its answer type, its HTTP route and the least role it needs. Adding a channel is one
 * row here plus its handler, and its name in ./contractNames.ts (the schema-free list the preload
 * bundles; the compiler refuses a row without a name or a name without a row).
 */
import type { Static, TSchema } from 'typebox'
import { EVENT_NAMES, type Channel, type ListedEventName } from './contractNames'
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
import {
  AgentImportPreviewSchema,
  AgentImportSchema,
  AgentInputSchema,
  AgentNumberParam,
  AgentPatchSchema,
  AgentStatusRequest,
  CallerParam,
  CallExportQuerySchema,
  CallQuerySchema,
  DashboardRequestSchema,
  DateParam,
  DepartmentStatusRequest,
  HolidayAddSchema,
  IdParam,
  LimitQuery,
  MissedAssignSchema,
  MissedBulkSchema,
  MissedExportSchema,
  MissedMarkSchema,
  MissedUndoSchema,
  OfficeHoursSetSchema,
  SettingsUpdateSchema,
  StorageAcknowledgeSchema,
  TestConnectionSchema,
  WeeklyParam,
  YearlyParam,
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
import {
  AccountAddSchema,
  AccountNameParam,
  AccountRoleSchema,
  TeamConnectSchema,
} from './teamSchemas'

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

// ---------------------------------------------------------------- the requests, one row a channel

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/**
 * How a channel maps onto the local HTTP API. Path parameters (`:name`) are taken from the
 * request object by name; what remains goes in the query string (GET, DELETE) or the JSON body.
 * `rawBody` names a string field sent as the whole body with `contentType` instead.
 */
export interface HttpRoute {
  method: HttpMethod
  path: string
  rawBody?: { field: string; contentType: string }
}

declare const answerType: unique symbol
/** Names a channel's answer type for the compiler; carries nothing at run time. */
export interface Answer<T> {
  readonly [answerType]?: T
}
const NO_VALUE = Object.freeze({})
const answer = <T>(): Answer<T> => NO_VALUE

/** One request channel: everything the transports, the roles and validation need to know. */
export interface ChannelRow {
  /**
   * The TypeBox schema every request must satisfy before a handler runs, on both transports
   * (for HTTP, path parameters and the query or body merged into one object first); the
   * channel's request type is its `Static<>`. `null`: the channel takes no request.
   */
  schema: TSchema | null
  /** The answer's type, written `answer<T>()`. */
  answer: Answer<unknown>
  route: HttpRoute
  /**
   * The least role the channel needs: what the HTTP API enforces (403 beyond it), what the change
   * log reads (every channel above `viewer` is a change, recorded with the person) and what the
   * screens hide their controls by. A viewer sees everything (the missed-call queue's CSV export
   * included: it is a read); a supervisor also works the day (agents, holidays and weekly
   * closures, office hours, the missed calls' marks and who calls back); an admin also sets the
   * app up (settings, vendor credentials, the webhook test, storage, accounts). The desktop's own
   * `team:` channels concern that desktop only, so any role may use them.
   */
  role: Role
}

/** Every renderer → main request, one row a channel. */
export const REQUESTS = {
  /** A page of the call history, newest first. */
  'calls:list': {
    schema: CallQuerySchema,
    answer: answer<CallPage>(),
    route: { method: 'GET', path: '/api/v1/calls' },
    role: 'viewer',
  },
  /** One call by id, or null. */
  'calls:get': {
    schema: IdParam,
    answer: answer<Call | null>(),
    route: { method: 'GET', path: '/api/v1/calls/:id' },
    role: 'viewer',
  },
  /** Every call from one number, newest first (the caller's timeline). */
  'calls:byCaller': {
    schema: CallerParam,
    answer: answer<Call[]>(),
    route: { method: 'GET', path: '/api/v1/callers/:number/calls' },
    role: 'viewer',
  },
  /** Desktop: asks where to save and writes the CSV of the filtered rows; browser: downloads. */
  'calls:exportCsv': {
    schema: CallExportQuerySchema,
    answer: answer<{ saved: boolean; path: string | null; rows: number }>(),
    route: { method: 'GET', path: '/api/v1/calls.csv' },
    role: 'viewer',
  },
  /** The rejected-pushes log, newest first. */
  'pushes:rejected': {
    schema: LimitQuery,
    answer: answer<RejectedPush[]>(),
    route: { method: 'GET', path: '/api/v1/pushes/rejected' },
    role: 'viewer',
  },
  'health:get': {
    schema: null,
    answer: answer<Health>(),
    route: { method: 'GET', path: '/api/v1/health' },
    role: 'viewer',
  },
  /** Sends a synthetic push through the public listener, as the vendor would. */
  'connection:testPush': {
    schema: null,
    answer: answer<TestResult>(),
    route: { method: 'POST', path: '/api/v1/connection/test-push' },
    role: 'admin',
  },

  'agents:list': {
    schema: null,
    answer: answer<Agent[]>(),
    route: { method: 'GET', path: '/api/v1/agents' },
    role: 'viewer',
  },
  'agents:add': {
    schema: AgentInputSchema,
    answer: answer<Agent>(),
    route: { method: 'POST', path: '/api/v1/agents' },
    role: 'supervisor',
  },
  'agents:update': {
    schema: AgentPatchSchema,
    answer: answer<Agent>(),
    route: { method: 'PATCH', path: '/api/v1/agents/:number' },
    role: 'supervisor',
  },
  'agents:remove': {
    schema: AgentNumberParam,
    answer: answer<RemovalResult>(),
    route: { method: 'DELETE', path: '/api/v1/agents/:number' },
    role: 'supervisor',
  },
  /**
   * Imports agents from a CSV, as `agents:previewImport` showed it (with its `preview`, nothing is
   * applied if the directory or the file changed since).
   */
  'agents:import': {
    schema: AgentImportSchema,
    answer: answer<AgentImportResult>(),
    route: {
      method: 'POST',
      path: '/api/v1/agents/import',
      rawBody: { field: 'csv', contentType: 'text/csv' },
    },
    role: 'supervisor',
  },
  /** What importing a CSV would add, change and refuse, line by line; changes nothing. */
  'agents:previewImport': {
    schema: AgentImportPreviewSchema,
    answer: answer<AgentImportPreview>(),
    route: {
      method: 'POST',
      path: '/api/v1/agents/import/preview',
      rawBody: { field: 'csv', contentType: 'text/csv' },
    },
    // A read: it compares a file with the directory everyone may see, and changes nothing.
    role: 'viewer',
  },
  /** Sends `ManageAgent`: answer once confirmed, queued or refused. */
  'agents:setStatus': {
    schema: AgentStatusRequest,
    answer: answer<ChangeResult>(),
    route: { method: 'PUT', path: '/api/v1/agents/:number/status' },
    role: 'supervisor',
  },
  /** Switches every agent of a department. */
  'agents:setDepartmentStatus': {
    schema: DepartmentStatusRequest,
    answer: answer<ChangeResult[]>(),
    route: { method: 'PUT', path: '/api/v1/departments/:department/status' },
    role: 'supervisor',
  },

  'holidays:list': {
    schema: null,
    answer: answer<HolidayList>(),
    route: { method: 'GET', path: '/api/v1/holidays' },
    role: 'viewer',
  },
  'holidays:add': {
    schema: HolidayAddSchema,
    answer: answer<HolidayAddResult>(),
    route: { method: 'POST', path: '/api/v1/holidays' },
    role: 'supervisor',
  },
  /** Removes a date from our list only (the vendor API cannot remove a holiday). */
  'holidays:remove': {
    schema: DateParam,
    answer: answer<RemovalResult>(),
    route: { method: 'DELETE', path: '/api/v1/holidays/:date' },
    role: 'supervisor',
  },
  'holidays:removeRule': {
    schema: YearlyParam,
    answer: answer<RemovalResult>(),
    route: { method: 'DELETE', path: '/api/v1/holiday-rules/:monthDay' },
    role: 'supervisor',
  },
  /** Stops closing a weekday every week; dates already sent stay holidays at the vendor. */
  'holidays:removeWeekly': {
    schema: WeeklyParam,
    answer: answer<RemovalResult>(),
    route: { method: 'DELETE', path: '/api/v1/weekly-closures/:day' },
    role: 'supervisor',
  },

  'officeHours:list': {
    schema: null,
    answer: answer<OfficeHours[]>(),
    route: { method: 'GET', path: '/api/v1/office-hours' },
    role: 'viewer',
  },
  'officeHours:set': {
    schema: OfficeHoursSetSchema,
    answer: answer<ChangeResult>(),
    route: { method: 'PUT', path: '/api/v1/office-hours/:day' },
    role: 'supervisor',
  },

  /** The outbox and its history, newest first. */
  'changes:list': {
    schema: null,
    answer: answer<Change[]>(),
    route: { method: 'GET', path: '/api/v1/changes' },
    role: 'viewer',
  },

  'missed:list': {
    schema: null,
    answer: answer<{ items: MissedItem[]; openCount: number }>(),
    route: { method: 'GET', path: '/api/v1/missed' },
    role: 'viewer',
  },
  'missed:mark': {
    schema: MissedMarkSchema,
    answer: answer<MissedItem>(),
    route: { method: 'PUT', path: '/api/v1/missed/:callerNumber' },
    role: 'supervisor',
  },
  /** Names who is to call the caller back (free text). */
  'missed:assign': {
    schema: MissedAssignSchema,
    answer: answer<MissedItem>(),
    route: { method: 'PUT', path: '/api/v1/missed/:callerNumber/assignee' },
    role: 'supervisor',
  },
  /** The queue as filtered on screen, as CSV text (the renderer saves it as a file). */
  'missed:export': {
    schema: MissedExportSchema,
    answer: answer<MissedExportResult>(),
    route: { method: 'GET', path: '/api/v1/missed-export' },
    role: 'viewer',
  },
  /** Marks, notes or assigns many callers at once; the answer carries the id that undoes it. */
  'missed:bulk': {
    schema: MissedBulkSchema,
    answer: answer<MissedBulkResult>(),
    route: { method: 'POST', path: '/api/v1/missed-bulk' },
    role: 'supervisor',
  },
  /** Puts back what one bulk change changed (once); what changed again since is kept. */
  'missed:undo': {
    schema: MissedUndoSchema,
    answer: answer<MissedUndoResult>(),
    route: { method: 'POST', path: '/api/v1/missed-bulk/:undoId/undo' },
    role: 'supervisor',
  },

  'settings:get': {
    schema: null,
    answer: answer<Settings>(),
    route: { method: 'GET', path: '/api/v1/settings' },
    role: 'viewer',
  },
  'settings:update': {
    schema: SettingsUpdateSchema,
    answer: answer<Settings>(),
    route: { method: 'PATCH', path: '/api/v1/settings' },
    role: 'admin',
  },
  /**
   * Asks the vendor something harmless to check a URL, key and customer id: those given (what is
   * on screen, saved or not), else the saved ones. The answer says which it tested.
   */
  'settings:testConnection': {
    schema: TestConnectionSchema,
    answer: answer<TestResult>(),
    route: { method: 'POST', path: '/api/v1/settings/test-connection' },
    role: 'admin',
  },

  'dashboard:get': {
    schema: DashboardRequestSchema,
    answer: answer<Dashboard>(),
    route: { method: 'GET', path: '/api/v1/dashboard' },
    role: 'viewer',
  },
  /** Whether the office is open now by our model, e.g. `Open now, closes at 6:00 PM`. */
  'schedule:status': {
    schema: null,
    answer: answer<OpenState>(),
    route: { method: 'GET', path: '/api/v1/schedule/status' },
    role: 'viewer',
  },
  'app:info': {
    schema: null,
    answer: answer<AppInfo>(),
    route: { method: 'GET', path: '/api/v1/info' },
    role: 'viewer',
  },

  /**
   * Acknowledges storage problems (all when `ids` is absent); one still going on (a full disk)
   * stays. Answers the storage health that remains.
   */
  'storage:acknowledge': {
    schema: StorageAcknowledgeSchema,
    answer: answer<StorageHealth>(),
    route: { method: 'POST', path: '/api/v1/storage/acknowledge' },
    role: 'admin',
  },
  /** Checks the data folder (what `npm run doctor` does); damaged months are contained. */
  'storage:check': {
    schema: null,
    answer: answer<CheckReport>(),
    route: { method: 'POST', path: '/api/v1/storage/check' },
    role: 'admin',
  },
  /** Makes a consistent backup of the data folder now. */
  'storage:backup': {
    schema: null,
    answer: answer<BackupResult>(),
    route: { method: 'POST', path: '/api/v1/storage/backup' },
    role: 'admin',
  },

  /** Who the request comes from: name and role (the owner is an admin without an account). */
  'session:get': {
    schema: null,
    answer: answer<Session>(),
    route: { method: 'GET', path: '/api/v1/session' },
    role: 'viewer',
  },
  /** Every account of the team server, revoked ones included (their tokens no longer work). */
  'accounts:list': {
    schema: null,
    answer: answer<Account[]>(),
    route: { method: 'GET', path: '/api/v1/accounts' },
    role: 'admin',
  },
  /** Creates an account; the answer carries its personal token, shown this once only. */
  'accounts:add': {
    schema: AccountAddSchema,
    answer: answer<AccountCreated>(),
    route: { method: 'POST', path: '/api/v1/accounts' },
    role: 'admin',
  },
  /** Revokes the active account of that name: its token stops working at once. */
  'accounts:revoke': {
    schema: AccountNameParam,
    answer: answer<Account>(),
    route: { method: 'POST', path: '/api/v1/accounts/:name/revoke' },
    role: 'admin',
  },
  'accounts:setRole': {
    schema: AccountRoleSchema,
    answer: answer<Account>(),
    route: { method: 'PUT', path: '/api/v1/accounts/:name/role' },
    role: 'admin',
  },
  /** The team's active people, names and roles only (to choose who calls back); empty without accounts. */
  'accounts:people': {
    schema: null,
    answer: answer<Person[]>(),
    route: { method: 'GET', path: '/api/v1/people' },
    // Names and roles only: whom a caller can be assigned to, which everyone sees on the queue.
    role: 'viewer',
  },
  /** How this app relates to a team server (desktop: connected to one, or its own receiver). */
  'team:get': {
    schema: null,
    answer: answer<TeamState>(),
    route: { method: 'GET', path: '/api/v1/team' },
    role: 'viewer',
  },
  /**
   * Desktop only: checks the address and personal token with the team server, keeps them and
   * restarts as its client (no listener, no vendor client of its own).
   */
  'team:connect': {
    schema: TeamConnectSchema,
    answer: answer<TeamState>(),
    route: { method: 'POST', path: '/api/v1/team/connect' },
    role: 'viewer',
  },
  /** Desktop only: forgets the team server and restarts as its own receiver. */
  'team:disconnect': {
    schema: null,
    answer: answer<TeamState>(),
    route: { method: 'POST', path: '/api/v1/team/disconnect' },
    role: 'viewer',
  },
} as const satisfies { readonly [C in Channel]: ChannelRow }

type Table = typeof REQUESTS
/** A channel's request: its schema's `Static<>`, or `void` when it takes none. */
export type RequestOf<C extends Channel> = C extends Channel
  ? Table[C]['schema'] extends TSchema
    ? Static<Table[C]['schema']>
    : void
  : never
export type ResponseOf<C extends Channel> = C extends Channel
  ? Table[C]['answer'] extends Answer<infer T>
    ? T
    : never
  : never

/** The names, kept schema-free in ./contractNames.ts so the preload bundles no schema. */
export { CHANNELS, EVENT_NAMES, splitChannel, type Channel } from './contractNames'

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

/** ./contractNames.ts lists exactly these events: the compiler refuses a name missing there or not here. */
const _eventsListed: [EventName] extends [ListedEventName]
  ? [ListedEventName] extends [EventName]
    ? true
    : never
  : never = true

/**
 * Events a transport or the desktop shell sends, never the in-process bus: a shown call, the
 * reload signal of the event stream, the desktop's team connection.
 */
export type TransportEventName = 'app:openCall' | 'app:reload' | 'team:updated'

// ---------------------------------------------------------------- HTTP transport

/** The local API's server-sent-events stream of {@link Events} (browser mode). */
export const EVENTS_PATH = '/api/v1/events'

// ---------------------------------------------------------------- roles

/** Who receives each event: what it carries is what a channel of that role answers. */
export const EVENT_MIN_ROLE: Record<EventName, Role> = {
  ...(Object.fromEntries(EVENT_NAMES.map((e) => [e, 'viewer'])) as Record<EventName, Role>),
  'accounts:updated': REQUESTS['accounts:list'].role,
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
  return roleIncludes(role, REQUESTS[channel].role)
}

/** The words of a refusal (HTTP 403): what was asked, the role it needs and the one the person has. */
export function refusalText(channel: Channel, person: { name: string; role: Role }): string {
  const needed = REQUESTS[channel].role
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
