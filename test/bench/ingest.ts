/**
 * `npm run bench:ingest`: how fast the product as it ships makes pushes durable, against the
 * ceiling and against the obvious implementation. Each server runs in its own process (see
 * `ingest/servers.ts`); autocannon drives it from this process, every request a call id never
 * used before. Prints figures and ratios measured side by side in one run; asserts nothing.
 *
 *   shipped   `src/main/headless/serve.ts` exactly as `npm run serve` runs it (temp data folder,
 *             ports 0, default settings: every subscriber on, the rate limit as shipped), with
 *             an event-stream client connected to the local API and reading every event
 *   bare      a fastify route answering `Accepted`: no parsing, no storage (the ceiling)
 *   listener  the listener and the call store alone, without subscribers or local API: a test
 *             seam, reported separately and labelled so
 *   naive     a lowdb array + `await db.write()` per push
 *   postgres  `serve.ts` as shipped with IVRS_DATABASE_URL: one instance, and two on one database
 *             with the load generator spreading its connections over both (round-robin); a
 *             throw-away PostgreSQL cluster with its default, durable settings (fsync on), its
 *             CPU counted with the instances'
 *
 * Workloads (see `ingest/workloads.ts`): pushes of calls that started just now, in time order,
 * over an empty store and over a store seeded with BENCH_STORED calls (BENCH_CURRENT_MONTH of
 * them in the current month); and over that seeded store, a backlog replay of BENCH_BACKLOG
 * pushes of calls from the last three days in random order, beside the same number in order.
 *
 * The servers run side by side and take turns, BENCH_ROUNDS rounds; a ratio compares the means.
 *
 * Env: BENCH_SECONDS (per timed run, default 10), BENCH_ROUNDS (2), BENCH_WARMUP (s, default 2),
 * BENCH_STORED (1,000,000), BENCH_CURRENT_MONTH (40,000), BENCH_BACKLOG (20,000),
 * BENCH_NAIVE_STORED (10,000), BENCH_CONNECTIONS ("10,100").
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { seedNaive, seedStore } from './ingest/seed'
import { readFileSync } from 'node:fs'
import {
  cpuMs,
  startServer,
  startShippedOnPostgres,
  type BenchServer,
  type ServerMode,
} from './ingest/servers'
import { createDatabase, startCluster, type PgCluster } from '../support/postgres'
import { pushSource, type Workload } from './ingest/workloads'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2)
const STORED = Number(process.env.BENCH_STORED ?? 1_000_000)
const CURRENT_MONTH = Number(process.env.BENCH_CURRENT_MONTH ?? 40_000)
const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 20_000)
const NAIVE_STORED = Number(process.env.BENCH_NAIVE_STORED ?? 10_000)
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '10,100').split(',').map(Number)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2)
const MAIN = CONNECTIONS.includes(100) ? 100 : CONNECTIONS.at(-1)!

interface Figures {
  rps: number
  p50: number
  p99: number
  requests: number
  /** Answers other than `200 Accepted`, errors and timeouts. */
  bad: number
  /** Server CPU time (user + system) per push, µs. */
  cpuUs: number
}

/** One load run: for `seconds`, or until `amount` pushes are answered. */
async function load(
  server: BenchServer,
  connections: number,
  workload: Workload,
  run: { seconds: number } | { amount: number },
): Promise<Figures> {
  const amount = 'amount' in run ? run.amount : 0
  const ports = server.ports ?? [server.port]
  const cpu = server.cpu ?? (() => cpuMs(server.pid))
  let bad = 0
  const cpu0 = cpu()
  const t0 = performance.now()
  // Several instances: the connections and the pushes are spread over them evenly.
  const results = await Promise.all(
    ports.map((port) => {
      const next = pushSource(workload, server.token, amount || 20_000)
      let n = 0
      return autocannon({
        url: `http://127.0.0.1:${port}`,
        connections: Math.max(1, Math.round(connections / ports.length)),
        ...('amount' in run
          ? { amount: Math.round(run.amount / ports.length) }
          : { duration: run.seconds }),
        requests: [
          {
            method: 'GET',
            setupRequest: (req) => {
              req.path = next(n++)
              return req
            },
            onResponse: (status, body) => {
              if (status !== 200 || body !== 'Accepted') bad++
            },
          },
        ],
      })
    }),
  )
  const seconds = (performance.now() - t0) / 1000
  const total = results.reduce((a, r) => a + r.requests.total, 0)
  return {
    rps: total / seconds,
    p50: Math.max(...results.map((r) => r.latency.p50)),
    p99: Math.max(...results.map((r) => r.latency.p99)),
    requests: total,
    bad: bad + results.reduce((a, r) => a + r.errors + r.timeouts, 0),
    cpuUs: total > 0 ? ((cpu() - cpu0) * 1000) / total : NaN,
  }
}

function print(label: string, connections: number, f: Figures, server: BenchServer): void {
  const events = server.events ? `, ${server.events().toLocaleString('en')} events read` : ''
  console.log(
    `${label.padEnd(50)} ${String(connections).padStart(4)} conn ${f.rps.toFixed(0).padStart(7)} pushes/s` +
      `  p50 ${String(f.p50).padStart(4)} ms  p99 ${String(f.p99).padStart(5)} ms` +
      `  CPU ${f.cpuUs.toFixed(0).padStart(4)} µs/push` +
      `  (${f.requests.toLocaleString('en')} requests${f.bad ? `, ${f.bad} NOT Accepted` : ''}${events})`,
  )
}

function ratio(name: string, x: number | undefined, y: number | undefined, target: string): void {
  const r = (x ?? NaN) / (y ?? NaN)
  console.log(`${name.padEnd(58)} ${r.toFixed(2).padStart(6)}   (${target})`)
}

const temps: string[] = []
const temp = async (): Promise<string> => {
  const d = await mkdtemp(join(tmpdir(), 'ivrs-bench-'))
  temps.push(d)
  return d
}

/** A server under test, its label, and its figures per connection count (one per round). */
interface Entry {
  label: string
  server: BenchServer
  runs: Map<number, Figures[]>
}

const mean = (fs: Figures[] | undefined): number =>
  fs && fs.length > 0 ? fs.reduce((a, f) => a + f.rps, 0) / fs.length : NaN

let entries: Entry[] = []
let cluster: PgCluster | null = null
try {
  console.log(
    `ingest bench: ${SECONDS} s per timed run, ${ROUNDS} rounds, warm-up ${WARMUP} s, ` +
      `connections ${CONNECTIONS.join('/')}`,
  )
  const fullDir = await temp()
  let t0 = Date.now()
  await seedStore(join(fullDir, 'calls'), STORED, { currentMonth: CURRENT_MONTH })
  const stored = `${STORED.toLocaleString('en')} stored`
  console.log(
    `(seeded ${STORED.toLocaleString('en')} calls, ${CURRENT_MONTH.toLocaleString('en')} of them ` +
      `this month, in ${((Date.now() - t0) / 1000).toFixed(1)} s)`,
  )
  const naiveDir = await temp()
  await seedNaive(naiveDir, NAIVE_STORED)

  // Every server runs at once (an idle one costs nothing) and they take turns, round after
  // round: on a shared machine, load that comes and goes then weighs on all of them alike.
  cluster = await startCluster({ durability: 'durable' })
  const postmaster = Number(
    readFileSync(join(cluster.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0],
  )
  const onPostgres = async (instances: number): Promise<BenchServer> => {
    const url = await createDatabase(cluster!.adminUrl, `bench${instances}`)
    const dirs = await Promise.all(Array.from({ length: instances }, temp))
    return startShippedOnPostgres(url, dirs, postmaster)
  }
  const start = async (
    label: string,
    mode: ServerMode | 'pg1' | 'pg2',
    dir: string,
  ): Promise<Entry> => {
    t0 = Date.now()
    const server =
      mode === 'pg1'
        ? await onPostgres(1)
        : mode === 'pg2'
          ? await onPostgres(2)
          : await startServer(mode, dir)
    if (WARMUP > 0) await load(server, 10, 'inorder', { seconds: WARMUP })
    console.log(`(${label}: started in ${((Date.now() - t0) / 1000).toFixed(1)} s)`)
    const entry = { label, server, runs: new Map<number, Figures[]>() }
    entries.push(entry)
    return entry
  }
  const bare = await start('bare fastify route (no storage)', 'bare', await temp())
  const shipped = await start('SHIPPED serve.ts + SSE, empty store', 'shipped', await temp())
  const full = await start(`SHIPPED serve.ts + SSE, ${stored}`, 'shipped', fullDir)
  const pg1 = await start('SHIPPED on PostgreSQL, 1 instance, empty', 'pg1', '')
  const pg2 = await start('SHIPPED on PostgreSQL, 2 instances (round-robin), empty', 'pg2', '')
  const listener = await start('listener + store only (test seam), empty', 'ours', await temp())
  const naive = await start(
    `naive lowdb, ${NAIVE_STORED.toLocaleString('en')} stored`,
    'naive',
    naiveDir,
  )

  for (let round = 1; round <= ROUNDS; round++)
    for (const c of CONNECTIONS)
      for (const e of entries) {
        const f = await load(e.server, c, 'inorder', { seconds: SECONDS })
        e.runs.set(c, [...(e.runs.get(c) ?? []), f])
        print(e.label, c, f, e.server)
      }

  // The same number of pushes each way on the same server, in the order A B B A, so that the
  // store growing and the heap filling weigh on both alike.
  const inOrder: Figures[] = []
  const backlog: Figures[] = []
  const n = BACKLOG.toLocaleString('en')
  for (const w of ['inorder', 'backlog', 'backlog', 'inorder'] as const) {
    const f = await load(full.server, MAIN, w, { amount: BACKLOG })
    ;(w === 'inorder' ? inOrder : backlog).push(f)
    const what = w === 'inorder' ? `${n} pushes in time order` : `${n} backlog pushes, random order`
    print(`${stored}: ${what}`, MAIN, f, full.server)
  }

  console.log('')
  for (const c of CONNECTIONS)
    ratio(
      `shipped / bare, ${c} conn (SSE attached)`,
      mean(shipped.runs.get(c)),
      mean(bare.runs.get(c)),
      c === 100 ? 'target >= 0.4' : 'for reference',
    )
  for (const c of CONNECTIONS)
    ratio(
      `shipped ${stored} / shipped empty, ${c} conn`,
      mean(full.runs.get(c)),
      mean(shipped.runs.get(c)),
      'target >= 0.8',
    )
  ratio(
    `backlog replay / in time order (${n} pushes x2, ${stored})`,
    mean(backlog),
    mean(inOrder),
    'target >= 0.8',
  )
  for (const c of CONNECTIONS)
    ratio(
      `shipped / naive, ${c} conn`,
      mean(shipped.runs.get(c)),
      mean(naive.runs.get(c)),
      'target >= 50',
    )
  const onPg: [string, Entry, Entry, string][] = [
    ['PostgreSQL 1 instance / bare', pg1, bare, 'for reference'],
    ['PostgreSQL 1 instance / file store (shipped)', pg1, shipped, 'for reference'],
    ['PostgreSQL 2 instances / bare', pg2, bare, 'for reference'],
    ['PostgreSQL 2 instances / file store (shipped)', pg2, shipped, 'for reference'],
    ['PostgreSQL 2 instances / 1 instance', pg2, pg1, 'same database, one machine'],
  ]
  for (const c of CONNECTIONS)
    for (const [name, x, y, note] of onPg)
      ratio(`${name}, ${c} conn`, mean(x.runs.get(c)), mean(y.runs.get(c)), note)
  for (const c of CONNECTIONS)
    ratio(
      `listener only (test seam) / bare, ${c} conn`,
      mean(listener.runs.get(c)),
      mean(bare.runs.get(c)),
      'not the product: no subscribers, no API',
    )
} finally {
  for (const e of entries) await e.server.stop().catch((err: unknown) => console.error(err))
  entries = []
  cluster?.stop()
  for (const d of temps) await rm(d, { recursive: true, force: true })
}
