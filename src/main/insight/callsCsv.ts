import { stringify } from 'csv-stringify/sync'
import type { Call } from '../../shared/domain'
import { isoWithOffset } from '../../shared/localTime'

export const CSV_COLUMNS = [
  'id',
  'date',
  'time',
  'startedAt',
  'status',
  'callerNumber',
  'agentNumber',
  'department',
  'circle',
  'virtualNumber',
  'ivrSeconds',
  'talkSeconds',
  'recordingUrl',
  'callType',
  'receivedAt',
  'revision',
] as const satisfies readonly (keyof Call)[]

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

/** Columns holding an instant received in UTC, written with the configured zone's offset. */
const RECEIPT_COLUMNS: ReadonlySet<string> = new Set(['receivedAt'])

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

/**
 * CSV of the calls, header first, streamed in chunks of up to `batch` rows. `startedAt` keeps the
 * vendor's local time with its offset; `receivedAt` is written in `zone` with its offset too.
 */
export async function* csvChunks(
  calls: AsyncIterable<Call>,
  zone: string,
  batch = 500,
): AsyncGenerator<string> {
  yield stringify([CSV_COLUMNS as unknown as string[]])
  let rows: string[][] = []
  for await (const call of calls) {
    rows.push(
      CSV_COLUMNS.map((c) =>
        RECEIPT_COLUMNS.has(c) ? zonedInstant(call[c] as string, zone) : safeCell(call[c]),
      ),
    )
    if (rows.length >= batch) {
      yield stringify(rows)
      rows = []
    }
  }
  if (rows.length > 0) yield stringify(rows)
}
