import { createHash, timingSafeEqual } from 'node:crypto'
import Fastify, { type FastifyInstance } from 'fastify'
import { VENDOR_HANDLER_PATH } from '../../shared/vendorPaths'
import type { SimulatorState } from './state'

/** What the simulated vendor checks every settings request against. */
export interface VendorAppOptions {
  state: SimulatorState
  apiKey: string
  custId: string
  /** The WAV served for every `/recordings/<callId>.wav`. */
  recording: Buffer
}

/** One settings request as the simulator saw it (the API key never kept). */
export interface VendorRequestRecord {
  /** Parameters with lower-cased names, `apikey` left out. */
  params: Record<string, string>
  answer: string
}

/** Where the simulator lists the settings requests it received (JSON, oldest first). */
export const SIMULATOR_REQUESTS_PATH = '/simulator/requests'

const RECORDING_FILE = /^[A-Za-z0-9_.-]{1,120}\.wav$/
const REQUEST_LOG_CAP = 500

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest()
  const b = createHash('sha256').update(expected).digest()
  return timingSafeEqual(a, b)
}

/**
 * Query parameters with lower-cased names and the first value of a repeated name. Names are
 * matched without case because the vendor's handler is ASP.NET, whose query collection ignores
 * case; values of `action`, `status` and `day` are matched without case too (the document itself
 * writes both `AVAIL` and `Avail`). Formats (dates, times) are checked strictly.
 */
function lowerKeys(query: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (!query || typeof query !== 'object') return out
  for (const [k, v] of Object.entries(query as Record<string, unknown>)) {
    const key = k.toLowerCase()
    if (key in out) continue
    const value = Array.isArray(v) ? v[0] : v
    out[key] = typeof value === 'string' ? value : ''
  }
  return out
}

/** Applies one settings request to the state; returns the vendor's plain-text answer. */
export function answerSettings(
  p: Record<string, string>,
  opts: Pick<VendorAppOptions, 'state' | 'apiKey' | 'custId'>,
): string {
  if (!sameSecret(p.apikey ?? '', opts.apiKey)) return 'Invalid API Key'
  if ((p.custid ?? '').trim() !== opts.custId) return 'Invalid Customer'
  switch ((p.action ?? '').trim().toLowerCase()) {
    case 'manageagent':
      return opts.state.setAgentStatus(p.agentnum ?? '', p.status ?? '')
    case 'holiday':
      return opts.state.addHoliday(p.hdate ?? '')
    case 'officetime':
      return opts.state.setOfficeTime(p.day ?? '', p.st_time ?? '', p.en_time ?? '')
    default:
      return 'Invalid Action'
  }
}

/**
 * The simulated vendor as a fastify app that never listens (see {@link IvrSimulator} for the
 * server): `GET /settings/handler.ashx` answering `Success` or a refusal in plain text with
 * HTTP 200, as the document shows, and `GET /recordings/<callId>.wav`.
 */
export function buildVendorApp(opts: VendorAppOptions): {
  app: FastifyInstance
  requests: VendorRequestRecord[]
} {
  const app = Fastify({ logger: false })
  const requests: VendorRequestRecord[] = []

  app.get(VENDOR_HANDLER_PATH, async (req, reply) => {
    const params = lowerKeys(req.query)
    const answer = answerSettings(params, opts)
    const { apikey: _secret, ...kept } = params
    requests.push({ params: kept, answer })
    if (requests.length > REQUEST_LOG_CAP) requests.shift()
    return reply.type('text/plain; charset=utf-8').send(answer)
  })

  // What the simulated vendor was asked, for tests and demos that check what the app sent (not a
  // vendor API): the same key and customer id as the settings endpoint, never the key itself.
  app.get(SIMULATOR_REQUESTS_PATH, async (req, reply) => {
    const p = lowerKeys(req.query)
    if (!sameSecret(p.apikey ?? '', opts.apiKey) || (p.custid ?? '').trim() !== opts.custId)
      return reply.code(403).type('text/plain; charset=utf-8').send('Invalid API Key')
    return reply.send(requests)
  })

  app.get<{ Params: { file: string } }>('/recordings/:file', async (req, reply) => {
    if (!RECORDING_FILE.test(req.params.file)) {
      return reply.code(404).type('text/plain; charset=utf-8').send('Not Found')
    }
    return reply
      .type('audio/wav')
      .header('cache-control', 'public, max-age=86400')
      .send(opts.recording)
  })

  return { app, requests }
}
