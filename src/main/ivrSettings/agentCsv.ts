import { parse } from 'csv-parse/sync'
import { UserError } from '../ground/errors'

/** One usable row of an agent CSV, with its 1-based line number. */
export interface CsvAgentRow {
  line: number
  number: string
  name: string
  /** Empty: none (it clears the agent's department); undefined: the file gives no department. */
  department: string | null | undefined
  /** The line as it was written (see {@link CsvRefusal.text}). */
  text: string
}

/** A line that cannot be used: its number, what it says and why. */
export interface CsvRefusal {
  line: number
  /** The line as written (trimmed, at most 200 characters). */
  text: string
  reason: string
}

export interface ParsedAgentCsv {
  rows: CsvAgentRow[]
  errors: CsvRefusal[]
  /** Header columns that name nothing we keep (e.g. `Email`): read, then left out. */
  ignoredColumns: string[]
}

const FIELDS_IN_ORDER = 'number, name, department'

type Field = 'number' | 'name' | 'department'

/** Header names people actually use, compared without case, spaces or punctuation. */
const HEADER_NAMES: Record<string, Field> = {
  number: 'number',
  phone: 'number',
  phonenumber: 'number',
  mobile: 'number',
  mobilenumber: 'number',
  agentnumber: 'number',
  agentnum: 'number',
  agentno: 'number',
  agentphone: 'number',
  no: 'number',
  name: 'name',
  agentname: 'name',
  fullname: 'name',
  agent: 'name',
  department: 'department',
  dept: 'department',
  team: 'department',
  group: 'department',
}

const key = (h: string): string => h.toLowerCase().replace(/[^a-z]/g, '')

/** The line as it was written, for the preview: trimmed, and cut short when very long. */
function lineText(raw: string): string {
  const t = raw.trim()
  return t.length > 200 ? `${t.slice(0, 199)}…` : t
}

/** How many cells a record holds, not counting empty ones at its end (a spreadsheet's `,,`). */
function filledWidth(record: string[]): number {
  let n = record.length
  while (n > 0 && (record[n - 1] ?? '').trim() === '') n--
  return n
}

/**
 * Reads `number,name,department` rows. The header is optional and tolerant (`Phone`, `Agent
 * Name`, `Dept`, any order); without one the columns are taken in that order. Comma, semicolon
 * and tab separators are accepted (spreadsheets in some locales export `;`). Rows we cannot use
 * come back in `errors` with their line number, their text and why: among them a line with more
 * values than there are columns (`9812345005,Extra,Cols,Here`), which would otherwise shift a
 * value into the wrong column. A malformed file (e.g. an unclosed quote) is a {@link UserError}.
 */
export function parseAgentCsv(csv: string): ParsedAgentCsv {
  let records: { record: string[]; raw: string; info: { lines: number } }[]
  try {
    records = parse(csv, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      delimiter: [',', ';', '\t'],
      info: true,
      raw: true,
    }) as unknown as { record: string[]; raw: string; info: { lines: number } }[]
  } catch (err) {
    const e = err as { message?: string; lines?: number }
    throw new UserError(`The CSV could not be read: ${e.message ?? 'malformed file'}`, 400, ['csv'])
  }
  const rows: CsvAgentRow[] = []
  const errors: CsvRefusal[] = []
  const ignoredColumns: string[] = []
  if (records.length === 0) return { rows, errors, ignoredColumns }

  let columns: Record<Field, number> = { number: 0, name: 1, department: 2 }
  const header = records[0]!.record
  const mapped = header.map((h) => HEADER_NAMES[key(h)])
  let start = 0
  // Without a header a line holds number, name and department; with one, a value per column.
  let width = 3
  if (mapped.some((f) => f !== undefined)) {
    start = 1
    width = filledWidth(header)
    mapped.forEach((f, i) => {
      if (f === undefined && header[i]) ignoredColumns.push(header[i]!)
    })
    const found: Partial<Record<Field, number>> = {}
    mapped.forEach((f, i) => {
      if (f && found[f] === undefined) found[f] = i
    })
    if (found.number === undefined || found.name === undefined) {
      throw new UserError(
        'The CSV header needs a number column and a name column (e.g. "number,name,department")',
        400,
        ['csv'],
      )
    }
    columns = { number: found.number, name: found.name, department: found.department ?? -1 }
  }

  for (const { record, raw, info } of records.slice(start)) {
    const line = info.lines
    const refuse = (reason: string): void => void errors.push({ line, text: lineText(raw), reason })
    const cell = (i: number): string => (i >= 0 ? (record[i] ?? '').trim() : '')
    const filled = filledWidth(record)
    if (filled > width) {
      refuse(
        start === 1
          ? `${filled} values, but the header names ${width} columns: nothing on this line is used`
          : `${filled} values, but a line holds at most 3 (${FIELDS_IN_ORDER}): nothing on this line is used`,
      )
      continue
    }
    const number = cell(columns.number)
    const name = cell(columns.name)
    const given = columns.department >= 0 && columns.department < record.length
    const department = given ? cell(columns.department) || null : undefined
    if (!number) {
      refuse('No phone number')
      continue
    }
    if (!name) {
      refuse(`No name for ${number}`)
      continue
    }
    rows.push({ line, number, name, department, text: lineText(raw) })
  }
  return { rows, errors, ignoredColumns }
}
