import type { TestResult } from '../../shared/contract'
import type { VendorClient } from './client'

/** The action name we send to probe; no such action exists, so nothing is changed. */
export const PROBE_ACTION = 'ConnectionTest'

const LIMIT =
  'The settings API has no read or test call, so this only shows the address answers; ' +
  'whether the API key and customer id are accepted shows with the first real change.'

/**
 * `settings:testConnection`. The vendor API can only SET things, so we send a request with an
 * action it does not know (it changes nothing) and judge the answer honestly: no answer = not
 * reachable; 401/403 or words about the key or customer = credentials rejected; anything else =
 * the address answers (which is all we can know).
 */
export async function testConnection(client: VendorClient): Promise<TestResult> {
  if (!client.configured()) {
    return {
      ok: false,
      message: 'No vendor is configured: enter the URL, API key and customer id.',
    }
  }
  const a = await client.attempt({ action: PROBE_ACTION })
  if (a.outcome === 'failed') {
    return { ok: false, message: `The vendor could not be reached: ${a.detail}.` }
  }
  const words = a.detail
  if (
    a.httpStatus === 401 ||
    a.httpStatus === 403 ||
    /\b(api ?key|apikey|cust(omer)?(id)?|unauthori[sz]ed|auth)/i.test(words)
  ) {
    return { ok: false, message: `The vendor answered but rejected the credentials: "${words}".` }
  }
  if (a.httpStatus === 404) {
    return {
      ok: false,
      message: `The server answered but has no settings handler at that address (HTTP 404). Check the vendor URL.`,
    }
  }
  return { ok: true, message: `The vendor answered (HTTP ${a.httpStatus}: "${words}"). ${LIMIT}` }
}
