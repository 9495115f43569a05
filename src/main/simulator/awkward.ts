import type { CallStatus } from '../../shared/domain'

/** One simulated call as the IVR would report it. */
export interface SimulatedCall {
  id: string
  /** 10-digit mobile number. */
  callerNumber: string
  department: string
  circle: string
  /** Instant the call started (ms since the epoch). */
  startedAt: number
  /** Local date and time in the configured zone, as the vendor sends them. */
  date: string
  time: string
  status: CallStatus
  /** 10-digit agent number, null when no agent was connected. */
  agentNumber: string | null
  ivrSeconds: number
  talkSeconds: number
  recordingUrl: string | null
  virtualNumber: string
  /** Why the call ended the way it did. */
  reason: 'answered' | 'hung-up' | 'holiday' | 'closed' | 'no-agent'
}

/** The awkward inputs real vendors send (repeats, NA agents, the other naming scheme, ...). */
export const AWKWARD_KINDS = [
  'duplicate',
  'agent-na',
  'agent-null',
  'agent-missing',
  'other-naming',
  'hms-durations',
  'number-prefix',
  'lowercase-status',
  'status-word-agent',
  'calltype',
] as const
export type AwkwardKind = (typeof AWKWARD_KINDS)[number]

export type Params = [string, string][]

/** The sample URL's parameters, in the document's order. */
export function standardParams(call: SimulatedCall): Params {
  return [
    ['callernumber', call.callerNumber],
    ['date', call.date],
    ['time', call.time],
    ['agentnumber', call.agentNumber ?? ''],
    ['ivrduration', String(call.ivrSeconds)],
    ['callduration', String(call.talkSeconds)],
    ['callstatus', call.status],
    ['state', call.circle],
    ['ibizfonenumber', call.virtualNumber],
    ['recordingurl', call.recordingUrl ?? ''],
    ['calllogid', call.id],
    ['department', call.department],
  ]
}

/** The parameter table's names for the sample URL's (the document's second naming scheme). */
const TABLE_NAMES: Record<string, string> = {
  calllogid: 'call_uuid',
  callernumber: 'caller_number',
  agentnumber: 'agent_connected',
  ivrduration: 'total_call_duration',
  callduration: 'conversation_duration',
  callstatus: 'call_status',
  state: 'caller_circle',
  ibizfonenumber: 'knumber',
  recordingurl: 'recording_url',
}

/** Whether `kind` makes sense for `call` (e.g. no `NA` agent on an answered call). */
export function awkwardApplies(
  kind: AwkwardKind,
  call: SimulatedCall,
  hasPrevious: boolean,
): boolean {
  switch (kind) {
    case 'duplicate':
      return hasPrevious
    case 'agent-na':
    case 'agent-null':
    case 'agent-missing':
      return call.agentNumber === null
    case 'status-word-agent':
      return call.agentNumber !== null
    default:
      return true
  }
}

const hms = (seconds: number): string =>
  [Math.floor(seconds / 3600), Math.floor((seconds % 3600) / 60), seconds % 60]
    .map((n) => String(n).padStart(2, '0'))
    .join(':')

/** The prefixed spellings of a 10-digit number vendors have been seen to send. */
export function prefixedNumber(number: string, pick: number): string {
  const forms = [
    `0${number}`,
    `91${number}`,
    `+91${number}`,
    `+91 ${number.slice(0, 5)} ${number.slice(5)}`,
  ]
  return forms[Math.min(forms.length - 1, Math.floor(pick * forms.length))]!
}

const setParam = (params: Params, name: string, value: string): Params =>
  params.map(([k, v]) => [k, k === name ? value : v])

/**
 * Rewrites the standard parameters of `call` into one awkward shape (all but `duplicate`, which
 * the generator handles by resending an earlier push). `pick` in [0, 1) chooses among variants.
 */
export function applyAwkward(
  kind: Exclude<AwkwardKind, 'duplicate'>,
  call: SimulatedCall,
  params: Params,
  pick: number,
): Params {
  switch (kind) {
    case 'agent-na':
      return setParam(params, 'agentnumber', 'NA')
    case 'agent-null':
      return setParam(setParam(params, 'agentnumber', 'null'), 'recordingurl', 'null')
    case 'agent-missing':
      return params.filter(([k]) => k !== 'agentnumber' && k !== 'recordingurl')
    case 'other-naming':
      return params.map(([k, v]) => [TABLE_NAMES[k] ?? k, v])
    case 'hms-durations':
      return setParam(
        setParam(params, 'ivrduration', hms(call.ivrSeconds)),
        'callduration',
        hms(call.talkSeconds),
      )
    case 'number-prefix': {
      let out = setParam(params, 'callernumber', prefixedNumber(call.callerNumber, pick))
      if (call.agentNumber)
        out = setParam(out, 'agentnumber', prefixedNumber(call.agentNumber, 1 - pick))
      return out
    }
    case 'lowercase-status':
      return setParam(params, 'callstatus', call.status.toLowerCase())
    case 'status-word-agent':
      return setParam(params, 'agentnumber', `${call.status} +91${call.agentNumber ?? ''}`)
    case 'calltype':
      return [...params, ['calltype', 'Inbound']]
  }
}
