/**
 * The local API's gatekeeping: a bearer token compared in constant time, a Host check against
 * DNS rebinding (a hostile page whose domain re-resolves to 127.0.0.1 would otherwise be
 * same-origin with us), and the security headers every answer carries.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import { contentSecurityPolicy } from '../../shared/csp'

/** Applied to every answer, static files included. */
export const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  // The renderer's one policy; the API's own answers are JSON, where it forbids everything anyway.
  'content-security-policy': contentSecurityPolicy(),
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest()

/**
 * A checker for `Authorization: Bearer <token>`. Both sides are hashed first so the comparison
 * takes the same time whatever the length of what was sent.
 */
export function bearerChecker(token: string): (header: string | undefined) => boolean {
  if (token.length < 16) throw new Error('The API token is too short')
  const expected = digest(token)
  return (header) => {
    if (typeof header !== 'string') return false
    const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header)
    if (!m) return false
    return timingSafeEqual(digest(m[1]!), expected)
  }
}

/** True when the Host header names the loopback address or `localhost` with our bound port. */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  if (typeof host !== 'string') return false
  const h = host.toLowerCase()
  return h === `127.0.0.1:${port}` || h === `localhost:${port}`
}
