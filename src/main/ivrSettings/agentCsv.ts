import { parse } from 'csv-parse/sync'
import { UserError } from '../ground/errors'

/** One usable row of an agent CSV, with its 1-based line number. */
export interface CsvAgentRow {
  line: number
  number: string
  name: string
  department: string | null
}

export interface ParsedAgentCsv {
  rows: CsvAgentRow[]
  errors: { line: number; reason: string }[]
}

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

/**
 * Reads `number,name,department` rows. The header is optional and tolerant (`Phone`, `Agent
 * Name`, `Dept`, any order); without one the columns are taken in that order. Comma, semicolon
 * and tab separators are accepted (spreadsheets in some locales export `;`). Rows we cannot use
 * come back in `errors` with their line number; a malformed file (e.g. an unclosed quote) is a
 * {@link UserError}.
 */
export function parseAgentCsv(csv: string): ParsedAgentCsv {
  let records: { record: string[]; info: { lines: number } }[]
  try {
    records = parse(csv, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      delimiter: [',', ';', '\t'],
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[]
  } catch (err) {
    const e = err as { message?: string; lines?: number }
    throw new UserError(`The CSV could not be read: ${e.message ?? 'malformed file'}`, 400, ['csv'])
  }
  const rows: CsvAgentRow[] = []
  const errors: { line: number; reason: string }[] = []
  if (records.length === 0) return { rows, errors }

  let columns: Record<Field, number> = { number: 0, name: 1, department: 2 }
  const first = records[0]!.record.map(key)
  const mapped = first.map((h) => HEADER_NAMES[h])
  let start = 0
  if (mapped.some((f) => f !== undefined)) {
    start = 1
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

  for (const { record, info } of records.slice(start)) {
    const line = info.lines
    const cell = (i: number): string => (i >= 0 ? (record[i] ?? '').trim() : '')
    const number = cell(columns.number)
    const name = cell(columns.name)
    const department = cell(columns.department)
    if (!number) {
      errors.push({ line, reason: 'No phone number' })
      continue
    }
    if (!name) {
      errors.push({ line, reason: `No name for ${number}` })
      continue
    }
    rows.push({ line, number, name, department: department || null })
  }
  return { rows, errors }
}
