import { randomBytes, randomInt } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { silentLogger, type Logger } from '../ground/logger'
import { SIMULATED_AGENTS, type SimulatedAgent } from './roster'
import { SimulatorState, type SimulatorSnapshot } from './state'
import { buildVendorApp, type VendorRequestRecord } from './vendorApp'
import { toneWav } from './wav'

export interface IvrSimulatorOptions {
  /** Interface to bind; loopback by default (the simulator is never meant to be reachable). */
  host?: string
  /** 0 picks a free port. */
  port?: number
  /** Generated when absent (never the document's example key). */
  apiKey?: string
  custId?: string
  agents?: readonly SimulatedAgent[]
  logger?: Logger
}

/**
 * The built-in IVR vendor: a real HTTP server with the vendor's settings endpoint
 * (`/settings/handler.ashx`) and the recordings it links to. It stands in for the vendor when
 * none is configured; {@link CallGenerator} makes calls that obey its state.
 */
export class IvrSimulator {
  readonly apiKey: string
  readonly custId: string
  /** The live state the generator routes calls by. */
  readonly model: SimulatorState
  private readonly host: string
  private readonly port: number
  private readonly logger: Logger
  private readonly app: FastifyInstance
  private readonly log: VendorRequestRecord[]
  private baseUrl: string | null = null
  private closed = false

  constructor(opts: IvrSimulatorOptions = {}) {
    this.host = opts.host ?? '127.0.0.1'
    this.port = opts.port ?? 0
    this.logger = opts.logger ?? silentLogger
    this.apiKey = opts.apiKey ?? randomBytes(15).toString('base64url')
    this.custId = opts.custId ?? String(randomInt(10_000, 100_000))
    this.model = new SimulatorState(opts.agents ?? SIMULATED_AGENTS)
    const built = buildVendorApp({
      state: this.model,
      apiKey: this.apiKey,
      custId: this.custId,
      recording: toneWav(),
    })
    this.app = built.app
    this.log = built.requests
  }

  /** Binds the server; resolves with its base URL, e.g. `http://127.0.0.1:41234`. */
  async start(): Promise<{ url: string }> {
    if (this.baseUrl) return { url: this.baseUrl }
    if (this.closed) throw new Error('simulator: stopped, create a new one')
    await this.app.listen({ host: this.host, port: this.port })
    const addr = this.app.server.address()
    if (!addr || typeof addr === 'string') throw new Error('simulator: no TCP address after listen')
    const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address
    this.baseUrl = `http://${host}:${addr.port}`
    this.logger.info('IVR simulator listening', { url: this.baseUrl })
    return { url: this.baseUrl }
  }

  /** Closes the server (idempotent). A stopped simulator cannot be started again. */
  async stop(): Promise<void> {
    if (this.closed) return
    this.closed = true
    const wasListening = this.baseUrl !== null
    this.baseUrl = null
    await this.app.close()
    if (wasListening) this.logger.info('IVR simulator stopped')
  }

  /** Base URL; throws before {@link start}. Use it as the vendor URL of the settings client. */
  get url(): string {
    if (!this.baseUrl) throw new Error('simulator not started')
    return this.baseUrl
  }

  /** The recording link the generator puts in answered calls. */
  recordingUrl(callId: string): string {
    return `${this.url}/recordings/${encodeURIComponent(callId)}.wav`
  }

  /** A copy of the vendor's state: agents with status, holidays, office hours. */
  state(): SimulatorSnapshot {
    return this.model.snapshot()
  }

  /** The settings requests received so far, oldest first (API key left out), at most 500. */
  requests(): VendorRequestRecord[] {
    return this.log.map((r) => ({ params: { ...r.params }, answer: r.answer }))
  }

  /** The fastify app, for `inject` in tests. */
  get fastify(): FastifyInstance {
    return this.app
  }
}
