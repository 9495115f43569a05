/**
 * Starting and stopping the servers the ingest benchmarks compare, each in its own process (so
 * the load generator never shares its event loop or CPU accounting):
 *
 *   shipped  `src/main/headless/serve.ts` as `npm run serve` runs it, an event-stream client
 *            attached (see `shipped.ts`): the product
 *   bare     a fastify route answering `Accepted`: no parsing, no storage (the ceiling)
 *   ours     the listener + FileCallStore alone: no subscribers, no local API (a test seam,
 *            reported separately as the listener-only figure)
 *   nostore  the listener over a store that keeps nothing (what parsing and answering cost)
 *   naive    a lowdb array + `await db.write()` per push (the obvious implementation)
 */
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { startShipped, type Shipped } from './shipped'

export type ServerMode = 'shipped' | 'bare' | 'ours' | 'nostore' | 'naive'

export interface BenchServer {
  pid: number
  port: number
  /** Several instances of one product: the load is spread over these ports (round-robin). */
  ports?: number[]
  /** CPU time (ms) of every process serving the pushes, when that is more than `pid`. */
  cpu?: () => number
  /** The webhook token to push with. */
  token: string
  /** Events the event-stream client read (shipped only). */
  events?: () => number
  stop(): Promise<void>
}

const TOKEN = 'bench_token_0123456789abcdef'
const SERVER = fileURLToPath(new URL('./server.ts', import.meta.url))

/** Starts `mode` on the data folder `dir`; `nodeArgs` go in front of the script (`--cpu-prof`). */
export async function startServer(
  mode: ServerMode,
  dir: string,
  nodeArgs: string[] = [],
): Promise<BenchServer> {
  if (mode === 'shipped') {
    const s = await startShipped(dir, nodeArgs)
    return { pid: s.pid, port: s.port, token: s.token, events: s.events, stop: s.stop }
  }
  const proc = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', SERVER, mode], {
    env: { ...process.env, BENCH_DIR: dir, BENCH_TOKEN: TOKEN, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: proc.stdout! }).once('line', resolve)
    proc.once('exit', (code) => reject(new Error(`${mode} server exited (${code})`)))
  })
  const exited = new Promise<void>((r) => proc.once('exit', () => r()))
  return {
    pid: proc.pid!,
    port: (JSON.parse(line) as { port: number }).port,
    token: TOKEN,
    async stop() {
      proc.kill('SIGTERM')
      await exited
    },
  }
}

/** CPU time (user + system, ms) the process `pid` has used so far (Linux `/proc`). */
export function cpuMs(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(f[11]) + Number(f[12])) * 10
}

/**
 * CPU time (ms) of a PostgreSQL server: the postmaster, the children it has reaped, and the
 * children alive now (one backend per connection).
 */
export function postgresCpuMs(postmaster: number): number {
  const fields = (pid: number | string): string[] | null => {
    try {
      return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    } catch {
      return null
    }
  }
  const root = fields(postmaster)
  if (!root) return NaN
  let ticks = Number(root[11]) + Number(root[12]) + Number(root[13]) + Number(root[14])
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const f = fields(entry)
    if (f && Number(f[1]) === postmaster) ticks += Number(f[11]) + Number(f[12])
  }
  return ticks * 10
}

/**
 * `serve.ts` on PostgreSQL, `instances` of it on one database (the same IVRS_SECRET_KEY, so one
 * webhook token), each with its own folder and an event-stream client; the load generator
 * spreads its connections over them. CPU counts every instance and the database server.
 */
export async function startShippedOnPostgres(
  url: string,
  dirs: string[],
  postmaster: number,
): Promise<BenchServer> {
  const env = { IVRS_DATABASE_URL: url, IVRS_SECRET_KEY: 'bench-secret-key-of-enough-length' }
  const all: Shipped[] = []
  for (const dir of dirs) all.push(await startShipped(dir, [], env))
  return {
    pid: all[0]!.pid,
    port: all[0]!.port,
    ports: all.map((s) => s.port),
    token: all[0]!.token,
    events: () => all.reduce((n, s) => n + s.events(), 0),
    cpu: () => all.reduce((n, s) => n + cpuMs(s.pid), 0) + postgresCpuMs(postmaster),
    async stop() {
      for (const s of all) await s.stop()
    },
  }
}
