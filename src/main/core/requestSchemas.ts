import type { Static, TSchema } from 'typebox'
import type { Channel, RequestOf } from '../../shared/contract'
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
  EmptySchema,
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
} from '../../shared/schemas'
import {
  AccountAddSchema,
  AccountNameParam,
  AccountRoleSchema,
  TeamConnectSchema,
} from '../../shared/teamSchemas'

/** A schema for a channel that takes a request, `null` for one that takes none. */
type SchemaSlot<C extends Channel> = [RequestOf<C>] extends [void] ? null : TSchema

/**
 * The schema every channel's request must satisfy, used by both transports (IPC handlers and the
 * local HTTP API) before a handler runs. For HTTP, path parameters and the query/body are merged
 * into one object first. `null` means the channel takes no request.
 */
export const REQUEST_SCHEMAS = {
  'calls:list': CallQuerySchema,
  'calls:get': IdParam,
  'calls:byCaller': CallerParam,
  'calls:exportCsv': CallExportQuerySchema,
  'pushes:rejected': LimitQuery,
  'health:get': null,
  'connection:testPush': null,
  'agents:list': null,
  'agents:add': AgentInputSchema,
  'agents:update': AgentPatchSchema,
  'agents:remove': AgentNumberParam,
  'agents:import': AgentImportSchema,
  'agents:previewImport': AgentImportPreviewSchema,
  'agents:setStatus': AgentStatusRequest,
  'agents:setDepartmentStatus': DepartmentStatusRequest,
  'holidays:list': null,
  'holidays:add': HolidayAddSchema,
  'holidays:remove': DateParam,
  'holidays:removeRule': YearlyParam,
  'holidays:removeWeekly': WeeklyParam,
  'officeHours:list': null,
  'officeHours:set': OfficeHoursSetSchema,
  'changes:list': null,
  'missed:list': null,
  'missed:mark': MissedMarkSchema,
  'missed:assign': MissedAssignSchema,
  'missed:export': MissedExportSchema,
  'missed:bulk': MissedBulkSchema,
  'missed:undo': MissedUndoSchema,
  'settings:get': null,
  'settings:update': SettingsUpdateSchema,
  'settings:testConnection': TestConnectionSchema,
  'dashboard:get': DashboardRequestSchema,
  'schedule:status': null,
  'app:info': null,
  'storage:acknowledge': StorageAcknowledgeSchema,
  'storage:check': null,
  'storage:backup': null,
  'session:get': null,
  'accounts:list': null,
  'accounts:add': AccountAddSchema,
  'accounts:revoke': AccountNameParam,
  'accounts:setRole': AccountRoleSchema,
  'accounts:people': null,
  'team:get': null,
  'team:connect': TeamConnectSchema,
  'team:disconnect': null,
} as const satisfies { readonly [C in Channel]: SchemaSlot<C> }

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false

/** Channels whose schema does not describe exactly the contract's request type. */
type Mismatched = {
  [C in Channel]: (typeof REQUEST_SCHEMAS)[C] extends TSchema
    ? Same<Static<(typeof REQUEST_SCHEMAS)[C]>, RequestOf<C>> extends true
      ? never
      : C
    : never
}[Channel]

// A compile error here names the channel whose schema and request type drifted apart.
const schemasMatchTheContract: [Mismatched] extends [never] ? true : Mismatched = true
void schemasMatchTheContract

export { EmptySchema }
