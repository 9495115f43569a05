/**
 * Request validation for both transports (IPC and the local HTTP API): a channel's schema of
 * the `schema` of its row of `REQUESTS` in the contract, compiled once, with the one formatter that turns TypeBox's errors into
 * words a person can act on (TypeBox reports every branch of every union, which reads as noise),
 * plus what only HTTP needs: query-string coercion (every query value arrives as a string).
 */
import type { TSchema } from 'typebox'
import { Compile } from 'typebox/compile'
import type { Validator } from 'typebox/compile'
import type { TLocalizedValidationError } from 'typebox/error'
import { HOUR_MINUTE_PATTERN } from '../../shared/officeTime'
import { EmptySchema } from '../../shared/schemas'

/** A failed validation: the sentence for the user and the fields at fault. */
export interface ValidationFailure {
  error: string
  fields: string[]
}

/** Formats people know, for the patterns our schemas use, instead of a raw regular expression. */
const PATTERN_HINTS: Record<string, string> = {
  '^\\d{4}-\\d{2}-\\d{2}$': 'a date as YYYY-MM-DD',
  [HOUR_MINUTE_PATTERN]: 'a 24-hour time as HH:MM',
  '^\\d{2}-\\d{2}$': 'a day of the year as MM-DD',
}

/** The JSON-schema keywords we read; TypeBox 1.x types `TSchema` without them. */
interface SchemaShape {
  anyOf?: TSchema[]
  properties?: Record<string, TSchema>
  type?: unknown
}
const shape = (s: TSchema): SchemaShape => s as SchemaShape

interface Branch {
  validator: Validator
  properties: Set<string>
}

/** One channel's compiled schema, able to coerce, check and explain. */
export class RequestValidator {
  private readonly whole: Validator
  /** For a union of objects: each branch alone, to explain the branch the caller meant. */
  private readonly branches: Branch[]
  /** Top-level property → the primitive type a query string must be coerced to. */
  private readonly coercions = new Map<string, 'integer' | 'number' | 'boolean'>()

  /** `subject` names what is checked in the messages: `Invalid <subject>: ...`. */
  constructor(
    schema: TSchema | null,
    private readonly subject = 'request',
  ) {
    const s = schema ?? EmptySchema
    this.whole = Compile(s)
    const union = shape(s).anyOf
    const members = Array.isArray(union) ? union : [s]
    this.branches = union
      ? members.map((m) => ({ validator: Compile(m), properties: new Set(propertyNames(m)) }))
      : []
    for (const m of members) {
      for (const [name, prop] of Object.entries(shape(m).properties ?? {})) {
        const t = shape(prop).type
        if ((t === 'integer' || t === 'number' || t === 'boolean') && !this.coercions.has(name)) {
          this.coercions.set(name, t)
        }
      }
    }
  }

  /**
   * Turns query-string text into the numbers and booleans the schema asks for. Values that do
   * not look like one are left as they are, so validation names them.
   */
  coerceQuery(obj: Record<string, unknown>): void {
    for (const [name, type] of this.coercions) {
      const v = obj[name]
      if (typeof v !== 'string') continue
      if (type === 'boolean') {
        if (v === 'true' || v === 'false') obj[name] = v === 'true'
      } else if (type === 'integer' ? /^-?\d{1,15}$/.test(v) : /^-?\d{1,15}(\.\d+)?$/.test(v)) {
        obj[name] = Number(v)
      }
    }
  }

  /** Null when the value is valid; otherwise what is wrong, in words. */
  check(value: unknown): ValidationFailure | null {
    if (this.whole.Check(value)) return null
    if (this.branches.length === 0) return explainErrors(this.whole.Errors(value), this.subject)
    // A union: explain against the branch sharing the most field names with what was sent.
    const keys = value && typeof value === 'object' ? Object.keys(value) : []
    let best: Branch | null = null
    let bestScore = 0
    for (const b of this.branches) {
      const score = keys.filter((k) => b.properties.has(k)).length
      if (score > bestScore) [best, bestScore] = [b, score]
    }
    if (best) return explainErrors(best.validator.Errors(value), this.subject)
    const shapes = this.branches.map((b) => `{ ${[...b.properties].join(', ')} }`).join(' or ')
    return {
      error: `Invalid ${this.subject}: expected one of ${shapes}`,
      fields: [...new Set(this.branches.flatMap((b) => [...b.properties]))],
    }
  }
}

function propertyNames(schema: TSchema): string[] {
  return Object.keys(shape(schema).properties ?? {})
}

/**
 * Groups TypeBox's errors by field and keeps one readable complaint per field, e.g.
 * `Invalid request: status must be one of AVAIL, OFF; x is not a known field`.
 */
export function explainErrors(
  errors: readonly TLocalizedValidationError[],
  subject = 'request',
): ValidationFailure {
  const byField = new Map<string, string>()
  const allowed = new Map<string, unknown[]>()
  const add = (field: string, problem: string): void => {
    if (!byField.has(field)) byField.set(field, problem)
  }
  for (const e of errors) {
    const field = e.instancePath.split('/').filter(Boolean)[0] ?? ''
    switch (e.keyword) {
      case 'boolean': // "schema is false": the additionalProperties error below says it better
        break
      case 'additionalProperties':
        for (const name of e.params.additionalProperties) add(name, 'is not a known field')
        break
      case 'required':
        for (const name of e.params.requiredProperties) add(name, 'is required')
        break
      case 'const':
        // One error per literal of the union; reserve the field's place, word it below.
        add(field, '')
        allowed.set(field, [...(allowed.get(field) ?? []), e.params.allowedValue])
        break
      case 'anyOf':
        if (!allowed.has(field)) add(field, 'has the wrong type')
        break
      case 'pattern': {
        const p = typeof e.params.pattern === 'string' ? e.params.pattern : e.params.pattern.source
        add(field, `must be ${PATTERN_HINTS[p] ?? `like ${p}`}`)
        break
      }
      case 'maxLength':
        add(field, `must be at most ${e.params.limit} characters`)
        break
      case 'minLength':
        add(field, e.params.limit === 1 ? 'must not be empty' : `is too short`)
        break
      case 'minimum':
      case 'maximum':
        add(field, `must be ${e.keyword === 'minimum' ? 'at least' : 'at most'} ${e.params.limit}`)
        break
      default:
        add(field, e.message)
    }
  }
  for (const [field, values] of allowed) {
    if (byField.get(field) === '') byField.set(field, `must be one of ${values.join(', ')}`)
  }
  const fields = [...byField.keys()]
  if (fields.length === 0) return { error: `Invalid ${subject}`, fields: [] }
  // A complaint about the whole value (not an object, say) names it as the request.
  const parts = fields.map((f) => `${f || 'request'} ${byField.get(f)}`)
  return { error: `Invalid ${subject}: ${parts.join('; ')}`, fields: fields.filter(Boolean) }
}
