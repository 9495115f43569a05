/**
 * Phone numbers, one way everywhere: the listener (caller, agent, virtual number), the agent
 * directory and its CSV import, the history search, the missed-call queue and every screen that
 * shows a number. Built on libphonenumber-js (its `min` metadata: numbering-plan lengths and
 * leading digits), with India as the home country: a national number may carry the trunk `0`,
 * `91` or `+91`, and `+` or `00` introduce any other country.
 *
 * Two entrances share the one rule:
 * - {@link parsePhoneInput} for what a person types or imports: only a valid number is accepted
 *   (`12345` is refused, `09812345678` is `+919812345678`, `0981234567`, a trunk 0 and nine
 *   digits, is refused), with the reason in words.
 * - {@link normalizePhone} for what vendors push, as lenient as the listener has always been:
 *   a valid number gets the same E.164 form as above; anything else with 3 to 15 digits is still
 *   kept (digits, `+` only when sent), since a missed call must never be lost over its number.
 */
import { parsePhoneNumberFromString, validatePhoneNumberLength } from 'libphonenumber-js/min'

/** The country national numbers belong to (the vendor and its callers are Indian). */
export const HOME_COUNTRY = 'IN'

/**
 * The common case, decided without the library (it costs ~15 µs per number, three numbers per
 * push): an Indian 10-digit number whose first digit is not 0, bare or after `0`, `91` or `+91`.
 * libphonenumber-js calls every such number valid, so the answer is the same (a unit test keeps
 * the two in step).
 */
const INDIAN_TEN = /^(?:\+?91|0)?([1-9]\d{9})$/

/** What a phone-number field may hold: digits, one leading `+`, spaces, dashes, dots, brackets. */
const PHONE_CHARS = /^\+?[\d\s\-().]+$/

export type PhoneInput = { ok: true; e164: string } | { ok: false; reason: string }

const LENGTH_WORDS: Record<string, string> = {
  TOO_SHORT: 'too short',
  TOO_LONG: 'too long',
  INVALID_LENGTH: 'the wrong length',
  NOT_A_NUMBER: 'not a number',
  INVALID_COUNTRY: 'of no known country',
}

/**
 * A number a person typed or imported → E.164 (`+919812345678`), or why it is not a valid one.
 * Spaces, dashes, dots and brackets are ignored; letters are not.
 */
export function parsePhoneInput(input: string): PhoneInput {
  const text = input.trim()
  if (text === '') return { ok: false, reason: 'No phone number given' }
  const refuse = (why: string): PhoneInput => ({
    ok: false,
    reason: `"${text}" is not a valid phone number: ${why}`,
  })
  if (!PHONE_CHARS.test(text)) return refuse('use digits only (spaces and dashes are fine)')
  const compact = text.replace(/[\s\-().]/g, '')
  const fast = INDIAN_TEN.exec(compact)
  if (fast) return { ok: true, e164: `+91${fast[1]}` }
  const parsed = parsePhoneNumberFromString(text, HOME_COUNTRY)
  if (parsed?.isValid()) return { ok: true, e164: parsed.number }
  const national = /^(?:0|\+?91)?(\d+)$/.exec(compact)?.[1]
  const international = compact.startsWith('+') || compact.startsWith('00')
  if ((!international || compact.startsWith('+91')) && national && national.length < 10)
    return refuse(
      `an Indian number has 10 digits after the 0 or +91, this one has ${national.length}`,
    )
  const length = validatePhoneNumberLength(text, HOME_COUNTRY)
  if (length) return refuse(`it is ${LENGTH_WORDS[length] ?? 'not a number'}`)
  return refuse('no such number exists in its numbering plan')
}

/**
 * A number as a vendor pushed it → `+91XXXXXXXXXX` for Indian numbers (10 digits, with `0`, `91`
 * or `+91` in front, with spaces, dashes, dots or brackets), E.164 for any other valid number,
 * else its digits with a leading `+` only if one was sent; null when there are fewer than 3 or
 * more than 15 digits. A status word before the number (`BUSY +919876543210`) is dropped.
 */
export function normalizePhone(input: string): string | null {
  const text = input.trim()
  if (text === '') return null
  // The number is the last run of phone characters; words before it (a status) are dropped.
  const match = /(\+?[\d][\d\s\-().]*)$/.exec(text)
  if (!match || match[1] === undefined) return null
  const token = match[1].trim()
  const plus = token.startsWith('+')
  const digits = token.replace(/\D/g, '')
  if (digits.length < 3 || digits.length > 15) return null
  const fast = INDIAN_TEN.exec(plus ? `+${digits}` : digits)
  if (fast) return `+91${fast[1]}`
  const parsed = parsePhoneNumberFromString(token, HOME_COUNTRY)
  if (parsed?.isValid()) return parsed.number
  // Not a valid number: kept as sent, so the push is never refused over it.
  return plus ? `+${digits}` : digits
}

/** Digits only. */
export function phoneDigits(input: string): string {
  return input.replace(/\D/g, '')
}

/**
 * The digit fragments a history or queue search for `text` looks for in stored numbers, or null
 * when the text is not a number. A whole valid number searches for its E.164 digits, so
 * `085978 34899` finds `+918597834899`; a fragment with a leading trunk `0` (`085978`) also
 * searches without it, since stored Indian numbers never carry one.
 */
export function phoneSearchDigits(text: string): string[] | null {
  const t = text.trim()
  if (!PHONE_CHARS.test(t)) return null
  const digits = phoneDigits(t)
  if (digits.length === 0) return null
  const whole = parsePhoneInput(t)
  if (whole.ok) return [whole.e164.slice(1)]
  if (/^0[1-9]/.test(digits) && !t.startsWith('+')) return [digits, digits.slice(1)]
  return [digits]
}

/** Whether a stored number matches a search made by {@link phoneSearchDigits}. */
export function phoneMatches(stored: string | null, fragments: readonly string[]): boolean {
  return stored !== null && fragments.some((f) => stored.includes(f))
}

/** `+919876543210` → `+91 98765 43210`, any valid number in its international form; other text unchanged. */
export function formatPhone(normalized: string): string {
  const m = /^\+91([6-9]\d{4})(\d{5})$/.exec(normalized)
  if (m) return `+91 ${m[1]} ${m[2]}`
  if (!normalized.startsWith('+')) return normalized
  const parsed = parsePhoneNumberFromString(normalized)
  return parsed?.isValid() ? parsed.formatInternational() : normalized
}

/**
 * The form an agent's number is kept in for the vendor's `agentnum`: the 10-digit national
 * number for Indian numbers (as the vendor's document shows), E.164 for any other.
 */
export function vendorAgentNumber(e164: string): string {
  return e164.startsWith('+91') && e164.length === 13 ? e164.slice(3) : e164
}
