/**
 * The product as it ships, for the ingest benchmarks: `src/main/headless/serve.ts` (exactly what
 * `npm run serve` runs) in its own process on a throw-away data folder, ports 0 and otherwise
 * default settings (token generated, rate limit as shipped, every subscriber on), with a client
 * connected to the local API's event stream reading every event, as an open browser tab does.
 */
import { request } from 'undici'
import { startHeadless } from '../../support/headless'

export interface Shipped {
  pid: number
  /** The listener's port. */
  port: number
  /** The webhook token the process generated (read from the URL it printed). */
  token: string
  /** `call` events the event-stream client has read so far. */
  callEvents(): number
  /** Every event the client has read so far. */
  events(): number
  stop(): Promise<void>
}

export async function startShipped(
  dataDir: string,
  nodeArgs: string[] = [],
  /** More environment, e.g. IVRS_DATABASE_URL for the PostgreSQL backend. */
  env: Record<string, string> = {},
): Promise<Shipped> {
  const h = await startHeadless({ dataDir, nodeArgs, env, timeoutMs: 180_000 })
  // The data folder finishes its start-up in the background (id map, number index, every month
  // verified; logged on stderr): measure the receiver as it runs for days, not its first seconds.
  if (!env.IVRS_DATABASE_URL)
    for (let waited = 0; !h.stderr().includes('call store settled'); waited += 100) {
      if (waited > 180_000) throw new Error('the call store did not settle within 3 minutes')
      await new Promise((r) => setTimeout(r, 100))
    }
  const url = new URL(h.webhookUrl)
  const token = /\/api\/PostCallLogs\/([^/]+)\//.exec(url.pathname)?.[1]
  if (!token) throw new Error(`unexpected webhook URL ${h.webhookUrl}`)
  const sse = await request(`${h.apiUrl}/api/v1/events`, {
    headers: { authorization: `Bearer ${h.apiToken}` },
  })
  if (sse.statusCode !== 200) throw new Error(`event stream answered ${sse.statusCode}`)
  let calls = 0
  let events = 0
  const reading = (async () => {
    let buf = ''
    try {
      for await (const chunk of sse.body) {
        buf += (chunk as Buffer).toString('utf8')
        let at = 0
        for (let end = buf.indexOf('\n\n'); end !== -1; end = buf.indexOf('\n\n', at)) {
          // A frame is `id: …` (the team server's replay ids), then `event: …`, then data.
          const name = /^event: (.*)$/m.exec(buf.slice(at, end))?.[1]
          if (name !== undefined) {
            events++
            if (name === 'call:stored') calls++
          }
          at = end + 2
        }
        buf = buf.slice(at)
      }
    } catch {
      // The server went away (stop): nothing more to read.
    }
  })()
  return {
    pid: h.child.pid!,
    port: Number(url.port),
    token,
    callEvents: () => calls,
    events: () => events,
    async stop() {
      sse.body.destroy()
      await reading
      const code = await h.stop()
      if (code !== 0) throw new Error(`serve.ts exited with ${code}\n${h.stderr()}`)
    },
  }
}
