/**
 * `npm run bench:history`: seeds BENCH_CALLS (default 1,000,000) calls over two years into a
 * temporary call store, then, in a fresh child process (so memory figures are honest), measures
 * opening the store, resident memory, filtered history pages, a one-month CSV export and the
 * 30-day dashboard (with the 30 days before it for comparison, its in/after hours judged by a
 * schedule and its agents' missed calls by their status history, as the app's are). Prints figures,
 * asserts nothing (see conventions: benches print, tests assert).
 *
 * BENCH_BACKEND: `file` (the data folder), `postgres` (a throw-away PostgreSQL cluster with its
 * default, durable settings, seeded through the store's own import, then ANALYZEd) or `both`
 * (default), one after the other with the same calls. BENCH_DIR and BENCH_DATABASE_URL keep a
 * seeded store between runs.
 */
import { fileDocuments } from '../../src/main/storage/folder/documents'
import { spawn, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { cp, mkdir, mkdtemp, rm, stat as fsStat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { performance } from 'node:perf_hooks'
import { DateTime } from 'luxon'
import { stringify } from 'csv-stringify/sync'
import type { Call, CallFields } from '../../src/shared/domain'
import { CallBulkLoader } from '../../src/main/storage/folder/bulkLoad'
import { FIELD_KEYS } from '../../src/main/storage/callVersions'
import { FileCallStore } from '../../src/main/storage/folder/fileCallStore'
import { computeDashboard, type Availability } from '../../src/main/insight/dashboard'
import { AgentAvailability } from '../../src/main/ivrSettings/agentAvailability'
import { silentLogger } from '../../src/main/ground/logger'
import { ScheduleHistory } from '../../src/main/ivrSettings/scheduleHistory'
import type { CallStore } from '../../src/main/storage/types'
import { Database } from '../../src/main/storage/postgres/database'
import { MonthPartitions } from '../../src/main/storage/postgres/partitions'
import { importCalls, PgCallStore } from '../../src/main/storage/postgres/pgCallStore'
import { AGENTS, DEPTS, generatedCall, seeded } from '../support/fixtures'
import { createDatabase, startCluster } from '../support/postgres'

const ZONE = 'Asia/Kolkata'
const NOW = DateTime.fromISO('2026-03-15T18:00:00', { zone: ZONE })
const DAYS = 730
/** The seeded calls, a month at a time, oldest first. */
async function generate(total: number, write: (month: Call[]) => Promise<void>): Promise<void> {
  const rnd = seeded(42)
  const first = NOW.startOf('day').minus({ days: DAYS - 1 })
  const perDay = total / DAYS
  let n = 0
  let month: Call[] = []
  let monthKey = first.toFormat('yyyy-MM')
  for (let d = 0; d < DAYS; d++) {
    const day = first.plus({ days: d })
    if (day.toFormat('yyyy-MM') !== monthKey) {
      await write(month)
      month = []
      monthKey = day.toFormat('yyyy-MM')
    }
    const count = Math.round(perDay * (d + 1)) - Math.round(perDay * d)
    for (let k = 0; k < count; k++) {
      // Office-hours heavy: most calls between 08:00 and 20:00.
      const secs = Math.floor(
        (rnd() < 0.9 ? 8 * 3600 + rnd() * 12 * 3600 : rnd() * 86400) as number,
      )
      month.push(generatedCall(n++, day.toMillis() + secs * 1000, rnd))
    }
  }
  await write(month)
}

async function seedFolder(dir: string, total: number): Promise<void> {
  const loader = await CallBulkLoader.create(dir, ZONE)
  await generate(total, (month) => loader.writeCalls(month))
  await loader.finish()
}

async function seedPostgres(url: string, total: number): Promise<void> {
  const db = await Database.open({ url, logger: silentLogger })
  try {
    const partitions = await MonthPartitions.open(db, ZONE, NOW.toMillis())
    await generate(total, async (month) => {
      await partitions.ensure(
        month.flatMap((c) => partitions.monthsAround(Date.parse(c.startedAt))),
      )
      for (let i = 0; i < month.length; i += 5_000)
        await db.transaction((c) => importCalls(c, month.slice(i, i + 5_000)))
    })
    // What autovacuum would do on its own a little later: statistics for the planner.
    await db.query('ANALYZE')
  } finally {
    await db.close()
  }
}

/**
 * The judge of in/after office hours the shipped dashboard is given (`closedAt`): office hours
 * recorded before the first seeded call, and a holiday in the last 30 days, in a schedule history
 * of its own (the same for both backends).
 */
async function officeHoursJudge(): Promise<{
  closedAt: (ms: number) => boolean | null
  remove: () => Promise<void>
}> {
  const dir = await mkdtemp(join(tmpdir(), 'ivrs-bench-schedule-'))
  const clock = { now: () => NOW.minus({ days: DAYS + 1 }).toMillis() }
  const history = await ScheduleHistory.open({
    documents: fileDocuments(dir),
    clock,
    logger: silentLogger,
  })
  await history.record(
    {
      hours: { Daily: { start: '09:30', end: '18:00' } },
      holidays: new Map([[NOW.minus({ days: 10 }).toISODate()!, 'Holiday']]),
    },
    ZONE,
  )
  return {
    closedAt: history.closedAt(ZONE),
    remove: () => rm(dir, { recursive: true, force: true }),
  }
}

/**
 * The agents' directory and status history the shipped dashboard is given (`availability`): the
 * 40 agents in the five departments, each confirmed AVAIL at 09:30 and OFF at 18:00 every day of
 * the last 70 (a document of 5,600 spans, read as the app reads it).
 */
async function agentsJudge(): Promise<{
  availability: Availability
  remove: () => Promise<void>
}> {
  const dir = await mkdtemp(join(tmpdir(), 'ivrs-bench-agents-'))
  const spans: { number: string; status: string; from: string; to: string | null }[] = []
  for (const number of AGENTS) {
    let last: (typeof spans)[number] | null = null
    for (let d = 70; d >= 0; d--) {
      const day = NOW.minus({ days: d }).startOf('day')
      for (const [status, at] of [
        ['AVAIL', day.set({ hour: 9, minute: 30 })],
        ['OFF', day.set({ hour: 18 })],
      ] as const) {
        const from = at.toUTC().toISO()!
        if (last) last.to = from
        last = { number, status, from, to: null }
        spans.push(last)
      }
    }
  }
  await writeFile(join(dir, 'agent-availability.json'), JSON.stringify({ version: 1, spans }))
  const clock = { now: () => NOW.toMillis() }
  const history = await AgentAvailability.open({
    documents: fileDocuments(dir),
    clock,
    logger: silentLogger,
  })
  return {
    availability: {
      agents: AGENTS.map((n, i) => ({ normalizedNumber: n, department: DEPTS[i % DEPTS.length]! })),
      availableAt: history.availableAt(),
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  }
}

interface Stat {
  name: string
  n: number
  p50: number
  p95: number
  note?: string
}

function stat(name: string, samples: number[], note?: string): Stat {
  const s = [...samples].sort((a, b) => a - b)
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))]!
  return { name, n: s.length, p50: at(0.5), p95: at(0.95), note }
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now()
  await fn()
  return performance.now() - t
}

/** Opens the seeded store of `backend` at `where` (a folder or a database URL). */
async function openStore(
  backend: string,
  where: string,
): Promise<{ store: CallStore; close: () => Promise<void> }> {
  const clock = { now: () => NOW.toMillis() }
  if (backend === 'postgres') {
    const db = await Database.open({ url: where, logger: silentLogger })
    const store = await PgCallStore.open({
      db,
      notifications: null,
      timezone: ZONE,
      clock,
      logger: silentLogger,
    })
    return { store, close: () => store.close().then(() => db.close()) }
  }
  const store = await FileCallStore.open({
    dir: where,
    timezone: ZONE,
    clock,
    logger: silentLogger,
    checkpointIntervalMs: 0,
  })
  return { store, close: () => store.close() }
}

/**
 * Bytes this process has read so far (Linux `/proc/self/io`): `rchar` counts every byte read
 * through read(2) and its kin, from the page cache or the disk alike (what the store asked for),
 * `read_bytes` only what the disk itself delivered (0 when the files were cached). Null elsewhere.
 */
function bytesRead(): { rchar: number; disk: number } | null {
  try {
    const io = readFileSync('/proc/self/io', 'utf8')
    const field = (name: string): number =>
      Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(io)?.[1])
    return { rchar: field('rchar'), disk: field('read_bytes') }
  } catch {
    return null
  }
}

const cpuMs = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000

/** The measuring side, run in a fresh process. */
async function child(backend: string, where: string): Promise<void> {
  const io0 = bytesRead()
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const { store, close } = await openStore(backend, where)
  const openMs = performance.now() - t0
  const cpuOpenMs = cpuMs(process.cpuUsage(cpu0))
  const ioOpen = bytesRead()
  const rssAfterOpen = process.memoryUsage().rss
  // The data folder finishes its start-up in the background (id map, number index, every month
  // verified once): the queries below measure the settled store, and how long settling took
  // (the app answers meanwhile; a query reaching an unchecked month checks it first) is printed.
  const settledStore = store as Partial<Pick<FileCallStore, 'settled'>>
  if (settledStore.settled) await settledStore.settled()
  const settledMs = performance.now() - t0
  const cpuSettledMs = cpuMs(process.cpuUsage(cpu0))
  const ioSettled = bytesRead()
  const readMb = (io: { rchar: number; disk: number } | null) =>
    io && io0
      ? { rchar: (io.rchar - io0.rchar) / 2 ** 20, disk: (io.disk - io0.disk) / 2 ** 20 }
      : null
  const read = { open: readMb(ioOpen), settled: readMb(ioSettled) }
  const stats: Stat[] = []
  const month = (ago: number): { from: string; to: string } => {
    const m = NOW.minus({ months: ago })
    return { from: m.startOf('month').toISODate()!, to: m.endOf('month').toISODate()! }
  }
  const runs = 40

  let samples: number[] = []
  for (let i = 0; i < runs; i++)
    samples.push(await time(() => store.query({ ...month(1), status: 'MISSED', limit: 50 })))
  stats.push(stat('history page: last month, MISSED', samples))

  samples = []
  for (let i = 0; i < runs; i++)
    samples.push(await time(() => store.query({ ...month(8), status: 'MISSED', limit: 50 })))
  stats.push(
    stat(
      'history page: 8 months ago, MISSED',
      samples,
      backend === 'file' ? 'older month: calls read by byte range' : undefined,
    ),
  )

  samples = []
  const rnd = seeded(7)
  for (let i = 0; i < runs; i++) {
    const digits = String(Math.floor(rnd() * 200_000))
      .padStart(6, '0')
      .slice(0, 5)
    samples.push(await time(() => store.query({ q: digits, limit: 50 })))
  }
  stats.push(stat("history page: 'q' number search, all time", samples))

  samples = []
  for (let i = 0; i < runs; i++) {
    const first = await store.query({ limit: 50 })
    samples.push(await time(() => store.query({ limit: 50, cursor: first.nextCursor! })))
  }
  stats.push(stat('history page: unfiltered, page 2', samples))

  samples = []
  let rows = 0
  for (let i = 0; i < 12; i++) {
    // A different older month each time: every run parses a month from disk (LRU miss).
    samples.push(
      await time(async () => {
        rows = 0
        let batch: unknown[][] = []
        for await (const c of store.iterate(month(3 + i))) {
          batch.push([c.id, c.startedAt, c.status, c.callerNumber, c.agentNumber, c.department])
          if (batch.length === 1000) {
            stringify(batch)
            rows += batch.length
            batch = []
          }
        }
        rows += batch.length
        stringify(batch)
      }),
    )
  }
  stats.push(stat('CSV rows of one older month', samples, `${rows} rows, cold month each run`))

  samples = []
  const judge = await officeHoursJudge()
  const agents = await agentsJudge()
  for (let i = 0; i < runs; i++)
    samples.push(
      await time(() =>
        computeDashboard({
          store,
          range: '30d',
          now: NOW.toMillis(),
          timezone: ZONE,
          agentName: () => null,
          callbacks: [],
          closedAt: judge.closedAt,
          serviceLevelSeconds: 20,
          availability: agents.availability,
        }),
      ),
    )
  await judge.remove()
  await agents.remove()
  stats.push(
    stat(
      'dashboard 30 days',
      samples,
      'and the 30 before; in/after hours, agents available judged',
    ),
  )

  const out = {
    calls: store.size(),
    openMs,
    settledMs,
    cpuOpenMs,
    cpuSettledMs,
    read,
    rssAfterOpenMb: rssAfterOpen / 2 ** 20,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    stats,
  }
  await close()
  process.stdout.write(JSON.stringify(out))
}

/**
 * The first operations after start, in a fresh process on a throw-away copy of the store (a push
 * changes it): a push of a new call right after open, then an all-time number search. Start-up
 * leaves work to the background (the id map, the number index): what it has not done yet, the
 * first push or search does, so they show whether that work was made cheaper or only moved.
 */
async function firstOps(backend: string, where: string): Promise<void> {
  const { store, close } = await openStore(backend, where)
  const call = generatedCall(5_000_000, NOW.minus({ minutes: 5 }).toMillis(), seeded(11))
  const fields = Object.fromEntries(FIELD_KEYS.map((k) => [k, call[k]])) as unknown as CallFields
  const pushMs = await time(() => store.upsert(fields, call.raw, call.receivedAt))
  const searchMs = await time(() => store.query({ q: '12345', limit: 50 }))
  const out = { pushMs, searchMs }
  await close()
  process.stdout.write(JSON.stringify(out))
}

/** Runs this file's `--child <mode>` in a fresh process; returns what it printed. */
function runChild(args: string[]): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const p = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(import.meta.url), ...args],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    )
    let out = ''
    p.stdout.on('data', (d: Buffer) => (out += d.toString()))
    p.on('error', reject)
    p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`child exit ${code}`))))
  })
}

/** Measures `backend` at `where` in a fresh process and prints the figures. */
async function measure(backend: string, where: string): Promise<void> {
  console.log(`measuring ${backend} in a fresh process`)
  const result = await runChild(['--child', backend, where])
  const r = JSON.parse(result) as {
    calls: number
    openMs: number
    settledMs: number
    cpuOpenMs: number
    cpuSettledMs: number
    read: Record<'open' | 'settled', { rchar: number; disk: number } | null>
    rssAfterOpenMb: number
    maxRssMb: number
    stats: Stat[]
  }
  console.log(`\n== ${backend === 'postgres' ? 'PostgreSQL' : 'data folder'} ==`)
  console.log(`calls stored          ${r.calls.toLocaleString('en')}`)
  console.log(`open (start)          ${r.openMs.toFixed(0)} ms        target < 3000 ms`)
  if (backend !== 'postgres')
    console.log(`settled (background) ${r.settledMs.toFixed(0).padStart(5)} ms        after start`)
  // CPU time (user + system) of the measuring process: what start-up costs whatever else runs.
  console.log(
    `CPU until open        ${r.cpuOpenMs.toFixed(0)} ms, until settled ${r.cpuSettledMs.toFixed(0)} ms`,
  )
  for (const [when, io] of Object.entries(r.read))
    if (io)
      console.log(
        `read until ${when.padEnd(8)}   ${io.rchar.toFixed(0)} MB         (${io.disk.toFixed(0)} MB from the disk itself, the rest from the page cache)`,
      )
  console.log(`RSS after open        ${r.rssAfterOpenMb.toFixed(0)} MB         target < 600 MB`)
  console.log(
    `peak RSS (whole run)  ${r.maxRssMb.toFixed(0)} MB${backend === 'postgres' ? ' (this process; the server apart)' : ''}`,
  )
  console.log('')
  console.log(
    `${'measurement'.padEnd(44)} ${'runs'.padStart(4)} ${'p50 ms'.padStart(9)} ${'p95 ms'.padStart(9)}`,
  )
  for (const s of r.stats)
    console.log(
      `${s.name.padEnd(44)} ${String(s.n).padStart(4)} ${s.p50.toFixed(1).padStart(9)} ${s.p95.toFixed(1).padStart(9)}${s.note ? '   ' + s.note : ''}`,
    )
  console.log('\ntargets: history page p95 < 100 ms, dashboard p95 < 500 ms')
  if (backend !== 'file') return
  // A copy (timestamps kept, so the copy's months still match its manifest): the push changes it.
  const copy = await mkdtemp(join(tmpdir(), 'ivrs-bench-first-'))
  try {
    await cp(where, copy, { recursive: true, preserveTimestamps: true })
    // The copy's dirty pages written out first: else the push's fsync waits for them.
    spawnSync('sync')
    const first = JSON.parse(await runChild(['--first', backend, copy])) as {
      pushMs: number
      searchMs: number
    }
    console.log(`\nfirst operations right after open (fresh process, a copy of the store):`)
    console.log(`first push (a new call)            ${first.pushMs.toFixed(1)} ms`)
    console.log(`then a 'q' number search, all time ${first.searchMs.toFixed(1)} ms`)
  } finally {
    await rm(copy, { recursive: true, force: true })
  }
}

async function main(): Promise<void> {
  const total = Number(process.env.BENCH_CALLS ?? 1_000_000)
  const backend = process.env.BENCH_BACKEND ?? 'both'
  if (backend === 'file' || backend === 'both') await benchFolder(total)
  if (backend === 'postgres' || backend === 'both') await benchPostgres(total)
}

async function benchPostgres(total: number): Promise<void> {
  // BENCH_DATABASE_URL keeps a seeded database between runs (seeded once when empty, never
  // dropped), as BENCH_DIR keeps a data folder: the server is then the caller's.
  const keep = process.env.BENCH_DATABASE_URL
  const cluster = keep ? null : await startCluster({ durability: 'durable' })
  try {
    const url = keep ?? (await createDatabase(cluster!.adminUrl, 'bench'))
    const seededAlready = keep ? await storedCalls(keep) : 0
    if (seededAlready > 0)
      console.log(
        `reusing the ${seededAlready.toLocaleString('en')} calls seeded in BENCH_DATABASE_URL`,
      )
    else {
      console.log(
        `seeding ${total.toLocaleString('en')} calls over ${DAYS} days into PostgreSQL ...`,
      )
      const t = performance.now()
      await seedPostgres(url, total)
      console.log(`seeded in ${((performance.now() - t) / 1000).toFixed(1)} s`)
    }
    await measure('postgres', url)
  } finally {
    cluster?.stop()
  }
}

/** How many calls a database already holds (0 when it has no schema yet). */
async function storedCalls(url: string): Promise<number> {
  const db = await Database.open({ url, logger: silentLogger })
  try {
    const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM call_ids')
    return Number(rows[0]?.n ?? 0)
  } finally {
    await db.close()
  }
}

async function benchFolder(total: number): Promise<void> {
  // BENCH_DIR keeps the seeded store between runs (seeded once when empty, never deleted).
  const keep = process.env.BENCH_DIR
  const dir = keep ?? (await mkdtemp(join(tmpdir(), 'ivrs-bench-history-')))
  try {
    if (keep && (await fsStat(join(keep, 'meta.json')).catch(() => null)))
      console.log(`reusing the store seeded in ${dir}`)
    else {
      console.log(`seeding ${total.toLocaleString('en')} calls over ${DAYS} days into ${dir} ...`)
      const t = performance.now()
      await mkdir(dir, { recursive: true })
      await seedFolder(dir, total)
      console.log(`seeded in ${((performance.now() - t) / 1000).toFixed(1)} s`)
    }
    await measure('file', dir)
  } finally {
    if (!keep) await rm(dir, { recursive: true, force: true })
  }
}

if (process.argv[2] === '--child') await child(process.argv[3]!, process.argv[4]!)
else if (process.argv[2] === '--first') await firstOps(process.argv[3]!, process.argv[4]!)
else await main()
