/**
 * `npm run bench:ingest`: how fast the listener makes pushes durable, against the ceiling and
 * against the obvious implementation. Each server runs in its own child process; autocannon
 * drives it from this process with a unique call id per request. Prints figures and ratios;
 * asserts nothing (benches print, tests assert).
 *
 *   bare   fastify route answering `Accepted`: no parsing, no storage (the ceiling)
 *   ours   the real listener + FileCallStore (fsync'd journal, group commit), empty store
 *   full   ours again with BENCH_STORED calls already stored (default 1,000,000)
 *   naive  lowdb array + `await db.write()` per push, BENCH_NAIVE_STORED calls stored (10,000)
 *
 * Env: BENCH_SECONDS (per measurement, default 10), BENCH_WARMUP (s, default 2),
 * BENCH_STORED, BENCH_NAIVE_STORED, BENCH_CONNECTIONS (default "10,100").
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { seedNaive, seedStore } from './ingest/seed'
import { pushPath } from './ingest/push'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2)
const STORED = Number(process.env.BENCH_STORED ?? 1_000_000)
const NAIVE_STORED = Number(process.env.BENCH_NAIVE_STORED ?? 10_000)
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '10,100').split(',').map(Number)
const TOKEN = 'bench_token_0123456789abcdef'
const SERVER = fileURLToPath(new URL('./ingest/server.ts', import.meta.url))

interface Figures {
  rps: number
  p50: number
  p99: number
  requests: number
  bad: number
}

async function startServer(mode: string, dir = ''): Promise<{ proc: ChildProcess; port: number }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', SERVER, mode], {
    env: { ...process.env, BENCH_DIR: dir, BENCH_TOKEN: TOKEN, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: proc.stdout! }).once('line', resolve)
    proc.once('exit', (code) => reject(new Error(`${mode} server exited (${code})`)))
  })
  return { proc, port: (JSON.parse(line) as { port: number }).port }
}

async function stopServer(proc: ChildProcess): Promise<void> {
  const done = new Promise<void>((r) => proc.once('exit', () => r()))
  proc.kill('SIGTERM')
  await done
}

let seq = 0
let notAccepted = 0
/** One autocannon run; every request carries a call id never used before. */
async function load(port: number, connections: number, seconds: number): Promise<Figures> {
  notAccepted = 0
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'GET',
        setupRequest: (req) => {
          const id = `bench-${process.pid}-${++seq}`
          req.path = pushPath(TOKEN, id)
          return req
        },
        onResponse: (status, body) => {
          if (status !== 200 || body !== 'Accepted') notAccepted++
        },
      },
    ],
  })
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    bad: notAccepted + result.errors + result.timeouts,
  }
}

async function measure(label: string, mode: string, dir = ''): Promise<Map<number, Figures>> {
  const { proc, port } = await startServer(mode, dir)
  const out = new Map<number, Figures>()
  try {
    if (WARMUP > 0) await load(port, 10, WARMUP)
    for (const c of CONNECTIONS) {
      const f = await load(port, c, SECONDS)
      out.set(c, f)
      console.log(
        `${label.padEnd(34)} ${String(c).padStart(4)} conn  ${f.rps.toFixed(0).padStart(7)} pushes/s` +
          `  p50 ${String(f.p50).padStart(4)} ms  p99 ${String(f.p99).padStart(5)} ms` +
          `  (${f.requests} requests${f.bad ? `, ${f.bad} NOT Accepted` : ''})`,
      )
    }
  } finally {
    await stopServer(proc)
  }
  return out
}

function ratio(name: string, a: Map<number, Figures>, b: Map<number, Figures>, target: string) {
  for (const c of CONNECTIONS) {
    const x = a.get(c)?.rps ?? NaN
    const y = b.get(c)?.rps ?? NaN
    console.log(
      `${name.padEnd(34)} ${String(c).padStart(4)} conn  ${(x / y).toFixed(2)}  (${target})`,
    )
  }
}

const temps: string[] = []
const temp = async (): Promise<string> => {
  const d = await mkdtemp(join(tmpdir(), 'ivrs-bench-'))
  temps.push(d)
  return d
}

try {
  console.log(
    `ingest bench: ${SECONDS} s per run, warm-up ${WARMUP} s, connections ${CONNECTIONS.join('/')}`,
  )
  const bare = await measure('bare fastify (no storage)', 'bare')
  const ours = await measure('ours, empty store', 'ours', await temp())

  const fullDir = await temp()
  let t0 = Date.now()
  await seedStore(join(fullDir, 'calls'), STORED)
  console.log(
    `(seeded ${STORED.toLocaleString('en')} calls in ${((Date.now() - t0) / 1000).toFixed(1)} s)`,
  )
  const full = await measure(`ours, ${STORED.toLocaleString('en')} stored`, 'ours', fullDir)

  const naiveDir = await temp()
  t0 = Date.now()
  await seedNaive(naiveDir, NAIVE_STORED)
  const naive = await measure(
    `naive lowdb, ${NAIVE_STORED.toLocaleString('en')} stored`,
    'naive',
    naiveDir,
  )

  console.log('')
  ratio('ours / bare', ours, bare, 'target >= 0.4 at 100')
  ratio('full / empty', full, ours, 'target >= 0.8')
  ratio('ours / naive', ours, naive, 'target >= 50')
} finally {
  for (const d of temps) await rm(d, { recursive: true, force: true })
}
