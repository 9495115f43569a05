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
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { startShipped } from './shipped'

export type ServerMode = 'shipped' | 'bare' | 'ours' | 'nostore' | 'naive'

export interface BenchServer {
  pid: number
  port: number
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
