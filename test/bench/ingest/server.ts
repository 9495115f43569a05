/**
 * One server of the ingest benchmark, run in its own process (so the load generator never
 * shares its CPU time slice accounting or event loop). Usage: `server.ts bare|ours|naive`,
 * with BENCH_DIR (ours: the store folder; naive: the folder of the lowdb file) and BENCH_TOKEN.
 * Prints `{"port":N}` when listening; SIGTERM closes cleanly.
 */
import { join } from 'node:path'
import Fastify from 'fastify'
import { Low } from 'lowdb'
import { JSONFile } from 'lowdb/node'
import { EventBus } from '../../../src/main/events/bus'
import { ListenerServer } from '../../../src/main/listener/server'
import { FileCallStore } from '../../../src/main/storage/folder/fileCallStore'
import type { Call } from '../../../src/shared/domain'
import type { CallStore } from '../../../src/main/storage/types'
import { FileRejectedLog } from '../../../src/main/storage/folder/rejectedLog'
import { systemClock } from '../../../src/main/ground/clock'
import { silentLogger } from '../../../src/main/ground/logger'

const mode = process.argv[2]
const token = process.env.BENCH_TOKEN ?? 'bench_token_0123456789abcdef'
const dir = process.env.BENCH_DIR ?? ''
let close: () => Promise<void>
let port: number

if (mode === 'bare') {
  // The ceiling: the same framework and route shape, no parsing, no storage.
  const app = Fastify({ logger: false })
  app.get('/api/PostCallLogs/:token/', async (_req, reply) =>
    reply.type('text/plain').send('Accepted'),
  )
  await app.listen({ host: '127.0.0.1', port: 0 })
  port = (app.server.address() as { port: number }).port
  close = () => app.close()
} else if (mode === 'ours' || mode === 'nostore') {
  // nostore: the real listener over a store that keeps nothing (what the listener itself costs).
  const file = await FileCallStore.open({
    dir: join(dir, 'calls'),
    timezone: 'Asia/Kolkata',
    clock: systemClock,
    logger: silentLogger,
    // Experiments only: how much of a push's cost the checkpoints are.
    ...(process.env.BENCH_CHECKPOINT_BYTES
      ? { checkpointBytes: Number(process.env.BENCH_CHECKPOINT_BYTES) }
      : {}),
  })
  const store: CallStore =
    mode === 'ours'
      ? file
      : ({
          upsert: async (fields) => ({ outcome: 'created', call: { id: fields.id } as Call }),
        } as Partial<CallStore> as CallStore)
  const rejected = await FileRejectedLog.open({ dir: join(dir, 'rejected'), clock: systemClock })
  const server = new ListenerServer({
    store,
    rejected,
    bus: new EventBus(),
    token,
    timezone: 'Asia/Kolkata',
    clock: systemClock,
    logger: silentLogger,
    host: '127.0.0.1',
    port: 0,
  })
  port = (await server.start()).port
  close = async () => {
    await server.stop()
    await file.close()
    await rejected.close()
  }
} else if (mode === 'naive') {
  // What a user would otherwise write: a lowdb array, one `await db.write()` per push.
  const db = new Low<{ calls: Record<string, unknown>[] }>(new JSONFile(join(dir, 'db.json')), {
    calls: [],
  })
  await db.read()
  const app = Fastify({ logger: false })
  app.get('/api/PostCallLogs/:token/', async (req, reply) => {
    const q = req.query as Record<string, string>
    const existing = db.data.calls.findIndex((c) => c.calllogid === q.calllogid)
    const row = { ...q, receivedAt: new Date().toISOString() }
    if (existing === -1) db.data.calls.push(row)
    else db.data.calls[existing] = row
    await db.write()
    return reply.type('text/plain').send('Accepted')
  })
  await app.listen({ host: '127.0.0.1', port: 0 })
  port = (app.server.address() as { port: number }).port
  close = () => app.close()
} else {
  throw new Error('usage: server.ts bare|ours|nostore|naive')
}

if (process.env.BENCH_GC) {
  // Experiments: time spent in each kind of garbage collection, printed at exit.
  const { PerformanceObserver, constants } = await import('node:perf_hooks')
  const kinds: Record<number, string> = {
    [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge',
    [constants.NODE_PERFORMANCE_GC_MAJOR]: 'mark-compact',
    [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
    [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak',
  }
  const sum = new Map<string, { n: number; ms: number }>()
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const k = kinds[(e as unknown as { detail: { kind: number } }).detail.kind] ?? 'other'
      const v = sum.get(k) ?? { n: 0, ms: 0 }
      v.n++
      v.ms += e.duration
      sum.set(k, v)
    }
  }).observe({ entryTypes: ['gc'] })
  process.on('exit', () => {
    for (const [k, v] of sum) console.error(`gc ${k}: ${v.n} x, ${v.ms.toFixed(0)} ms`)
  })
}

process.stdout.write(JSON.stringify({ port }) + '\n')
process.on('SIGTERM', () => {
  void close().then(() => process.exit(0))
})
