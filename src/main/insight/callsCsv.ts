import { stringify } from 'csv-stringify/sync'
import { formatSeconds } from '../../shared/dateTime'
import { CALL_STATUS_LABEL, type Call } from '../../shared/domain'
import { isoWithOffset } from '../../shared/localTime'

/**
 * The History export's columns: the call's fields under their API names (so scripts keep
 * working), the status in the screen's words (`Answered`, not the vendor's `ANSWER`), the agent's
 * name beside their number, and each duration as the screen shows it (`m:ss`) beside its seconds.
 */
export const CSV_COLUMNS = [
  'id',
  'date',
  'time',
  'startedAt',
  'status',
  'callerNumber',
  'agentNumber',
  'agentName',
  'department',
  'circle',
  'virtualNumber',
  'ivrWait',
  'ivrSeconds',
  'talkTime',
  'talkSeconds',
  'recordingUrl',
  'callType',
  'receivedAt',
  'revision',
] as const

type Column = (typeof CSV_COLUMNS)[number]

/** The agent's name in the directory, by their normalised number (null when not listed). */
export type AgentNameOf = (normalizedNumber: string) => string | null

/** A duration cell in the screen's `m:ss`; empty when the vendor sent none. */
const duration = (seconds: number | null): string =>
  seconds === null ? '' : formatSeconds(seconds)

/**
 * A stored UTC instant (`2026-11-27T04:30:01.000Z`) as the same instant with the zone's offset
 * (`2026-11-27T10:00:01.000+05:30`): a person reading the file sees local time and still has the
 * exact instant. Text that is not an instant is kept as it is.
 */
export function zonedInstant(iso: string | null, zone: string): string {
  if (!iso) return ''
  const ms = Date.parse(iso)
  return Number.isFinite(ms) ? isoWithOffset(ms, zone) : iso
}

/**
 * A cell a spreadsheet would run as a formula gets a leading apostrophe (CSV injection);
 * phone numbers like `+919876543210` are left alone.
 */
export function safeCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  const text = String(value)
  if (/^[=+\-@\t\r]/.test(text) && !/^\+\d+$/.test(text)) return `'${text}`
  return text
}

/** One call's cells, in {@link CSV_COLUMNS} order. */
function csvRow(call: Call, zone: string, agentName: AgentNameOf): string[] {
  const cell = (c: Column): string => {
    switch (c) {
      case 'status':
        return CALL_STATUS_LABEL[call.status] ?? safeCell(call.status)
      case 'agentName':
        return safeCell(call.agentNumber ? agentName(call.agentNumber) : null)
      case 'ivrWait':
        return duration(call.ivrSeconds)
      case 'talkTime':
        return duration(call.talkSeconds)
      // Received in UTC: written in the configured zone with its offset.
      case 'receivedAt':
        return zonedInstant(call.receivedAt, zone)
      default:
        return safeCell(call[c])
    }
  }
  return CSV_COLUMNS.map(cell)
}

/**
 * CSV of the calls, header first, streamed in chunks of up to `batch` rows. `startedAt` keeps the
 * vendor's local time with its offset; `receivedAt` is written in `zone` with its offset too.
 */
export async function* csvChunks(
  calls: AsyncIterable<Call>,
  zone: string,
  agentName: AgentNameOf = () => null,
  batch = 500,
): AsyncGenerator<string> {
  yield stringify([CSV_COLUMNS as unknown as string[]])
  let rows: string[][] = []
  for await (const call of calls) {
    rows.push(csvRow(call, zone, agentName))
    if (rows.length >= batch) {
      yield stringify(rows)
      rows = []
    }
  }
  if (rows.length > 0) yield stringify(rows)
}
