/**
 * How a handler's answer becomes an HTTP status. Change requests answer with what the vendor did:
 * 200 confirmed, 202 queued (vendor unreachable, retried in the background), 422 refused (the
 * body carries the vendor's words). Everything else that returns is a plain 200.
 */
import type { ChangeResult } from '../../shared/domain'

const STATE_STATUS: Record<string, 200 | 202 | 422> = {
  confirmed: 200,
  pending: 202,
  refused: 422,
}

function isChangeResult(x: unknown): x is ChangeResult {
  if (!x || typeof x !== 'object') return false
  const change = (x as { change?: unknown }).change
  return (
    !!change &&
    typeof change === 'object' &&
    typeof (change as { state?: unknown }).state === 'string'
  )
}

/** The worst of several outcomes: any refusal → 422, else any queued → 202, else 200. */
function combine(results: ChangeResult[]): 200 | 202 | 422 {
  let status: 200 | 202 | 422 = 200
  for (const r of results) {
    const s = STATE_STATUS[r.change.state] ?? 200
    if (s === 422) return 422
    if (s === 202) status = 202
  }
  return status
}

/**
 * The status for a handler's result: a `ChangeResult`, an array of them, or an object with a
 * `results` array of them (`HolidayAddResult`) follow the change rule; anything else is 200.
 */
export function statusFor(result: unknown): 200 | 202 | 422 {
  if (isChangeResult(result)) return STATE_STATUS[result.change.state] ?? 200
  if (Array.isArray(result) && result.length > 0 && result.every(isChangeResult)) {
    return combine(result)
  }
  if (result && typeof result === 'object' && !Array.isArray(result)) {
    const results = (result as { results?: unknown }).results
    if (Array.isArray(results) && results.every(isChangeResult)) return combine(results)
  }
  return 200
}
