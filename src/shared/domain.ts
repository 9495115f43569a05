/**
 * Domain types shared by main, preload and renderer. Plain data only: everything here crosses
 * IPC, HTTP and disk as JSON. No Node or Electron imports, so main, preload and renderer share it.
 */
import type { StorageHealth } from './storage'

/** The three outcomes the vendor reports for a call. */
export type CallStatus = 'ANSWER' | 'MISSED' | 'DROPPED'
export const CALL_STATUSES: readonly CallStatus[] = ['ANSWER', 'MISSED', 'DROPPED']
/** Each status in the words every screen and export uses (the vendor's own words stay in `raw`). */
export const CALL_STATUS_LABEL: Readonly<Record<CallStatus, string>> = {
  ANSWER: 'Answered',
  MISSED: 'Missed',
  DROPPED: 'Dropped',
}

/** Raw parameters of one push, exactly as received (keys as sent, values decoded once). */
export type RawParams = Record<string, string>

/** The normalised call-log fields (what the listener derives from one push). */
export interface CallFields {
  /** The vendor's call id (`calllogid` / `call_uuid`). */
  id: string
  /** Caller in E.164 form when Indian (`+91XXXXXXXXXX`), else digits (with `+` if one was sent). */
  callerNumber: string
  /** Agent the call was connected to, normalised like callerNumber; null when none. */
  agentNumber: string | null
  status: CallStatus
  /** Local date in the configured time zone, `YYYY-MM-DD`, as the vendor sent it. */
  date: string
  /** Local time, `HH:MM:SS` (24 h), as the vendor sent it. */
  time: string
  /** ISO 8601 instant with the zone's offset, e.g. `2026-11-27T10:15:00+05:30`. */
  startedAt: string
  /** Seconds spent in the IVR before connection (`ivrduration` / `total_call_duration`). */
  ivrSeconds: number | null
  /** Conversation seconds (`callduration` / `conversation_duration`). */
  talkSeconds: number | null
  /** Telecom circle of the caller (`state` / `caller_circle`). */
  circle: string | null
  /** The rented virtual number (`ibizfonenumber` / `knumber`). */
  virtualNumber: string | null
  department: string | null
  /** http(s) recording link, or null. */
  recordingUrl: string | null
  /** The undocumented `calltype` parameter some vendors send. */
  callType: string | null
}

/** A stored call: the normalised fields plus receipt bookkeeping and its revisions. */
export interface Call extends CallFields {
  /** ISO instant (UTC) when the current version was received. */
  receivedAt: string
  /** ISO instant (UTC) when the first version was received. */
  firstReceivedAt: string
  /** 1 for the first version, +1 for each push with the same id and different content. */
  revision: number
  /** Every parameter of the push that produced the current version, unknown ones included. */
  raw: RawParams
  /** Earlier versions, oldest first (each without its own history). */
  history: CallRevision[]
  /**
   * Set on answers of the history and feed (not stored): true when the call started while our
   * office-hours model says the office was closed — evidence the vendor's settings differ.
   */
  outsideOfficeHours?: boolean
}

export type CallRevision = Omit<Call, 'history'>

/** A push the listener answered `Invalid Data`: kept so nothing the vendor sent is lost. */
export interface RejectedPush {
  id: string
  receivedAt: string
  method: string
  /** Parameters as received (query and body merged), raw. */
  params: RawParams
  /** Why it was rejected, in words a supervisor can act on. */
  reason: string
  /** The fields at fault, e.g. `['date']`. */
  fields: string[]
  remoteAddress: string | null
}

/**
 * Requests whose type is derived from their TypeBox schema (`Static<>`), so the two cannot drift:
 * the history filters, a new agent, a settings change.
 */
export type { AgentInput, CallQuery, SettingsUpdate } from './schemas'

export interface CallPage {
  calls: Call[]
  total: number
  nextCursor: string | null
  /**
   * Months of the query whose file was damaged, with the number of calls that could not be read
   * back (absent when none): the answer holds every readable call and says what it misses.
   */
  unreadable?: { month: string; calls: number }[]
}

/** Counts over a set of calls. */
export interface CallCounts {
  total: number
  answered: number
  missed: number
  dropped: number
}

export type ListenerState = 'starting' | 'listening' | 'stopped' | 'failed'

export interface Health {
  listener: {
    state: ListenerState
    host: string
    port: number
    /** Why the listener is not listening (e.g. port in use). */
    error: string | null
  }
  /** The URL to give the vendor (contains the secret token: show, never log). */
  webhookUrl: string
  /** ISO instant of the last accepted push, or null if none since the data folder was created. */
  lastPushAt: string | null
  /** Today in the configured zone. */
  today: CallCounts & { date: string }
  rejectedCount: number
  timezone: string
  /** True while the built-in simulator stands in for the vendor. */
  simulator: boolean
  /** Storage problems not acknowledged yet, and the last backup. */
  storage: StorageHealth
}

// ---------------------------------------------------------------- vendor settings model

export type AgentStatus = 'AVAIL' | 'OFF'
export type KnownAgentStatus = AgentStatus | 'UNKNOWN'

export const WEEKDAYS = [
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
] as const
export type Weekday = (typeof WEEKDAYS)[number]
export type OfficeDay = 'Daily' | Weekday

/** Lifecycle of one change sent to the vendor's settings API. */
export type ChangeState = 'pending' | 'confirmed' | 'refused'

export type ChangeKind = 'agent-status' | 'holiday' | 'office-time'

export interface ChangeAttempt {
  at: string
  /** `Success`, the vendor's refusal text, or our description of a network failure. */
  outcome: 'success' | 'refused' | 'failed'
  /** The vendor's words (body), or the network error (never containing the API key). */
  detail: string
  /** HTTP status when an answer arrived. */
  httpStatus: number | null
}

/** One change in the outbox (and, once settled, in the audit log). */
export interface Change {
  id: string
  kind: ChangeKind
  /** What it changes, e.g. `agent:9876543210`, `holiday:2026-01-26`, `office:Monday`. */
  target: string
  /** The exact vendor parameters besides apikey and custid, e.g. `{action, agentnum, status}`. */
  params: Record<string, string>
  /** Human summary, e.g. `Agent Asha (9876543210) → OFF`. */
  summary: string
  requestedAt: string
  /** Who asked: the person's account name on a team server, else the owner's OS user name. */
  requestedBy: string
  state: ChangeState
  attempts: ChangeAttempt[]
  /** The vendor's final words when confirmed or refused. */
  vendorAnswer: string | null
  settledAt: string | null
  /** When the next background attempt is due (pending only). */
  nextAttemptAt: string | null
}

export interface Agent {
  /** The number as the supervisor registered it (digits), sent as `agentnum`. */
  number: string
  /** Normalised form used to match calls (`+91XXXXXXXXXX`). */
  normalizedNumber: string
  name: string
  department: string | null
  /** What the vendor last confirmed. */
  status: KnownAgentStatus
  statusConfirmedAt: string | null
  statusChangedBy: string | null
  /** The newest change for this agent that is not confirmed yet (pending or refused), if any. */
  change: Change | null
  /**
   * Today's calls answered by this agent (configured zone): how many, their talk time, and when
   * the last one started. (A missed call reaches no agent, so there is no "missed" per agent.)
   */
  today: { answered: number; talkSeconds: number; lastCallAt: string | null }
}

/** The outbox target of an agent's status: one per agent, by its normalised (E.164) number. */
export function agentTarget(normalizedNumber: string): string {
  return `agent:${normalizedNumber}`
}

export interface AgentImportResult {
  added: number
  updated: number
  /** Rows we could not use, with the reason (1-based line numbers of the CSV). */
  errors: { line: number; reason: string }[]
  /** Changes to existing agents the user chose not to apply (`changes: 'skip'`). */
  skipped: number
}

/** An agent as one line of an import gives it. */
export interface AgentImportLine {
  /** 1-based line of the CSV. */
  line: number
  /** As the vendor's `agentnum` (digits), and in E.164 to show and match. */
  number: string
  normalizedNumber: string
  name: string
  department: string | null
}

/** A name and a department, before or after an import. */
export interface AgentEntry {
  name: string
  department: string | null
}

/**
 * What importing a CSV would do, computed against the directory as it is, changing nothing:
 * the agents it adds, those it changes (as they are and as they would be), the lines it leaves
 * alone and those it refuses, each with why.
 */
export interface AgentImportPreview {
  added: AgentImportLine[]
  changed: {
    line: number
    number: string
    normalizedNumber: string
    before: AgentEntry
    after: AgentEntry
  }[]
  /** Lines that match the directory already. */
  unchanged: AgentImportLine[]
  refused: { line: number; text: string; reason: string }[]
  /** Columns of the header that name nothing an agent has (e.g. `Email`): not used. */
  ignoredColumns: string[]
  /** Departments written in another case than the directory's (or an earlier line's) spelling. */
  departments: { typed: string; as: string }[]
  /**
   * Ties a confirmation to this preview: `agents:import` with it refuses to apply anything if
   * the directory or the file changed meanwhile.
   */
  preview: string
}

export interface Holiday {
  date: string
  name: string | null
  /** How it came to be: a single date, a range, a yearly rule (`MM-DD`) or a weekday closed every week. */
  source: 'single' | 'range' | 'yearly' | 'weekly'
  rule: string | null
  state: ChangeState
  vendorAnswer: string | null
  changeId: string | null
}

export interface YearlyHolidayRule {
  monthDay: string
  name: string
}

export interface OfficeHours {
  day: OfficeDay
  /** 24-hour `HH:MM` in our API; the client converts to the vendor's `HH:MI AM/PM`. */
  start: string
  end: string
  state: ChangeState
  vendorAnswer: string | null
  changeId: string | null
}

/** Answer of every change request: the change and what it means for the user. */
export interface ChangeResult {
  change: Change
  /** A sentence for the user, e.g. `Removed here only: the vendor API cannot remove a holiday.` */
  message: string
}

// ---------------------------------------------------------------- missed-call queue

export type MissedState = 'open' | 'called-back' | 'resolved'

/**
 * One caller of the "Missed & dropped" queue: every MISSED or DROPPED call opens or joins the
 * item of its number, so the queue counts callers waiting for a call back (grouped by number).
 */
export interface MissedItem {
  callerNumber: string
  /** Ids of the missed/dropped calls in this item, oldest first. */
  callIds: string[]
  count: number
  firstMissedAt: string
  lastMissedAt: string
  state: MissedState
  note: string | null
  /** When the supervisor marked it, or a later answered call resolved it. */
  settledAt: string | null
  /** `user` when marked by hand, or the id of the answered call that resolved it. */
  settledBy: string | null
  /** The department of the caller's latest missed or dropped call (null when none was sent). */
  department: string | null
  /** Who is to call back: a name the supervisor typed; null when nobody is assigned. */
  assignee: string | null
}

// ---------------------------------------------------------------- settings

export type NotifyChoice = 'all' | 'missed' | 'off'

export interface Settings {
  vendorUrl: string | null
  custId: string | null
  /** Whether an API key is stored; the key itself never reaches the renderer. */
  apiKeySet: boolean
  timezone: string
  publicUrl: string | null
  notify: NotifyChoice
  quietOutsideOfficeHours: boolean
  alertsPaused: boolean
  /** A short tone with each alert (played by the screen, desktop or browser). */
  alertSound: boolean
  startAtLogin: boolean
  /** How secrets are kept: `encrypted` (OS keychain), `plain-text` (platform fallback), `env`. */
  secretStorage: 'encrypted' | 'plain-text' | 'env'
  /** True while no vendor is configured and the built-in simulator stands in. */
  simulator: boolean
  /** Whether the app backs the data folder up once a day. */
  backupDaily: boolean
  /** Days automatic and manual backups are kept (the newest is always kept). */
  backupKeepDays: number
  /** Where backups go; null: the `backups` folder inside the data folder. */
  backupDir: string | null
  /** The team's service-level target: a call counts as answered in time within these seconds. */
  serviceLevelSeconds: number
}
