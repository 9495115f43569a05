import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

/** What the fake does with one request instead of answering as the vendor would. */
export type Behaviour =
  | { kind: 'vendor' }
  | { kind: 'answer'; status: number; body: string; apply?: boolean }
  | { kind: 'hang' }
  | { kind: 'reset' }
  | { kind: 'hangBody' }
  | { kind: 'huge'; bytes: number }

export interface RequestRecord {
  /** The raw request target, exactly as it arrived (path + query string). */
  url: string
  query: URLSearchParams
}

const DAYS = ['Daily', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']
const TIME12 = /^(0\d|1[0-2]):[0-5]\d (AM|PM)$/

function minutes(t: string): number {
  const [hm, ap] = t.split(' ')
  const [h, m] = hm!.split(':').map(Number)
  return ((h! % 12) + (ap === 'PM' ? 12 : 0)) * 60 + m!
}

/**
 * A fake `handler.ashx` on loopback that behaves like the document: checks apikey and custid,
 * validates each action's format, answers `Success` or a refusal, and keeps state. Tests script
 * misbehaviour (hangs, resets, 5xx, garbage) per request with {@link FakeVendor.script}.
 * Every request is recorded; `applied` lists the ones that changed state, in order.
 */
export class FakeVendor {
  readonly requests: RequestRecord[] = []
  readonly applied: URLSearchParams[] = []
  readonly agents = new Map<string, string>()
  readonly holidays = new Set<string>()
  readonly officeTimes = new Map<string, { st: string; en: string }>()
  private queue: Behaviour[] = []
  private sockets = new Set<Socket>()
  private server: Server | null = null
  /** Answered with this body when a request was applied (tests vary case and space). */
  successBody = 'Success'
  /** While true every connection is cut without an answer (the vendor is unreachable). */
  down = false

  constructor(
    readonly apiKey = 'test-key-Zq81',
    readonly custId = 'C123',
  ) {}

  /** Behaviours for the next requests, in order; afterwards the fake answers as the vendor. */
  script(...b: Behaviour[]): void {
    this.queue.push(...b)
  }

  async start(port = 0): Promise<string> {
    this.server = createServer((req, res) => this.handle(req, res))
    this.server.on('connection', (s) => {
      this.sockets.add(s)
      s.on('close', () => this.sockets.delete(s))
    })
    await new Promise<void>((r) => this.server!.listen(port, '127.0.0.1', r))
    return this.url()
  }

  url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`
  }

  port(): number {
    return (this.server!.address() as AddressInfo).port
  }

  async stop(): Promise<void> {
    if (!this.server) return
    for (const s of this.sockets) s.destroy()
    await new Promise<void>((r) => this.server!.close(() => r()))
    this.server = null
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? ''
    const query = new URL(url, 'http://x').searchParams
    this.requests.push({ url, query })
    if (this.down) {
      req.socket.destroy()
      return
    }
    const b = this.queue.shift() ?? { kind: 'vendor' }
    switch (b.kind) {
      case 'hang':
        return
      case 'reset':
        req.socket.destroy()
        return
      case 'hangBody':
        res.writeHead(200, { 'content-type': 'text/plain' })
        res.write('Succ')
        return
      case 'huge':
        res.writeHead(200, { 'content-type': 'text/plain' })
        res.end('x'.repeat(b.bytes))
        return
      case 'answer':
        if (b.apply) this.apply(query)
        res.writeHead(b.status, { 'content-type': 'text/plain' })
        res.end(b.body)
        return
      case 'vendor': {
        const answer = this.vendor(query)
        res.writeHead(200, { 'content-type': 'text/plain' })
        res.end(answer)
      }
    }
  }

  /** The vendor's own rules; applies the change and answers `Success`, or refuses. */
  private vendor(q: URLSearchParams): string {
    if (!url(q)) return 'Invalid Request'
    if (q.get('apikey') !== this.apiKey) return 'Invalid API Key'
    if (q.get('custid') !== this.custId) return 'Invalid Customer'
    const action = q.get('action')
    if (action === 'ManageAgent') {
      if (!/^\+?\d{3,15}$/.test(q.get('agentnum') ?? '')) return 'Invalid Agent'
      if (!['OFF', 'AVAIL'].includes(q.get('status') ?? '')) return 'Invalid Status'
    } else if (action === 'holiday') {
      const d = q.get('hdate') ?? ''
      if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(Date.parse(d))) return 'Invalid Date'
    } else if (action === 'OfficeTime') {
      if (!DAYS.includes(q.get('day') ?? '')) return 'Invalid Day'
      const st = q.get('st_time') ?? ''
      const en = q.get('en_time') ?? ''
      if (!TIME12.test(st) || !TIME12.test(en) || minutes(st) >= minutes(en)) return 'Invalid Time'
    } else {
      return 'Invalid Action'
    }
    this.apply(q)
    return this.successBody
  }

  private apply(q: URLSearchParams): void {
    this.applied.push(q)
    const action = q.get('action')
    if (action === 'ManageAgent') this.agents.set(q.get('agentnum')!, q.get('status')!)
    if (action === 'holiday') this.holidays.add(q.get('hdate')!)
    if (action === 'OfficeTime')
      this.officeTimes.set(q.get('day')!, { st: q.get('st_time')!, en: q.get('en_time')! })
  }
}

function url(q: URLSearchParams): boolean {
  return q.has('apikey') && q.has('custid') && q.has('action')
}
