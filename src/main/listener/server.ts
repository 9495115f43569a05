import type { FastifyInstance } from 'fastify'
import type { ListenerState } from '../../shared/domain'
import { buildListenerApp, LISTENER_TIMEOUTS, type ListenerDeps } from './app'
import { frontConnections } from './requestLineFront'

/** Node's own limit on a request's line and headers together (its default maxHeaderSize). */
const HEADER_BYTES = 16 * 1024

export interface ListenerServerOptions extends ListenerDeps {
  host: string
  /** 0 picks a free port. */
  port: number
}

export interface ListenerStatus {
  state: ListenerState
  host: string
  port: number
  /** Why it is not listening, in words for the user. Never contains the token. */
  error: string | null
}

/**
 * Owns the listener's socket: start, stop (graceful: in-flight pushes finish) and status.
 * A port already in use or refused puts it in state `failed` with a readable error instead of
 * throwing, so the rest of the app keeps running and the UI can tell the user.
 */
export class ListenerServer {
  private app: FastifyInstance | null = null
  private state: ListenerState = 'stopped'
  private host: string
  private port: number
  private error: string | null = null
  private closing = false

  constructor(private readonly opts: ListenerServerOptions) {
    this.host = opts.host
    this.port = opts.port
  }

  /** Listens; resolves with the bound address (also when it failed: see {@link status}). */
  async start(): Promise<{ host: string; port: number }> {
    if (this.app) return { host: this.host, port: this.port }
    this.state = 'starting'
    this.error = null
    this.closing = false
    // While stopping, answers to in-flight pushes close their connection, so a keep-alive
    // client does not hold stop() open until its idle timeout.
    // Timeouts are set where the app makes its server (LISTENER_TIMEOUTS in app.ts).
    const app = buildListenerApp({ ...this.opts, closing: () => this.closing })
    const server = app.server
    // Request lines as real vendors send them (raw spaces, raw UTF-8) repaired before the parser.
    frontConnections(server, {
      lineBytes: HEADER_BYTES,
      lineMs: LISTENER_TIMEOUTS.headersMs,
      headerBytes: HEADER_BYTES,
    })
    try {
      await app.listen({ host: this.opts.host, port: this.opts.port })
    } catch (err) {
      await app.close().catch(() => {})
      this.state = 'failed'
      this.error = describeListenError(err, this.opts.host, this.opts.port)
      this.opts.logger.error('listener could not start', { error: this.error })
      return { host: this.host, port: this.port }
    }
    const addr = server.address()
    if (addr && typeof addr === 'object') {
      this.host = addr.address
      this.port = addr.port
    }
    this.app = app
    this.state = 'listening'
    this.opts.logger.info('listener listening', { host: this.host, port: this.port })
    return { host: this.host, port: this.port }
  }

  /** Stops accepting, lets in-flight pushes finish (their answers are sent), then resolves. */
  async stop(): Promise<void> {
    const app = this.app
    this.app = null
    this.closing = true
    try {
      if (app) await app.close()
    } finally {
      this.closing = false
    }
    if (this.state !== 'failed') this.state = 'stopped'
  }

  status(): ListenerStatus {
    return { state: this.state, host: this.host, port: this.port, error: this.error }
  }

  /**
   * For a caller that cannot run without the listener (headless mode): why it is not listening,
   * as the error to fail with, or null when it listens.
   */
  unavailable(): ListenerUnavailableError | null {
    if (this.state === 'listening') return null
    return new ListenerUnavailableError(
      `The webhook listener cannot start: ${this.error ?? 'unknown error'}`,
    )
  }
}

/** The webhook listener could not listen; the message names the port and what to do. */
export class ListenerUnavailableError extends Error {}

function describeListenError(err: unknown, host: string, port: number): string {
  const code = (err as NodeJS.ErrnoException).code
  if (code === 'EADDRINUSE')
    return `Port ${port} on ${host} is already in use by another program. Close it or set IVRS_WEBHOOK_PORT to a free port.`
  if (code === 'EACCES')
    return `Not allowed to listen on port ${port} on ${host}. Choose a port above 1024.`
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
    return `The address ${host} is not available on this machine (IVRS_WEBHOOK_HOST).`
  return `The listener could not start on ${host}:${port} (${code ?? 'unknown error'}).`
}
