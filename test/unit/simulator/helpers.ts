import { MockAgent } from 'undici'
import { CallGenerator, type CallGeneratorOptions } from '../../../src/main/simulator/generator'
import { SIMULATED_AGENTS } from '../../../src/main/simulator/roster'
import { SimulatorState } from '../../../src/main/simulator/state'
import { seeded } from '../../support/fixtures'

export { seeded }

export const TARGET = 'http://listener.test/ivr/tok_abcdefghijklmnopqrstuv/calls'

/** A generator pushing into undici's MockAgent, which records every query it receives. */
export function fakeSetup(
  opts: Partial<CallGeneratorOptions> & { answer?: { status: number; body: string } } = {},
): {
  state: SimulatorState
  gen: CallGenerator
  received: URLSearchParams[]
  mock: MockAgent
} {
  const state = new SimulatorState(SIMULATED_AGENTS)
  const received: URLSearchParams[] = []
  const mock = new MockAgent()
  mock.disableNetConnect()
  const answer = opts.answer ?? { status: 200, body: 'Successful / Accepted' }
  mock
    .get('http://listener.test')
    .intercept({ path: () => true, method: 'GET' })
    .reply((req) => {
      received.push(new URL(req.path, 'http://listener.test').searchParams)
      return { statusCode: answer.status, data: answer.body }
    })
    .persist()
  const gen = new CallGenerator({
    target: TARGET,
    simulator: { model: state, recordingUrl: (id) => `http://127.0.0.1:9/recordings/${id}.wav` },
    timezone: 'Asia/Kolkata',
    callsPerMinute: 0,
    random: seeded(42),
    clock: { now: () => Date.parse('2026-03-10T11:00:00+05:30') },
    dispatcher: mock,
    ...opts,
  })
  return { state, gen, received, mock }
}
