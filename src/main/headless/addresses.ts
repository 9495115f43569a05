/** Where headless mode's API and browser mode are reached: one rule for `serve` and `npm run users`. */
import { isLoopbackHost, type EnvConfig } from '../config/env'
import { API_HOST } from '../api/server'

export interface ApiAddresses {
  /** Where this machine reaches the API: `http(s)://127.0.0.1:<port>` or the bound address. */
  localUrl: string
  /** The addresses the team opens (the names of `IVRS_API_HOSTNAMES`), when there are any. */
  teamUrls: string[]
}

/**
 * Where the API and the browser mode are reached on `port`: from this machine, and by the team
 * (the names of `IVRS_API_HOSTNAMES`). The one rule `serve` prints by and `npm run users` builds a
 * person's address with.
 */
export function apiAddresses(
  env: Pick<EnvConfig, 'apiHost' | 'apiHostnames'>,
  tls: boolean,
  port: number,
): ApiAddresses {
  const scheme = tls ? 'https' : 'http'
  const host =
    env.apiHost === '0.0.0.0' || env.apiHost === '::' || isLoopbackHost(env.apiHost)
      ? API_HOST
      : env.apiHost.includes(':')
        ? `[${env.apiHost}]`
        : env.apiHost
  return {
    localUrl: `${scheme}://${host}:${port}`,
    // Behind a proxy the team uses the proxy's port, which only the proxy knows.
    teamUrls: env.apiHostnames.map((n) => (tls ? `https://${n}:${port}` : `https://${n}`)),
  }
}

/** The address people open the app at: the team's first, else this machine's. */
export function appAddress(a: ApiAddresses): string {
  return a.teamUrls[0] ?? a.localUrl
}
