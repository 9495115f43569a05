/**
 * CPU time the server spends per push (less noisy than pushes/s on a shared machine):
 * `node --import tsx test/bench/ingest/cpu.ts [shipped|bare|ours|nostore] [requests] [connections]
 * [inorder|backlog]`. Modes as in `servers.ts`; `shipped` is `npm run serve` with an event-stream
 * client attached. With BENCH_PROF=<dir>, the server writes a V8 CPU profile there.
 * BENCH_SEEDED=<n> seeds the store with n calls first, 40,000 of them in the current month (as
 * `bench:ingest` does).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { cpuMs, startServer, type ServerMode } from './servers'
import { pushSource, type Workload } from './workloads'
import { seedStore } from './seed'

const mode = (process.argv[2] ?? 'shipped') as ServerMode
const amount = Number(process.argv[3] ?? 40_000)
const connections = Number(process.argv[4] ?? 100)
const workload = (process.argv[5] ?? 'inorder') as Workload
const prof = process.env.BENCH_PROF
const seededCalls = Number(process.env.BENCH_SEEDED ?? 0)
const dir = await mkdtemp(join(tmpdir(), 'ivrs-cpu-'))
if (seededCalls > 0) await seedStore(join(dir, 'calls'), seededCalls, { currentMonth: 40_000 })
const server = await startServer(mode, dir, prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : [])
const run = (n: number, w: Workload) => {
  const next = pushSource(w, server.token, n)
  let seq = 0
  return autocannon({
    url: `http://127.0.0.1:${server.port}`,
    connections,
    amount: n,
    requests: [
      {
        method: 'GET',
        setupRequest: (req) => {
          req.path = next(seq++)
          return req
        },
      },
    ],
  })
}
await run(5000, 'inorder')
const t0 = cpuMs(server.pid)
const r = await run(amount, workload)
const used = cpuMs(server.pid) - t0
console.log(
  `${mode} ${workload}: ${((used * 1000) / amount).toFixed(1)} µs CPU/push, ` +
    `${r.requests.average.toFixed(0)} pushes/s, non-2xx ${r.non2xx}` +
    (server.events ? `, ${server.events()} events read` : ''),
)
await server.stop()
await rm(dir, { recursive: true, force: true })
