/**
 * CPU time the server spends per push (less noisy than pushes/s on a shared machine):
 * `node --import tsx test/bench/ingest/cpu.ts [bare|ours] [requests] [connections]`.
 * With BENCH_PROF=<dir>, the server writes a V8 CPU profile there.
 */
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { pushPath } from './push'

const mode = process.argv[2] ?? 'ours'
const amount = Number(process.argv[3] ?? 40_000)
const connections = Number(process.argv[4] ?? 100)
const TOKEN = 'bench_token_0123456789abcdef'
const SERVER = fileURLToPath(new URL('./server.ts', import.meta.url))
const prof = process.env.BENCH_PROF
const dir = await mkdtemp(join(tmpdir(), 'ivrs-cpu-'))
const args = ['--import', 'tsx', ...(prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : [])]
const proc = spawn(process.execPath, [...args, SERVER, mode], {
  env: { ...process.env, BENCH_DIR: dir, BENCH_TOKEN: TOKEN, NODE_ENV: 'production' },
  stdio: ['ignore', 'pipe', 'inherit'],
})
const line = await new Promise<string>((resolve) =>
  createInterface({ input: proc.stdout! }).once('line', resolve),
)
const port = (JSON.parse(line) as { port: number }).port
const ticks = (): number => {
  const f = readFileSync(`/proc/${proc.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return Number(f[11]) + Number(f[12])
}
let seq = 0
const run = (n: number) =>
  autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    amount: n,
    requests: [
      {
        method: 'GET',
        setupRequest: (req) => {
          const id = `cpu-${process.pid}-${++seq}`
          req.path = pushPath(TOKEN, id)
          return req
        },
      },
    ],
  })
await run(5000)
const t0 = ticks()
const r = await run(amount)
const cpuMs = (ticks() - t0) * 10
console.log(
  `${mode}: ${((cpuMs * 1000) / amount).toFixed(1)} µs CPU/push, ${r.requests.average.toFixed(0)} pushes/s, non-2xx ${r.non2xx}`,
)
const done = new Promise<void>((res) => proc.once('exit', () => res()))
proc.kill('SIGTERM')
await done
await rm(dir, { recursive: true, force: true })
