/**
 * The local API's lifecycle: binds the app of `app.ts` (to the loopback interface unless a team
 * server offers it further, see `teamServer.ts`) and closes it without waiting on open event
 * streams.
 */
import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { buildApiApp, type ApiAppDeps } from './app'

/** The interface the local API listens on unless `IVRS_API_HOST` says otherwise. */
export const API_HOST = '127.0.0.1'

/** How long requests in flight may take to finish once the API stops. */
export const STOP_GRACE_MS = 2_000

/** A fresh API token: 256 random bits, base64url (safe in a header and a URL fragment). */
export function generateApiToken(): string {
  return randomBytes(32).toString('base64url')
}

/** Build the app here from its dependencies (the Host check then reads the bound port). */
export interface ApiServerOptions extends Omit<ApiAppDeps, 'port'> {
  /** Port to bind; 0 picks a free one. */
  port: number
  /** Interface to bind (default {@link API_HOST}). */
  host?: string
}

/** Or wrap an app built by the caller, whose `port()` must answer the bound port after start. */
export interface ApiServerWithApp {
  app: FastifyInstance
  /** Port to bind; 0 picks a free one. */
  port: number
  /** Interface to bind (default {@link API_HOST}). */
  host?: string
}

/** Owns `listen` and `close` for the local API. */
export class ApiServer {
  /** The fastify instance (for tests and for wiring extra hooks before start). */
  readonly app: FastifyInstance
  private boundPort = 0
  private readonly requestedPort: number
  private readonly host: string

  constructor(options: ApiServerOptions | ApiServerWithApp) {
    this.requestedPort = options.port
    this.host = options.host ?? API_HOST
    this.app =
      'app' in options ? options.app : buildApiApp({ ...options, port: () => this.boundPort })
  }

  /** Binds the interface and answers the port actually bound. */
  async start(): Promise<{ port: number }> {
    await this.app.listen({ host: this.host, port: this.requestedPort })
    this.boundPort = (this.app.server.address() as AddressInfo).port
    return { port: this.boundPort }
  }

  /** The bound port (0 before start). */
  get port(): number {
    return this.boundPort
  }

  /**
   * Ends open event streams, then stops listening; requests in flight get {@link STOP_GRACE_MS}
   * to finish. After that every connection is closed: a client's connection that is open but
   * idle, or has not sent its request yet, would otherwise hold the close for a minute or more.
   */
  async stop(): Promise<void> {
    const force = setTimeout(() => this.app.server.closeAllConnections(), STOP_GRACE_MS)
    try {
      await this.app.close()
    } finally {
      clearTimeout(force)
    }
  }
}
