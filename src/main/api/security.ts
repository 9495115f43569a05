/**
 * The local API's gatekeeping: a bearer token compared in constant time, a Host check against
 * DNS rebinding (a hostile page whose domain re-resolves to 127.0.0.1 would otherwise be
 * same-origin with us), and the security headers every answer carries.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import proxyAddr from '@fastify/proxy-addr'
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

/** The token of an `Authorization: Bearer <token>` header, or null when there is none. */
export function bearerToken(header: string | undefined): string | null {
  if (typeof header !== 'string') return null
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header)
  return m ? m[1]! : null
}

/**
 * A checker for the owner's token. Both sides are hashed first so the comparison takes the same
 * time whatever the length of what was sent.
 */
export function ownerChecker(token: string): (candidate: string) => boolean {
  if (token.length < 16) throw new Error('The API token is too short')
  const expected = digest(token)
  return (candidate) => timingSafeEqual(digest(candidate), expected)
}

/** A literal IPv4 address, or an IPv6 one in brackets, with an optional port. */
const IP_HOST = /^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:.]+\])(:\d{1,5})?$/

/**
 * The Host check against DNS rebinding (a hostile page whose name re-resolves to this server
 * would otherwise be same-origin with it): `127.0.0.1:<port>` and `localhost:<port>` always; the
 * team server's own names (behind a proxy or with its certificate), on any port; and, when the
 * API is bound beyond loopback, an IP address, which no hostile page can make its own origin.
 */
export function hostChecker(opts: {
  port: () => number
  hostnames: string[]
  ipHosts: boolean
}): (host: string | undefined) => boolean {
  const names = new Set(opts.hostnames.map((n) => n.toLowerCase()))
  return (host) => {
    if (typeof host !== 'string') return false
    const h = host.toLowerCase()
    const port = opts.port()
    if (h === `127.0.0.1:${port}` || h === `localhost:${port}`) return true
    if (opts.ipHosts && IP_HOST.test(h)) return true
    if (names.size === 0) return false
    const m = /^([a-z0-9.-]+)(:\d{1,5})?$/.exec(h)
    return m !== null && names.has(m[1]!)
  }
}

/**
 * The peer check of a team server behind a proxy: true for a socket address among `peers`
 * (addresses, CIDR ranges, `loopback`, `linklocal`, `uniquelocal`, as `IVRS_TRUST_PROXY` lists
 * them; an IPv4 address mapped into IPv6 counts as itself), compiled once by the module fastify
 * reads `X-Forwarded-For` with, so both judge an address alike.
 */
export function peerChecker(peers: string[]): (address: string | undefined) => boolean {
  const trusted = proxyAddr.compile(peers)
  return (address) => typeof address === 'string' && trusted(address, 0)
}
