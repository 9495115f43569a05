/**
 * Headless mode's HTTP side: the local API (loopback, or a team server's network with TLS or
 * behind a declared proxy) and the loopback-only admin channel `npm run users` uses while the
 * server holds the data folder. Both serve the same contract from the same core and share one
 * event hub (one id sequence, one replay window).
 */
import { randomBytes } from 'node:crypto'
import type { EnvConfig } from '../config/env'
import { isLoopbackHost } from '../config/env'
import type { AppCore } from '../core/createCore'
import type { Logger } from '../ground/logger'
import { buildApiApp } from '../api/app'
import { API_HOST, ApiServer } from '../api/server'
import { createSseHub } from '../api/sse'
import { COMMAND_LINE, removeAdminChannel, writeAdminChannel } from '../accounts/adminChannel'
import { apiAddresses, type ApiAddresses } from './addresses'

export interface ApiServers extends ApiAddresses {
  port: number
  stop(): Promise<void>
}

export async function startApiServers(opts: {
  core: AppCore
  env: EnvConfig
  apiToken: string
  tls: { cert: Buffer; key: Buffer } | null
  staticDir: string | null
  logger: Logger
  /** The OS user running the server: the launch token's owner. */
  user: string
}): Promise<ApiServers> {
  const { core, env, logger } = opts
  const events = createSseHub(core, logger)
  const metrics = core.metrics.withProcessMetrics()
  metrics.countEventClients(() => events.size)
  const beyondLoopback = !isLoopbackHost(env.apiHost)

  let apiPort = 0
  const api = new ApiServer({
    app: buildApiApp({
      core,
      token: opts.apiToken,
      accounts: core.accounts,
      port: () => apiPort,
      hostnames: env.apiHostnames,
      ipHosts: beyondLoopback,
      https: opts.tls,
      trustProxy: env.trustProxy,
      // Plain HTTP beyond this machine: to the declared proxies only, which add the TLS.
      peers: beyondLoopback && !opts.tls ? env.trustProxy : null,
      staticDir: opts.staticDir,
      logger,
      events,
      user: opts.user,
      watch: {
        ready: () => core.ready(),
        metrics: async () => ({ contentType: metrics.contentType, text: await metrics.text() }),
      },
    }),
    port: env.apiPort,
    host: env.apiHost,
  })

  let adminPort = 0
  const adminToken = randomBytes(32).toString('base64url')
  const admin = new ApiServer({
    app: buildApiApp({
      core,
      token: adminToken,
      port: () => adminPort,
      staticDir: null,
      logger,
      events,
      user: COMMAND_LINE,
    }),
    port: 0,
    host: API_HOST,
  })

  const stop = async (): Promise<void> => {
    await removeAdminChannel(env.dataDir).catch(() => {})
    await Promise.allSettled([api.stop(), admin.stop()])
    events.dispose()
  }
  try {
    apiPort = await api.start().then(
      (bound) => bound.port,
      (err: unknown) => {
        throw describeBindError(err, env.apiHost, env.apiPort)
      },
    )
    adminPort = (await admin.start()).port
    await writeAdminChannel(env.dataDir, {
      url: `http://${API_HOST}:${adminPort}`,
      token: adminToken,
      pid: process.pid,
    })
  } catch (err) {
    await stop()
    throw err
  }

  return { ...apiAddresses(env, opts.tls !== null, apiPort), port: apiPort, stop }
}

/** Why the API could not listen, naming the port and the variable that moves it. */
function describeBindError(err: unknown, host: string, port: number): Error {
  const code = (err as NodeJS.ErrnoException).code
  if (code === 'EADDRINUSE')
    return new Error(
      `The API port ${port} on ${host} is already in use by another program (another IVR Supervisor?): stop it, or set IVRS_API_PORT to a free port.`,
    )
  if (code === 'EACCES')
    return new Error(
      `Not allowed to listen on port ${port} on ${host} (IVRS_API_PORT): choose a port above 1024.`,
    )
  if (code === 'EADDRNOTAVAIL')
    return new Error(`The address ${host} is not available on this machine (IVRS_API_HOST).`)
  return err instanceof Error ? err : new Error(String(err))
}
