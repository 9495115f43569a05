import { readFile } from 'node:fs/promises'
import { isIP } from 'node:net'
import { createSecureContext } from 'node:tls'
import { canonicalZone } from '../../shared/timeZones'
import { defaultDataDir } from '../ground/paths'
import { LOG_LEVELS, type LogLevel } from '../ground/logger'

/**
 * Settings read from the environment (headless mode, tests, and overrides for the desktop app).
 * Every variable is optional; bad values stop start-up with a message naming the variable.
 */
export interface EnvConfig {
  webhookHost: string
  webhookPort: number
  /** Overrides the token generated on first run and kept in the data folder. */
  webhookToken: string | null
  apiPort: number
  /** Interface the local API binds: loopback unless a team server offers it further. */
  apiHost: string
  /** The team server's host names, accepted in the Host header (DNS-rebinding check). */
  apiHostnames: string[]
  /** Paths of the PEM certificate and key the API serves HTTPS with; both or neither. */
  tlsCert: string | null
  tlsKey: string | null
  /** Overrides the per-launch local API token. */
  apiToken: string | null
  dataDir: string
  timezone: string
  /** The tunnel's public address, e.g. `https://abc.trycloudflare.com`. */
  publicUrl: string | null
  vendorUrl: string | null
  vendorApiKey: string | null
  vendorCustId: string | null
  /** Port of the built-in IVR simulator (0 = any free port). */
  simulatorPort: number
  /** Simulated calls per minute. */
  simulatorRate: number
  /** Share (0..1) of simulated pushes that use the awkward inputs vendors really send. */
  simulatorAwkwardShare: number
  /**
   * The proxies or tunnel in front of the listener whose `X-Forwarded-For` is believed: their
   * addresses, CIDR ranges or `loopback`, `linklocal`, `uniquelocal`. Null: none.
   */
  trustProxy: string[] | null
  /**
   * `postgres://…`: every durable thing goes to this PostgreSQL database instead of the data
   * folder, so that several instances can share it. Null: the data folder keeps everything.
   */
  databaseUrl: string | null
  /** Seals the secrets kept in the database (see postgres/pgSecretStore.ts). */
  secretKey: string | null
  /** How long start-up waits for the database to come up (ms). */
  databaseWaitMs: number
  /**
   * How long the data folder's lock must go unrefreshed before another host may take it over
   * (`IVRS_LOCK_STALE_MS`, default 30 s). On one host a live holder is never taken over.
   */
  lockStaleMs: number
  /** Headless mode's log lines: `text` (one readable line each) or `json` (for a collector). */
  logFormat: 'text' | 'json'
  /** The least level logged: `debug` adds a line per push. */
  logLevel: LogLevel
  /**
   * Days the append-only logs keep their entries (the activity log, the vendor audit trail, the
   * rejected pushes); 0 keeps them for ever.
   */
  logRetentionDays: number
}

export class ConfigError extends Error {}

function port(env: NodeJS.ProcessEnv, name: string, dflt: number): number {
  const v = env[name]
  if (v === undefined || v === '') return dflt
  const n = Number(v)
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new ConfigError(`${name} must be a port number (0-65535), got "${v}"`)
  return n
}

/** Days the append-only logs keep their entries unless IVRS_LOG_RETENTION_DAYS says otherwise. */
export const DEFAULT_LOG_RETENTION_DAYS = 400

function integer(env: NodeJS.ProcessEnv, name: string, dflt: number): number {
  const v = env[name]
  if (v === undefined || v === '') return dflt
  const n = Number(v)
  if (!Number.isInteger(n) || n < 0 || n > 36_500)
    throw new ConfigError(`${name} must be a whole number of days (0 keeps for ever), got "${v}"`)
  return n
}

function num(env: NodeJS.ProcessEnv, name: string, dflt: number, min: number, max: number): number {
  const v = env[name]
  if (v === undefined || v === '') return dflt
  const n = Number(v)
  if (!Number.isFinite(n) || n < min || n > max)
    throw new ConfigError(`${name} must be a number from ${min} to ${max}, got "${v}"`)
  return n
}

function oneOf<T extends string>(
  env: NodeJS.ProcessEnv,
  name: string,
  values: readonly T[],
  dflt: T,
): T {
  const v = str(env, name)?.toLowerCase()
  if (v === undefined || v === null) return dflt
  if (!(values as readonly string[]).includes(v))
    throw new ConfigError(`${name} must be one of ${values.join(', ')}; got "${v}"`)
  return v as T
}

function str(env: NodeJS.ProcessEnv, name: string): string | null {
  const v = env[name]?.trim()
  return v ? v : null
}

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz })
    return true
  } catch {
    return false
  }
}

function httpUrl(env: NodeJS.ProcessEnv, name: string): string | null {
  const v = str(env, name)
  if (v === null) return null
  let u: URL
  try {
    u = new URL(v)
  } catch {
    throw new ConfigError(`${name} must be an http(s) URL, got "${v}"`)
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new ConfigError(`${name} must be an http(s) URL, got "${v}"`)
  return v.replace(/\/+$/, '')
}

const PROXY_WORDS = new Set(['loopback', 'linklocal', 'uniquelocal'])

/**
 * `IVRS_TRUST_PROXY`: a comma-separated list of proxy addresses, CIDR ranges or the words
 * `loopback`, `linklocal`, `uniquelocal`. Hop counts and "trust everything" are refused: either
 * would let a client that reaches the listener directly write its own `X-Forwarded-For`.
 */
function trustProxy(env: NodeJS.ProcessEnv): string[] | null {
  const v = str(env, 'IVRS_TRUST_PROXY')
  if (v === null) return null
  const items = v.split(',').map((x) => x.trim())
  for (const item of items) {
    const [addr = '', bits, extra] = item.split('/')
    const family = isIP(addr)
    const maxBits = family === 6 ? 128 : 32
    const ok =
      PROXY_WORDS.has(item) ||
      (family !== 0 &&
        extra === undefined &&
        (bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits)))
    if (!ok)
      throw new ConfigError(
        `IVRS_TRUST_PROXY must list the proxies in front by address or CIDR range, or say loopback, linklocal or uniquelocal (comma-separated); got "${item}"`,
      )
  }
  return items
}

/** True for an address that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase()
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)
}

const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i

function apiHost(env: NodeJS.ProcessEnv): string {
  const v = str(env, 'IVRS_API_HOST') ?? '127.0.0.1'
  if (isIP(v) === 0 && v.toLowerCase() !== 'localhost')
    throw new ConfigError(
      `IVRS_API_HOST must be an IP address of this machine (0.0.0.0 for all), got "${v}"`,
    )
  return v
}

function secretKey(env: NodeJS.ProcessEnv): string | null {
  const v = str(env, 'IVRS_SECRET_KEY')
  if (v !== null && v.length < 24)
    throw new ConfigError('IVRS_SECRET_KEY must be at least 24 characters')
  return v
}

function databaseUrl(env: NodeJS.ProcessEnv): string | null {
  const v = str(env, 'IVRS_DATABASE_URL')
  if (v === null) return null
  let u: URL | null = null
  try {
    u = new URL(v)
  } catch {
    // the message below
  }
  // Never the value in the message: the URL may hold a password.
  if (!u || (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:'))
    throw new ConfigError(
      'IVRS_DATABASE_URL must be a PostgreSQL URL: postgres://user:password@host:5432/database',
    )
  return v
}

function apiHostnames(env: NodeJS.ProcessEnv): string[] {
  const v = str(env, 'IVRS_API_HOSTNAMES')
  if (v === null) return []
  const names = v.split(',').map((x) => x.trim().toLowerCase())
  for (const n of names)
    if (!HOST_NAME.test(n))
      throw new ConfigError(
        `IVRS_API_HOSTNAMES must list host names (comma-separated, no scheme or port), e.g. supervisor.example.com; got "${n}"`,
      )
  return names
}

/**
 * The rules of a team server: the API leaves this machine only with TLS, its own (`IVRS_TLS_CERT`
 * and `IVRS_TLS_KEY`) or a reverse proxy's (`IVRS_TRUST_PROXY` names it), and behind a proxy only
 * with the names it answers to (`IVRS_API_HOSTNAMES`), the Host check against DNS rebinding.
 */
function checkTeamServer(c: EnvConfig): void {
  if ((c.tlsCert === null) !== (c.tlsKey === null))
    throw new ConfigError(
      c.tlsCert === null
        ? 'IVRS_TLS_KEY is set but IVRS_TLS_CERT is not: give both (PEM files), or neither'
        : 'IVRS_TLS_CERT is set but IVRS_TLS_KEY is not: give both (PEM files), or neither',
    )
  if (isLoopbackHost(c.apiHost)) return
  if (c.tlsCert !== null) return
  if (c.trustProxy === null)
    throw new ConfigError(
      `IVRS_API_HOST=${c.apiHost} would offer the API beyond this machine without TLS: set IVRS_TLS_CERT and IVRS_TLS_KEY, or put a TLS reverse proxy in front and name it in IVRS_TRUST_PROXY (with its host names in IVRS_API_HOSTNAMES)`,
    )
  if (c.apiHostnames.length === 0)
    throw new ConfigError(
      `IVRS_API_HOSTNAMES must name the host names the proxy serves the API under (e.g. supervisor.example.com) when IVRS_API_HOST=${c.apiHost} sits behind a proxy: the API refuses any other Host`,
    )
}

/** The certificate and key to serve HTTPS with, read and checked; null without TLS. */
export async function readTls(
  c: Pick<EnvConfig, 'tlsCert' | 'tlsKey'>,
): Promise<{ cert: Buffer; key: Buffer } | null> {
  if (c.tlsCert === null || c.tlsKey === null) return null
  const read = async (name: string, path: string): Promise<Buffer> => {
    try {
      return await readFile(path)
    } catch (err) {
      throw new ConfigError(
        `${name} names a file that cannot be read: ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
      )
    }
  }
  const cert = await read('IVRS_TLS_CERT', c.tlsCert)
  const key = await read('IVRS_TLS_KEY', c.tlsKey)
  try {
    createSecureContext({ cert, key })
  } catch (err) {
    throw new ConfigError(
      `IVRS_TLS_CERT and IVRS_TLS_KEY must be a PEM certificate and its private key: ${(err as Error).message}`,
    )
  }
  return { cert, key }
}

export function readEnvConfig(env: NodeJS.ProcessEnv = process.env): EnvConfig {
  const timezone = str(env, 'IVRS_TIMEZONE') ?? 'Asia/Kolkata'
  if (!isValidTimeZone(timezone))
    throw new ConfigError(`IVRS_TIMEZONE is not a known time zone: "${timezone}"`)
  const webhookToken = str(env, 'IVRS_WEBHOOK_TOKEN')
  if (webhookToken !== null && !/^[A-Za-z0-9_-]{22,128}$/.test(webhookToken)) {
    throw new ConfigError(
      'IVRS_WEBHOOK_TOKEN must be 22 to 128 characters of A-Z a-z 0-9 _ - (at least 128 bits)',
    )
  }
  const apiToken = str(env, 'IVRS_API_TOKEN')
  if (apiToken !== null && apiToken.length < 16)
    throw new ConfigError('IVRS_API_TOKEN must be at least 16 characters')
  const config: EnvConfig = {
    webhookHost: str(env, 'IVRS_WEBHOOK_HOST') ?? '127.0.0.1',
    webhookPort: port(env, 'IVRS_WEBHOOK_PORT', 8787),
    webhookToken,
    apiPort: port(env, 'IVRS_API_PORT', 8788),
    apiHost: apiHost(env),
    apiHostnames: apiHostnames(env),
    tlsCert: str(env, 'IVRS_TLS_CERT'),
    tlsKey: str(env, 'IVRS_TLS_KEY'),
    apiToken,
    dataDir: str(env, 'IVRS_DATA_DIR') ?? defaultDataDir(),
    timezone: canonicalZone(timezone),
    publicUrl: httpUrl(env, 'IVRS_PUBLIC_URL'),
    vendorUrl: httpUrl(env, 'IVRS_VENDOR_URL'),
    vendorApiKey: str(env, 'IVRS_VENDOR_API_KEY'),
    vendorCustId: str(env, 'IVRS_VENDOR_CUST_ID'),
    simulatorPort: port(env, 'IVRS_SIM_PORT', 0),
    simulatorRate: num(env, 'IVRS_SIM_RATE', 12, 0, 6000),
    simulatorAwkwardShare: num(env, 'IVRS_SIM_AWKWARD_SHARE', 0.1, 0, 1),
    trustProxy: trustProxy(env),
    databaseUrl: databaseUrl(env),
    secretKey: secretKey(env),
    databaseWaitMs: num(env, 'IVRS_DATABASE_WAIT_S', 60, 0, 3600) * 1000,
    lockStaleMs: num(env, 'IVRS_LOCK_STALE_MS', 30_000, 4_000, 600_000),
    logFormat: oneOf(env, 'IVRS_LOG_FORMAT', ['text', 'json'] as const, 'text'),
    logLevel: oneOf(env, 'IVRS_LOG_LEVEL', LOG_LEVELS, 'info'),
    logRetentionDays: integer(env, 'IVRS_LOG_RETENTION_DAYS', DEFAULT_LOG_RETENTION_DAYS),
  }
  checkTeamServer(config)
  return config
}

/**
 * The secrets the environment holds, for the logger to redact from the first line on: the API
 * key, the tokens, the key that seals the database's secrets and the database's password.
 */
export function environmentSecrets(env: EnvConfig): string[] {
  let dbPassword: string | null = null
  if (env.databaseUrl)
    try {
      dbPassword = decodeURIComponent(new URL(env.databaseUrl).password) || null
    } catch {
      // Checked by readEnvConfig: a URL.
    }
  return [env.vendorApiKey, env.webhookToken, env.apiToken, env.secretKey, dbPassword].filter(
    (s): s is string => !!s,
  )
}
