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
      staticDir: opts.staticDir,
      logger,
      events,
      user: opts.user,
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
    apiPort = (await api.start()).port
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
