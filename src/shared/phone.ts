/**
 * Phone-number normalisation shared by the listener (caller, agent, virtual number), the agent
 * directory (matching calls to agents) and the renderer (search).
 *
 * Indian numbers given as 10 digits, or with `0`, `91` or `+91` in front, with spaces, dashes,
 * dots or brackets → `+91XXXXXXXXXX`. Anything else → its digits, with a leading `+` only if one
 * was sent. A status word before the number (`BUSY +919876543210`) is dropped.
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
  if (!plus) {
    if (digits.length === 10) return `+91${digits}`
    if (digits.length === 11 && digits.startsWith('0')) return `+91${digits.slice(1)}`
    if (digits.length === 12 && digits.startsWith('91')) return `+${digits}`
    return digits
  }
  return `+${digits}`
}

/** Digits only, for matching a search string against stored numbers. */
export function phoneDigits(input: string): string {
  return input.replace(/\D/g, '')
}

/** `+919876543210` → `+91 98765 43210` for display; other numbers unchanged. */
export function formatPhone(normalized: string): string {
  const m = /^\+91(\d{5})(\d{5})$/.exec(normalized)
  return m ? `+91 ${m[1]} ${m[2]}` : normalized
}
