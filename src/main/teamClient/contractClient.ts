/**
 * The contract over a team server's HTTP API, from main (undici): the desktop app in client mode
 * and `npm run users` talking to a running server use it. Requests are built from the contract's routes as the
 * browser transport builds them; 200/202/422 answers are results; every other answer throws a
 * `UserError` in the server's words, and a server that cannot be reached throws one saying so.
 */
import { request, type Dispatcher } from 'undici'
import type { ApiErrorBody, RequestOf, ResponseOf } from '../../shared/contract'
import { buildHttpRequest } from '../../shared/httpRequest'
import type { CallExportQuery } from '../../shared/schemas'
import type { HandledChannel } from '../core/core'
import { UserError, type UserErrorStatus } from '../ground/errors'

export interface ContractClientOptions {
  /** The server's origin, e.g. `https://supervisor.example.com`. */
  baseUrl: string
  token: string
  /** An undici dispatcher (a test's trust of its own certificate); the global one otherwise. */
  dispatcher?: Dispatcher
  /** Longest wait for an answer's headers (default 30 s). */
  timeoutMs?: number
}

/** The server could not be reached at all (as opposed to answering with an error). */
export class UnreachableError extends UserError {
  constructor(baseUrl: string, cause: unknown) {
    const code = (cause as { code?: unknown }).code
    super(
      `The team server ${baseUrl} cannot be reached (${typeof code === 'string' ? code : (cause as Error).message}). It reconnects by itself once the server answers again.`,
      503,
    )
    this.name = 'UnreachableError'
  }
}

const RESULT_STATUSES = new Set([200, 202, 422])

/** The statuses a server's refusal keeps; anything else becomes 503 (the server failed). */
function statusOf(code: number): UserErrorStatus {
  const kept: UserErrorStatus[] = [400, 401, 403, 404, 409, 413, 422, 429]
  return (kept as number[]).includes(code) ? (code as UserErrorStatus) : 503
}

export class ContractClient {
  readonly baseUrl: string

  constructor(private readonly opts: ContractClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '')
  }

  /** Calls one channel on the server; answers what its handler answered there. */
  async call<C extends HandledChannel>(channel: C, req: RequestOf<C>): Promise<ResponseOf<C>> {
    const res = await this.send(channel, req)
    const text = await res.body.text()
    if (!RESULT_STATUSES.has(res.statusCode)) throw refusal(res.statusCode, text)
    return (text ? JSON.parse(text) : null) as ResponseOf<C>
  }

  /** The CSV export of the filtered calls, streamed chunk by chunk from the server. */
  async *exportCsv(query: CallExportQuery): AsyncGenerator<string> {
    const res = await this.send('calls:exportCsv', query)
    if (res.statusCode !== 200) throw refusal(res.statusCode, await res.body.text())
    res.body.setEncoding('utf8')
    for await (const chunk of res.body) yield chunk as string
  }

  private async send(channel: Parameters<typeof buildHttpRequest>[0], req: unknown) {
    const parts = buildHttpRequest(channel, req as never)
    try {
      return await request(this.baseUrl + parts.url, {
        method: parts.method as Dispatcher.HttpMethod,
        headers: {
          ...parts.headers,
          authorization: `Bearer ${this.opts.token}`,
          accept: 'application/json',
        },
        body: parts.body,
        dispatcher: this.opts.dispatcher,
        headersTimeout: this.opts.timeoutMs ?? 30_000,
        bodyTimeout: this.opts.timeoutMs ?? 30_000,
      })
    } catch (err) {
      throw new UnreachableError(this.baseUrl, err)
    }
  }
}

/** The server's error answer as a `UserError` in its own words. */
function refusal(status: number, text: string): UserError {
  let message = `The team server answered ${status}`
  let fields: string[] = []
  try {
    const body = JSON.parse(text) as Partial<ApiErrorBody>
    if (typeof body.error === 'string' && body.error) message = body.error
    if (Array.isArray(body.fields)) fields = body.fields
  } catch {
    // Not our JSON (a proxy's page): the status says it.
  }
  return new UserError(message, statusOf(status), fields)
}
