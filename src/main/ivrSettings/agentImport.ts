/**
 * What an agents CSV would do to the directory, worked out before anything changes: the import's
 * preview and, on confirmation, the same plan applied. One function decides both, so what the
 * user confirmed is what happens.
 */
import { createHash } from 'node:crypto'
import type { AgentEntry, AgentImportLine, AgentImportPreview } from '../../shared/domain'
import { parsePhoneInput, vendorAgentNumber } from '../../shared/phone'
import { UserError } from '../ground/errors'
import type { ParsedAgentCsv } from './agentCsv'

/** An agent as the directory keeps it, as far as an import reads or writes it. */
export interface DirectoryEntry extends AgentEntry {
  number: string
  normalizedNumber: string
}

/**
 * A number typed or imported for an agent: a valid number only (the shared rule), kept as the
 * vendor's `agentnum` (10 digits for India, the trunk 0 or +91 dropped) and in E.164 to match calls.
 */
export function cleanNumber(input: string): { number: string; normalizedNumber: string } {
  const parsed = parsePhoneInput(input)
  if (!parsed.ok) throw new UserError(parsed.reason, 400, ['number'])
  return { number: vendorAgentNumber(parsed.e164), normalizedNumber: parsed.e164 }
}

export function cleanName(name: string): string {
  const n = name.trim()
  if (!n) throw new UserError('The agent needs a name', 400, ['name'])
  if (n.length > 100) throw new UserError('The name is longer than 100 characters', 400, ['name'])
  return n
}

export function cleanDepartment(d: string | null | undefined): string | null {
  const t = d?.trim()
  if (!t) return null
  if (t.length > 200) throw new UserError('The department name is too long', 400, ['department'])
  return t
}

/**
 * One spelling per department, whatever the case it is written in: the directory's, else the
 * first line's that names it. `support` beside `Support` is the same department, not a second.
 */
class Departments {
  private readonly spelling = new Map<string, string>()
  readonly retyped = new Map<string, string>()

  constructor(existing: readonly (string | null)[]) {
    for (const d of existing) if (d) this.spelling.set(d.toLowerCase(), d)
  }

  of(typed: string | null): string | null {
    if (typed === null) return null
    const key = typed.toLowerCase()
    const known = this.spelling.get(key)
    if (known === undefined) {
      this.spelling.set(key, typed)
      return typed
    }
    if (known !== typed) this.retyped.set(typed, known)
    return known
  }
}

/** The directory's spelling of a department written in any case (`support` → `Support`). */
export function departmentSpelling(
  typed: string | null,
  others: readonly { department: string | null }[],
): string | null {
  return new Departments(others.map((a) => a.department)).of(typed)
}

/** The plan and the preview that shows it. */
export interface ImportPlan {
  preview: AgentImportPreview
  /** New agents, in line order. */
  add: DirectoryEntry[]
  /** Known agents (by normalised number) and what they become. */
  change: DirectoryEntry[]
}

/**
 * Compares a parsed CSV with the directory: each usable line adds an agent, changes one (its name
 * or department differ), or leaves it as it is; a line with an invalid number, no name, or a
 * number an earlier line already gave is refused with why. A line that gives no department
 * (no such column) keeps the agent's.
 */
export function planImport(
  parsed: ParsedAgentCsv,
  directory: readonly DirectoryEntry[],
): ImportPlan {
  const byNumber = new Map(directory.map((a) => [a.normalizedNumber, a]))
  const departments = new Departments(directory.map((a) => a.department))
  const seen = new Map<string, number>()
  const preview: AgentImportPreview = {
    added: [],
    changed: [],
    unchanged: [],
    refused: parsed.errors.map((e) => ({ ...e })),
    ignoredColumns: [...parsed.ignoredColumns],
    departments: [],
    preview: '',
  }
  const add: DirectoryEntry[] = []
  const change: DirectoryEntry[] = []
  for (const row of parsed.rows) {
    try {
      const { number, normalizedNumber } = cleanNumber(row.number)
      const first = seen.get(normalizedNumber)
      if (first !== undefined) {
        throw new UserError(`${row.number} is already on line ${first}: only that line is used`)
      }
      seen.set(normalizedNumber, row.line)
      const name = cleanName(row.name)
      const known = byNumber.get(normalizedNumber)
      const department =
        row.department === undefined
          ? (known?.department ?? null)
          : departments.of(cleanDepartment(row.department))
      const line: AgentImportLine = { line: row.line, number, normalizedNumber, name, department }
      if (!known) {
        preview.added.push(line)
        add.push({ number, normalizedNumber, name, department })
      } else if (known.name === name && known.department === department) {
        preview.unchanged.push(line)
      } else {
        preview.changed.push({
          line: row.line,
          number: known.number,
          normalizedNumber,
          before: { name: known.name, department: known.department },
          after: { name, department },
        })
        change.push({ number: known.number, normalizedNumber, name, department })
      }
    } catch (err) {
      preview.refused.push({ line: row.line, text: row.text, reason: (err as Error).message })
    }
  }
  preview.refused.sort((a, b) => a.line - b.line)
  preview.departments = [...departments.retyped].map(([typed, as]) => ({ typed, as }))
  preview.preview = fingerprint(preview)
  return { preview, add, change }
}

/**
 * What a confirmation is checked against: every agent the import would add or change, as it is
 * now and as it would be. Another person's edit in between, or another file, changes it.
 */
function fingerprint(p: AgentImportPreview): string {
  const what = JSON.stringify([
    p.added.map((a) => [a.normalizedNumber, a.name, a.department]),
    p.changed.map((c) => [c.normalizedNumber, c.before, c.after]),
  ])
  return createHash('sha256').update(what).digest('base64url').slice(0, 22)
}
