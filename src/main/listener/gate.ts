import { timingSafeEqual } from 'node:crypto'
import { WEBHOOK_PATH } from '../../shared/vendorPaths'

/** The one route: `WEBHOOK_PATH/<token>[/]`, the prefix in any case, the token exact. */
const ROUTE = new RegExp(`^${WEBHOOK_PATH}/([^/]*)/?$`, 'i')

/** What stands in for the token wherever a path is kept (rejected log, log lines). */
export const TOKEN_MARK = '<token>'

/**
 * The gate every request passes before anything else: the route, the method and the token.
 * Whatever fails it (wrong token, other path, other method) is a miss, and every miss looks
 * the same from outside.
 */
export class Gate {
  private readonly tokenBytes: Buffer

  constructor(private readonly token: string) {
    this.tokenBytes = Buffer.from(token, 'utf8')
  }

  /** Whether the method and the raw request URL (query included) name the route with our token. */
  passes(method: string | undefined, url: string): boolean {
    const q = url.indexOf('?')
    const m = ROUTE.exec(q === -1 ? url : url.slice(0, q))
    const allowed = method === 'GET' || method === 'POST'
    // The comparison runs for every request, hit or miss, so timing says nothing either.
    const tokenOk = this.tokenMatches(m?.[1] ?? '')
    return m !== null && allowed && tokenOk
  }

  /**
   * Compared byte for byte in constant time. Only a candidate of the token's length is compared
   * (timingSafeEqual needs equal lengths); the length of a 128-bit random token is no secret.
   * Hashing both sides on every request cost more than the rest of the gate together.
   */
  private tokenMatches(candidate: string): boolean {
    return (
      Buffer.byteLength(candidate, 'utf8') === this.tokenBytes.length &&
      timingSafeEqual(Buffer.from(candidate, 'utf8'), this.tokenBytes)
    )
  }

  /** `text` with every occurrence of the token replaced by {@link TOKEN_MARK}. */
  redact(text: string): string {
    return text.includes(this.token) ? text.split(this.token).join(TOKEN_MARK) : text
  }
}

/** Requests failing the gate allowed per address and window before they are answered 429. */
export interface MissLimit {
  max: number
  windowMs: number
}

/**
 * 1,000 misses per 10 s per address. Only requests that fail the gate count: a vendor push with
 * the right token is never refused for rate, however many arrive (a vendor catching up after
 * the tunnel was down sends thousands at once). What it limits is a scanner or a flood of wrong
 * URLs, which then gets `429 Failure` instead of the 404, whatever its path or token.
 */
export const DEFAULT_MISS_LIMIT: MissLimit = { max: 1000, windowMs: 10_000 }

/** Addresses counted per window at most; beyond, a new address is over its limit at once. */
const MAX_ADDRESSES = 100_000

/** Counts the misses of each address in fixed windows (see {@link DEFAULT_MISS_LIMIT}). */
export class MissLimiter {
  private window = -1
  private readonly counts = new Map<string, number>()

  constructor(
    private readonly limit: MissLimit,
    private readonly now: () => number,
  ) {}

  /**
   * Counts one miss from `address`: null while the address is within its limit; else the seconds
   * until its window ends (for `Retry-After`, at least 1) and whether this is its first miss
   * over the limit in the window (one log line per address and window, not one per request).
   */
  miss(address: string): { retryAfterS: number; first: boolean } | null {
    const now = this.now()
    const window = Math.floor(now / this.limit.windowMs)
    if (window !== this.window) {
      this.window = window
      this.counts.clear()
    }
    const had = this.counts.get(address)
    if (had === undefined && this.counts.size >= MAX_ADDRESSES)
      return { retryAfterS: this.retryAfter(now), first: false }
    const n = (had ?? 0) + 1
    this.counts.set(address, n)
    if (n <= this.limit.max) return null
    return { retryAfterS: this.retryAfter(now), first: n === this.limit.max + 1 }
  }

  private retryAfter(now: number): number {
    const end = (this.window + 1) * this.limit.windowMs
    return Math.max(1, Math.ceil((end - now) / 1000))
  }
}
