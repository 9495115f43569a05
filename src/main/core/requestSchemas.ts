import type { TSchema } from 'typebox'
import type { Channel } from '../../shared/contract'
import {
  AgentImportSchema,
  AgentInputSchema,
  AgentNumberParam,
  AgentPatchSchema,
  AgentStatusRequest,
  CallQuerySchema,
  DashboardRequestSchema,
  DateParam,
  DepartmentStatusRequest,
  EmptySchema,
  HolidayAddSchema,
  IdParam,
  LimitQuery,
  MissedMarkSchema,
  OfficeHoursSetSchema,
  SettingsUpdateSchema,
  YearlyParam,
} from '../../shared/schemas'
import { Type } from 'typebox'

/**
 * The schema every channel's request must satisfy, used by both transports (IPC handlers and the
 * local HTTP API) before a handler runs. For HTTP, path parameters and the query/body are merged
 * into one object first. `null` means the channel takes no request.
 */
export const REQUEST_SCHEMAS: Record<Channel, TSchema | null> = {
  'calls:list': CallQuerySchema,
  'calls:get': IdParam,
  'calls:byCaller': Type.Object(
    { number: Type.String({ minLength: 1, maxLength: 32 }) },
    { additionalProperties: false },
  ),
  // Type.Omit drops the source's additionalProperties: false, so restate it.
  'calls:exportCsv': Type.Omit(CallQuerySchema, ['limit', 'cursor'], {
    additionalProperties: false,
  }),
  'pushes:rejected': LimitQuery,
  'health:get': null,
  'connection:testPush': null,
  'agents:list': null,
  'agents:add': AgentInputSchema,
  'agents:update': AgentPatchSchema,
  'agents:remove': AgentNumberParam,
  'agents:import': AgentImportSchema,
  'agents:setStatus': AgentStatusRequest,
  'agents:setDepartmentStatus': DepartmentStatusRequest,
  'holidays:list': null,
  'holidays:add': HolidayAddSchema,
  'holidays:remove': DateParam,
  'holidays:removeRule': YearlyParam,
  'officeHours:list': null,
  'officeHours:set': OfficeHoursSetSchema,
  'changes:list': null,
  'missed:list': null,
  'missed:mark': MissedMarkSchema,
  'settings:get': null,
  'settings:update': SettingsUpdateSchema,
  'settings:testConnection': null,
  'dashboard:get': DashboardRequestSchema,
  'schedule:status': null,
  'app:info': null,
  'storage:acknowledge': Type.Object(
    {
      ids: Type.Optional(
        Type.Array(Type.String({ minLength: 1, maxLength: 300 }), { maxItems: 100 }),
      ),
    },
    { additionalProperties: false },
  ),
  'storage:check': null,
  'storage:backup': null,
}

export { EmptySchema }
