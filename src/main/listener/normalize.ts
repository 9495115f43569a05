import type { CallFields, RawParams } from '../../shared/domain'
import {
  isEmptyValue,
  localInstant,
  parseDate,
  parseDuration,
  parsePhone,
  parseRecordingUrl,
  parseStatus,
  parseTime,
  type Parsed,
} from './fields'
import { recordToPairs, type ParamPairs } from './params'

/** Caps on what one push may carry. Real pushes have 12 to 13 short parameters. */
export const LIMITS = {
  /** Parameters per push (query and body together). */
  maxParams: 64,
  /** Characters in a parameter name. */
  maxKeyLength: 64,
  /** Characters in a value; recording links get more since signed URLs run long. */
  maxValueLength: 256,
  maxRecordingUrlLength: 2048,
} as const

export type NormalizeResult =
  { ok: true; fields: CallFields } | { ok: false; reason: string; fields: string[] }

type FieldName = Exclude<keyof CallFields, 'startedAt'>

/** Each call field, the names vendors use for it (lower case: both schemes, then extras). */
const FIELD_KEYS: Record<FieldName, readonly string[]> = {
  id: ['calllogid', 'call_uuid'],
  callerNumber: ['callernumber', 'caller_number'],
  date: ['date'],
  time: ['time'],
  agentNumber: ['agentnumber', 'agent_connected'],
  ivrSeconds: ['ivrduration', 'total_call_duration'],
  talkSeconds: ['callduration', 'conversation_duration'],
  status: ['callstatus', 'call_status'],
  circle: ['state', 'caller_circle'],
  virtualNumber: ['ibizfonenumber', 'knumber'],
  recordingUrl: ['recordingurl', 'recording_url'],
  department: ['department'],
  callType: ['calltype'],
}

/** Words a supervisor reads in the rejected-pushes log. */
const LABELS: Record<FieldName, string> = {
  id: 'Call id (calllogid)',
  callerNumber: 'Caller number (callernumber)',
  date: 'Date',
  time: 'Time',
  agentNumber: 'Agent number (agentnumber)',
  ivrSeconds: 'IVR duration (ivrduration)',
  talkSeconds: 'Call duration (callduration)',
  status: 'Call status (callstatus)',
  circle: 'State (state)',
  virtualNumber: 'Virtual number (ibizfonenumber)',
  recordingUrl: 'Recording URL (recordingurl)',
  department: 'Department',
  callType: 'Call type (calltype)',
}

const KEY_TO_FIELD = new Map<string, FieldName>()
for (const [field, keys] of Object.entries(FIELD_KEYS) as [FieldName, readonly string[]][])
  for (const k of keys) KEY_TO_FIELD.set(k, field)

const REQUIRED: readonly FieldName[] = ['id', 'callerNumber', 'date', 'time', 'status']

/** Parses one present (non-empty) value of a field into its normalised form. */
function parseField(field: FieldName, v: string): Parsed<unknown> {
  switch (field) {
    case 'callerNumber':
    case 'virtualNumber':
      return parsePhone(v)
    case 'agentNumber': {
      // A status word alone ("BUSY", "NOT CONNECTED") means no agent was reached.
      const p = parsePhone(v)
      return p.ok || /\d/.test(v) ? p : { ok: true, value: null }
    }
    case 'ivrSeconds':
    case 'talkSeconds':
      return parseDuration(v)
    case 'status':
      return parseStatus(v)
    case 'date':
      return parseDate(v)
    case 'time':
      return parseTime(v)
    case 'recordingUrl':
      return { ok: true, value: parseRecordingUrl(v) }
    case 'id':
      // eslint-disable-next-line no-control-regex
      if (/[\u0000-\u001f\u007f]/.test(v))
        return { ok: false, reason: 'contains control characters' }
      return { ok: true, value: v.trim() }
    default:
      return { ok: true, value: v.trim() }
  }
}

const reject = (reason: string, fields: string[]): NormalizeResult => ({
  ok: false,
  reason,
  fields,
})

/**
 * Turns the parameters of one push into call fields, or says why not.
 *
 * Both naming schemes of the vendor document are read, keys in any case, plus `calltype`;
 * unknown keys are ignored here (the caller keeps them in the raw record). `NA`, `null`,
 * `none` and empty mean absent. The same field sent twice (two names, or one name repeated)
 * with values that normalise differently is refused: we cannot know which one is true.
 * Pure: the same input always gives the same answer.
 */
export function normalizePush(
  raw: RawParams | ParamPairs,
  opts: { timezone: string },
): NormalizeResult {
  const pairs: ParamPairs = Array.isArray(raw) ? raw : recordToPairs(raw as RawParams)
  if (pairs.length > LIMITS.maxParams)
    return reject(`The push has ${pairs.length} parameters, more than ${LIMITS.maxParams}.`, [])

  // One value per field is the rule; a list only when a field really arrives more than once.
  const present = new Map<FieldName, string | string[]>()
  for (const [key, value] of pairs) {
    if (key.length > LIMITS.maxKeyLength)
      return reject(`A parameter name is longer than ${LIMITS.maxKeyLength} characters.`, [
        key.slice(0, LIMITS.maxKeyLength),
      ])
    // Vendors send the lower-case names: look those up before making a trimmed lower-case copy.
    const field = KEY_TO_FIELD.get(key) ?? KEY_TO_FIELD.get(key.trim().toLowerCase())
    const cap = field === 'recordingUrl' ? LIMITS.maxRecordingUrlLength : LIMITS.maxValueLength
    if (value.length > cap) {
      const name = field ?? key
      return reject(
        `${field ? LABELS[field] : `Parameter ${key}`} is longer than ${cap} characters.`,
        [name],
      )
    }
    if (!field || isEmptyValue(value)) continue
    const had = present.get(field)
    if (had === undefined) present.set(field, value)
    else if (typeof had === 'string') present.set(field, [had, value])
    else had.push(value)
  }

  // "date" may carry the time as well (`2026-11-27 10:15:00`) when "time" is absent.
  const dateSent = present.get('date')
  if (dateSent !== undefined && !present.has('time')) {
    const dateValues = typeof dateSent === 'string' ? [dateSent] : dateSent
    const m = /^\s*(\d{4}-\d{1,2}-\d{1,2})[ T](\d{1,2}:\d{2}(?::\d{2})?)\s*$/.exec(dateValues[0]!)
    if (m && dateValues.every((v) => v === dateValues[0])) {
      present.set('date', m[1]!)
      present.set('time', m[2]!)
    }
  }

  const missing = REQUIRED.filter((f) => !present.has(f))
  if (missing.length > 0) {
    const names = missing.map((f) => LABELS[f])
    return reject(`Missing ${names.join(', ')}.`, [...missing])
  }

  const out: Partial<Record<FieldName, unknown>> = {}
  for (const [field, sent] of present) {
    const single = typeof sent === 'string'
    const count = single ? 1 : sent.length
    let chosen: unknown
    for (let i = 0; i < count; i++) {
      const v = single ? sent : sent[i]!
      const parsed = parseField(field, v)
      if (!parsed.ok) return reject(`${LABELS[field]} "${v.trim()}" ${parsed.reason}.`, [field])
      if (i === 0) chosen = parsed.value
      else if (parsed.value !== chosen)
        return reject(`${LABELS[field]} was sent more than once with different values.`, [field])
    }
    out[field] = chosen
  }

  const date = out.date as string
  const time = out.time as string
  const instant = localInstant(date, time, opts.timezone)
  if (!instant.ok) return reject(`Date and time ${instant.reason}.`, ['date', 'time'])

  return {
    ok: true,
    fields: {
      id: out.id as string,
      callerNumber: out.callerNumber as string,
      agentNumber: (out.agentNumber as string | null | undefined) ?? null,
      status: out.status as CallFields['status'],
      date,
      time,
      startedAt: instant.value,
      ivrSeconds: (out.ivrSeconds as number | undefined) ?? null,
      talkSeconds: (out.talkSeconds as number | undefined) ?? null,
      circle: (out.circle as string | undefined) ?? null,
      virtualNumber: (out.virtualNumber as string | undefined) ?? null,
      department: (out.department as string | undefined) ?? null,
      recordingUrl: (out.recordingUrl as string | null | undefined) ?? null,
      callType: (out.callType as string | undefined) ?? null,
    },
  }
}
