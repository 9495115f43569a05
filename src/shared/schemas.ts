/**
 * TypeBox schemas for every request payload of the contract. The same schemas validate IPC
 * payloads in main and HTTP requests in the local API, and every request type is derived from
 * its schema (`Static<>`), so the two cannot drift. Each channel's row in the contract
 * (`REQUESTS` in ./contract.ts) names its schema, so the renderer and the preload carry these
 * schemas too (TypeBox's builders are plain JavaScript); only main compiles and checks them.
 */
import { Type, type Static } from 'typebox'
import { HOUR_MINUTE_PATTERN } from './officeTime'

export const LocalDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10 })
export const HourMinute = Type.String({ pattern: HOUR_MINUTE_PATTERN, maxLength: 5 })
export const StatusSchema = Type.Union([
  Type.Literal('ANSWER'),
  Type.Literal('MISSED'),
  Type.Literal('DROPPED'),
])
export const AgentStatusSchema = Type.Union([Type.Literal('AVAIL'), Type.Literal('OFF')])
// Spelled out as a tuple: TypeBox's static type of a Union over a mapped array is `never`.
export const WeekdaySchema = Type.Union([
  Type.Literal('Monday'),
  Type.Literal('Tuesday'),
  Type.Literal('Wednesday'),
  Type.Literal('Thursday'),
  Type.Literal('Friday'),
  Type.Literal('Saturday'),
  Type.Literal('Sunday'),
])
export const OfficeDaySchema = Type.Union([Type.Literal('Daily'), ...WeekdaySchema.anyOf])
const PhoneText = Type.String({ minLength: 1, maxLength: 32 })

/** The longest call id the listener accepts (its cap on any value): every stored call is reachable. */
export const MAX_CALL_ID_LENGTH = 256
/**
 * The longest keyset cursor: base64url of `[startedAt, id]` with an id of up to
 * {@link MAX_CALL_ID_LENGTH} UTF-16 units of up to 3 UTF-8 bytes each.
 */
const MAX_CURSOR_LENGTH = Math.ceil((MAX_CALL_ID_LENGTH * 3 + 32) / 3) * 4
const ShortText = Type.String({ maxLength: 200 })
const Empty = Type.Object({}, { additionalProperties: false })

/** Filters for the call history; dates are local dates in the configured zone, inclusive. */
export const CallQuerySchema = Type.Object(
  {
    from: Type.Optional(LocalDate),
    to: Type.Optional(LocalDate),
    status: Type.Optional(StatusSchema),
    /** Agent number (any format; normalised before matching). */
    agent: Type.Optional(Type.String({ maxLength: 32 })),
    department: Type.Optional(ShortText),
    circle: Type.Optional(ShortText),
    /** Free text: matched against numbers (digits), id, department, circle, agent. */
    q: Type.Optional(ShortText),
    /** Page size, 1..500 (default 50). */
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    /** Opaque cursor from a previous page. */
    cursor: Type.Optional(Type.String({ maxLength: MAX_CURSOR_LENGTH })),
  },
  { additionalProperties: false },
)
/** The CSV export takes the history's filters, without paging. */
// Type.Omit drops the source's additionalProperties: false, so restate it.
export const CallExportQuerySchema = Type.Omit(CallQuerySchema, ['limit', 'cursor'], {
  additionalProperties: false,
})

export const IdParam = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: MAX_CALL_ID_LENGTH }) },
  { additionalProperties: false },
)
export const CallerParam = Type.Object(
  { number: Type.String({ minLength: 1, maxLength: 32 }) },
  { additionalProperties: false },
)
export const LimitQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) },
  { additionalProperties: false },
)

export const AgentInputSchema = Type.Object(
  {
    number: PhoneText,
    name: Type.String({ minLength: 1, maxLength: 100 }),
    department: Type.Optional(Type.Union([ShortText, Type.Null()])),
  },
  { additionalProperties: false },
)
export const AgentPatchSchema = Type.Object(
  {
    number: PhoneText,
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    department: Type.Optional(Type.Union([ShortText, Type.Null()])),
  },
  { additionalProperties: false },
)
export const AgentNumberParam = Type.Object({ number: PhoneText }, { additionalProperties: false })
const AgentCsv = Type.String({ maxLength: 1_000_000 })
/** A CSV to preview: nothing changes. */
export const AgentImportPreviewSchema = Type.Object(
  { csv: AgentCsv },
  { additionalProperties: false },
)
export const AgentImportSchema = Type.Object(
  {
    csv: AgentCsv,
    /** The preview's `preview`: nothing is applied if the directory or file changed since. */
    preview: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    /** `skip`: add the new agents only, leave the known ones as they are (default `apply`). */
    changes: Type.Optional(Type.Union([Type.Literal('apply'), Type.Literal('skip')])),
  },
  { additionalProperties: false },
)
export const AgentStatusRequest = Type.Object(
  { number: PhoneText, status: AgentStatusSchema },
  { additionalProperties: false },
)
export const DepartmentStatusRequest = Type.Object(
  { department: ShortText, status: AgentStatusSchema },
  { additionalProperties: false },
)

/**
 * Sent once the person was told that the request closes the office today or tomorrow and that the
 * vendor's API cannot remove a holiday (see `shared/closingSoon.ts`); refused (409) without it.
 */
const Confirmed = Type.Optional(Type.Boolean())
export const HolidayAddSchema = Type.Union([
  Type.Object(
    { date: LocalDate, name: Type.Optional(ShortText), confirmed: Confirmed },
    { additionalProperties: false },
  ),
  Type.Object(
    { from: LocalDate, to: LocalDate, name: Type.Optional(ShortText), confirmed: Confirmed },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      yearly: Type.String({ pattern: '^\\d{2}-\\d{2}$', maxLength: 5 }),
      name: ShortText,
      confirmed: Confirmed,
    },
    { additionalProperties: false },
  ),
  /** Closed every such weekday: a holiday on each of its dates over the next twelve months. */
  Type.Object({ weekly: WeekdaySchema, confirmed: Confirmed }, { additionalProperties: false }),
])
export const DateParam = Type.Object({ date: LocalDate }, { additionalProperties: false })
export const YearlyParam = Type.Object(
  { monthDay: Type.String({ pattern: '^\\d{2}-\\d{2}$', maxLength: 5 }) },
  { additionalProperties: false },
)

export const WeeklyParam = Type.Object({ day: WeekdaySchema }, { additionalProperties: false })

export const OfficeHoursSetSchema = Type.Object(
  { day: OfficeDaySchema, start: HourMinute, end: HourMinute },
  { additionalProperties: false },
)

export const MissedMarkSchema = Type.Object(
  {
    callerNumber: PhoneText,
    state: Type.Union([
      Type.Literal('open'),
      Type.Literal('called-back'),
      Type.Literal('resolved'),
    ]),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
)

export const MissedAssignSchema = Type.Object(
  {
    callerNumber: PhoneText,
    /** A person's name; null or empty: nobody. */
    assignee: Type.Union([Type.String({ maxLength: 100 }), Type.Null()]),
  },
  { additionalProperties: false },
)

const MissedStateSchema = Type.Union([
  Type.Literal('open'),
  Type.Literal('called-back'),
  Type.Literal('resolved'),
])

/** One change for many callers of the queue: a state, a note, an assignee (one at least). */
export const MissedBulkSchema = Type.Object(
  {
    callerNumbers: Type.Array(PhoneText, { minItems: 1, maxItems: 5000 }),
    state: Type.Optional(MissedStateSchema),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    /** A person's name; null or empty: nobody. */
    assignee: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
  },
  { additionalProperties: false },
)

/** The bulk change to undo, by the id its answer gave. */
export const MissedUndoSchema = Type.Object(
  { undoId: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
)

/** The queue's filters as the screen shows them (see `shared/missedQueue.ts`). */
export const MissedExportSchema = Type.Object(
  {
    show: Type.Union([Type.Literal('open'), Type.Literal('all')]),
    text: Type.Optional(ShortText),
    department: Type.Optional(ShortText),
  },
  { additionalProperties: false },
)

export const SettingsUpdateSchema = Type.Object(
  {
    vendorUrl: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
    custId: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
    /** Write-only. Empty string clears it. */
    apiKey: Type.Optional(Type.String({ maxLength: 500 })),
    timezone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    publicUrl: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
    notify: Type.Optional(
      Type.Union([Type.Literal('all'), Type.Literal('missed'), Type.Literal('off')]),
    ),
    quietOutsideOfficeHours: Type.Optional(Type.Boolean()),
    alertsPaused: Type.Optional(Type.Boolean()),
    alertSound: Type.Optional(Type.Boolean()),
    startAtLogin: Type.Optional(Type.Boolean()),
    backupDaily: Type.Optional(Type.Boolean()),
    backupKeepDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
    /** An absolute folder, or null for the default. */
    backupDir: Type.Optional(
      Type.Union([Type.String({ minLength: 1, maxLength: 1000 }), Type.Null()]),
    ),
    /** The team's service-level target: answered within this many seconds. */
    serviceLevelSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 600 })),
  },
  { additionalProperties: false },
)

/**
 * The vendor settings to test, as they stand on screen (saved or not). A field left out is taken
 * from the saved settings; no field at all tests the saved settings (or the simulator standing in).
 */
export const TestConnectionSchema = Type.Object(
  {
    vendorUrl: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
    custId: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
    /** Typed and not saved; empty or absent: the stored key. Never logged. */
    apiKey: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
)

/** A preset period, or `custom` with its first and last local date (inclusive). */
export const DashboardRequestSchema = Type.Object(
  {
    range: Type.Union([
      Type.Literal('today'),
      Type.Literal('yesterday'),
      Type.Literal('7d'),
      Type.Literal('30d'),
      Type.Literal('custom'),
    ]),
    from: Type.Optional(LocalDate),
    to: Type.Optional(LocalDate),
  },
  { additionalProperties: false },
)

/** Storage problems to acknowledge by id; absent: all of them. */
export const StorageAcknowledgeSchema = Type.Object(
  {
    ids: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 300 }), { maxItems: 100 }),
    ),
  },
  { additionalProperties: false },
)

export const EmptySchema = Empty

// ---------------------------------------------------------------- the request types

export type CallQuery = Static<typeof CallQuerySchema>
export type CallExportQuery = Static<typeof CallExportQuerySchema>
export type CallIdRequest = Static<typeof IdParam>
export type CallerRequest = Static<typeof CallerParam>
export type LimitRequest = Static<typeof LimitQuery>
export type AgentInput = Static<typeof AgentInputSchema>
export type AgentPatch = Static<typeof AgentPatchSchema>
export type AgentNumberRequest = Static<typeof AgentNumberParam>
export type AgentImportPreviewRequest = Static<typeof AgentImportPreviewSchema>
export type AgentImportRequest = Static<typeof AgentImportSchema>
export type AgentStatusChange = Static<typeof AgentStatusRequest>
export type DepartmentStatusChange = Static<typeof DepartmentStatusRequest>
export type HolidayAdd = Static<typeof HolidayAddSchema>
export type HolidayDateRequest = Static<typeof DateParam>
export type HolidayRuleRequest = Static<typeof YearlyParam>
export type OfficeHoursSet = Static<typeof OfficeHoursSetSchema>
export type MissedMark = Static<typeof MissedMarkSchema>
export type MissedAssign = Static<typeof MissedAssignSchema>
export type MissedExport = Static<typeof MissedExportSchema>
export type MissedBulk = Static<typeof MissedBulkSchema>
export type MissedUndoRequest = Static<typeof MissedUndoSchema>
export type WeeklyRequest = Static<typeof WeeklyParam>
export type SettingsUpdate = Static<typeof SettingsUpdateSchema>
export type TestConnectionRequest = Static<typeof TestConnectionSchema>
export type DashboardRequest = Static<typeof DashboardRequestSchema>
export type StorageAcknowledgeRequest = Static<typeof StorageAcknowledgeSchema>
