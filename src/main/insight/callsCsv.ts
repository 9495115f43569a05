import { stringify } from 'csv-stringify/sync'
import type { Call } from '../../shared/domain'

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
 * A cell a spreadsheet would run as a formula gets a leading apostrophe (CSV injection);
 * phone numbers like `+919876543210` are left alone.
 */
function safeCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  const text = String(value)
  if (/^[=+\-@\t\r]/.test(text) && !/^\+\d+$/.test(text)) return `'${text}`
  return text
}

/** CSV of the calls, header first, streamed in chunks of up to `batch` rows. */
export async function* csvChunks(calls: AsyncIterable<Call>, batch = 500): AsyncGenerator<string> {
  yield stringify([CSV_COLUMNS as unknown as string[]])
  let rows: string[][] = []
  for await (const call of calls) {
    rows.push(CSV_COLUMNS.map((c) => safeCell(call[c])))
    if (rows.length >= batch) {
      yield stringify(rows)
      rows = []
    }
  }
  if (rows.length > 0) yield stringify(rows)
}
