import type { Call, CallFields, CallRevision, RawParams } from '../../shared/domain'
import type { UpsertOutcome } from './types'

/**
 * What every call store decides the same way, whatever keeps the calls: a push against the
 * stored version of its call (new, changed or an exact repeat) and the bounded history a changed
 * call keeps.
 */

/** A caller's timeline shows this many of their newest calls. */
export const BY_CALLER_CAP = 500

/**
 * Earlier versions a call keeps besides its first: the history holds the first version and the
 * last {@link KEPT_REVISIONS} before the current one. A call id the vendor pushes again and again
 * with different content (400 times, in one report) must not grow without bound, in memory, in
 * its month file, or in each event that carries it.
 */
export const KEPT_REVISIONS = 20

/**
 * A stored call from its fields. Written out rather than `{ ...fields, ... }`: V8 took about
 * 6 µs per push for that spread (the literal costs nearly nothing), and only the fields of the
 * contract are stored.
 */
export function callOf(
  f: CallFields,
  receivedAt: string,
  firstReceivedAt: string,
  revision: number,
  raw: RawParams,
  history: Call['history'],
): Call {
  return {
    id: f.id,
    callerNumber: f.callerNumber,
    agentNumber: f.agentNumber,
    status: f.status,
    date: f.date,
    time: f.time,
    startedAt: f.startedAt,
    ivrSeconds: f.ivrSeconds,
    talkSeconds: f.talkSeconds,
    circle: f.circle,
    virtualNumber: f.virtualNumber,
    department: f.department,
    recordingUrl: f.recordingUrl,
    callType: f.callType,
    receivedAt,
    firstReceivedAt,
    revision,
    // Taken as is: the listener builds a fresh raw record per push (no copy per push).
    raw,
    history,
  }
}

/** The outcome of a push against the stored version of its call. */
export function decide(
  prev: Call | null,
  fields: CallFields,
  raw: RawParams,
  receivedAt: string,
): { outcome: UpsertOutcome; call: Call } {
  if (!prev) return { outcome: 'created', call: callOf(fields, receivedAt, receivedAt, 1, raw, []) }
  if (sameFields(prev, fields) && sameRaw(prev.raw, raw))
    return { outcome: 'unchanged', call: prev }
  const history = historyAfter(prev)
  const call = callOf(fields, receivedAt, prev.firstReceivedAt, prev.revision + 1, raw, history)
  return { outcome: 'updated', call }
}

/**
 * The history of the version after `prev`: `prev`'s own, with `prev` (without its history)
 * added, bounded to the first version and the last {@link KEPT_REVISIONS}.
 */
export function historyAfter(prev: Call): CallRevision[] {
  const { history, ...earlier } = prev
  const all = [...history, earlier]
  return all.length <= KEPT_REVISIONS + 1 ? all : [all[0]!, ...all.slice(-KEPT_REVISIONS)]
}

/** Every field of {@link CallFields} (what two versions of a call are compared on). */
export const FIELD_KEYS: readonly (keyof CallFields)[] = [
  'id',
  'callerNumber',
  'agentNumber',
  'status',
  'date',
  'time',
  'startedAt',
  'ivrSeconds',
  'talkSeconds',
  'circle',
  'virtualNumber',
  'department',
  'recordingUrl',
  'callType',
]

function sameFields(a: CallFields, b: CallFields): boolean {
  return FIELD_KEYS.every((k) => (a[k] ?? null) === (b[k] ?? null))
}

function sameRaw(a: RawParams, b: RawParams): boolean {
  const ka = Object.keys(a)
  if (ka.length !== Object.keys(b).length) return false
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && a[k] === b[k])
}
