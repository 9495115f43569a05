/** What changed between two versions of a call (the vendor may push the same id again). */
import type { CallRevision } from '../../../../shared/domain'

const COMPARED = [
  ['status', 'Status'],
  ['callerNumber', 'Caller'],
  ['agentNumber', 'Agent'],
  ['date', 'Date'],
  ['time', 'Time'],
  ['ivrSeconds', 'IVR wait'],
  ['talkSeconds', 'Talk time'],
  ['circle', 'Circle'],
  ['department', 'Department'],
  ['virtualNumber', 'Virtual number'],
  ['recordingUrl', 'Recording'],
  ['callType', 'Call type'],
] as const satisfies readonly (readonly [keyof CallRevision, string])[]

/** Labels of the fields that differ, e.g. `['Status', 'Talk time']`. */
export function changedFields(before: CallRevision, after: CallRevision): string[] {
  return COMPARED.filter(([key]) => before[key] !== after[key]).map(([, label]) => label)
}
