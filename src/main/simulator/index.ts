import type { Logger } from '../ground/logger'
import { CallGenerator } from './generator'
import { IvrSimulator } from './simulator'

export {
  CallGenerator,
  type PushOverrides,
  type PushResult,
  type GeneratorStats,
} from './generator'
export { IvrSimulator, type IvrSimulatorOptions } from './simulator'
export { SIMULATED_AGENTS, SIMULATED_DEPARTMENTS, type SimulatedAgent } from './roster'
export { AWKWARD_KINDS, type AwkwardKind, type SimulatedCall } from './awkward'
export type { SimulatorSnapshot } from './state'

export interface SimulationOptions {
  /** The listener URL the vendor would be given (with its token); null: none to push to. */
  listenerUrl: string | null
  timezone: string
  /** Simulator port (0 = any free port). */
  port: number
  callsPerMinute: number
  awkwardShare: number
  logger: Logger
  /** Start pushing calls right away (headless `--demo`); otherwise only the vendor runs. */
  generate: boolean
}

/** A running simulation: the vendor stand-in and its call generator. */
export interface Simulation {
  simulator: IvrSimulator
  generator: CallGenerator
  /** The vendor settings the client should use while the simulator stands in. */
  vendor: { url: string; apiKey: string; custId: string }
  stop(): Promise<void>
}

/**
 * Starts the simulator (and, when asked, its call generator) for the core. The API key it
 * returns is a generated secret: pass it to the vendor client, never to a log.
 */
export async function startSimulation(opts: SimulationOptions): Promise<Simulation> {
  const simulator = new IvrSimulator({ port: opts.port, logger: opts.logger })
  const { url } = await simulator.start()
  const generator = new CallGenerator({
    target: opts.listenerUrl,
    simulator,
    timezone: opts.timezone,
    callsPerMinute: opts.callsPerMinute,
    awkwardShare: opts.awkwardShare,
    logger: opts.logger,
  })
  if (opts.generate) generator.start()
  return {
    simulator,
    generator,
    vendor: { url, apiKey: simulator.apiKey, custId: simulator.custId },
    stop: async () => {
      await generator.stop()
      await simulator.stop()
    },
  }
}
