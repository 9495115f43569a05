import { formatDateTime } from '../../shared/dateTime'
import type { CallStatus } from '../../shared/domain'

export { CALL_STATUS_LABEL as STATUS_LABEL } from '../../shared/domain'
export { formatSeconds } from '../../shared/dateTime'

export const STATUS_COLOR: Record<CallStatus, string> = {
  ANSWER: 'teal',
  MISSED: 'red',
  DROPPED: 'orange',
}

/** How long ago, in words: `just now`, `4 min`, `2 h 5 min`, `3 days`. */
export function formatAge(fromIso: string, nowMs: number): string {
  const ms = nowMs - Date.parse(fromIso)
  if (!Number.isFinite(ms)) return '–'
  const min = Math.floor(ms / 60_000)
  if (min < 1) return 'just now'
  if (min < 60) return `${min} min`
  const h = Math.floor(min / 60)
  if (h < 48) return `${h} h ${min % 60} min`
  return `${Math.floor(h / 24)} days`
}

/** Only http(s) links may be played or opened. */
export function isHttpUrl(url: string | null): url is string {
  if (!url) return false
  try {
    const u = new URL(url)
    return u.protocol === 'http:' || u.protocol === 'https:'
  } catch {
    return false
  }
}

/**
 * An ISO instant in the app's one format (`29 Nov 2026, 9:57 pm`), in the configured zone: calls
 * are local to it, not to this computer.
 */
export function formatInstant(iso: string, timezone: string, seconds = false): string {
  return formatDateTime(iso, timezone, { seconds })
}

/** `n` and the word for it: `1 call`, `2 calls` (`many` when the plural is not `one` + s). */
export const plural = (n: number, one: string, many = `${one}s`): string =>
  `${n.toLocaleString('en-IN')} ${n === 1 ? one : many}`
