/**
 * A throw-away PostgreSQL cluster for the tests and benchmarks: `initdb` in a temp folder, a free
 * port on 127.0.0.1, its unix socket in that folder, run by the unprivileged `postgres` user when
 * this process is root (CI runs as root and PostgreSQL refuses to run as root). Removed by `stop`,
 * and on the way out of the process when a test run ends early, so no cluster is left running.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'

export interface PgCluster {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`: the superuser's maintenance database. */
  adminUrl: string
  port: number
  dir: string
  /** The URL of `database` on this cluster. */
  urlOf(database: string): string
  /** Stops the server (`fast`: clients are disconnected) and keeps the files. */
  halt(mode?: 'fast' | 'immediate'): void
  /** Starts it again on the same port after {@link halt}. */
  resume(): void
  /** Stops the server and removes every file. */
  stop(): void
}

/** Where the PostgreSQL server programs are: `PG_BIN`, else the newest Debian version installed. */
export function postgresBinDir(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN
  const base = '/usr/lib/postgresql'
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : []
  if (versions.length === 0)
    throw new Error(
      'PostgreSQL server programs not found (looked in /usr/lib/postgresql/*/bin and PG_BIN): ' +
        'install them with `apt-get install postgresql` (.ci/run does).',
    )
  return join(base, versions[0]!, 'bin')
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      srv.close(() => resolve(port))
    })
  })
}

const live = new Set<PgCluster>()
let exitHooked = false

function hookExit(): void {
  if (exitHooked) return
  exitHooked = true
  const cleanAll = (): void => {
    for (const c of [...live]) c.stop()
  }
  process.once('exit', cleanAll)
  for (const sig of ['SIGINT', 'SIGTERM'] as const)
    process.once(sig, () => {
      cleanAll()
      process.exit(130)
    })
}

export interface ClusterOptions {
  /**
   * `fast` turns fsync off: the tests kill our processes, never the machine, so the server's own
   * flushes only cost time there. Benchmarks keep PostgreSQL's defaults (`durable`).
   */
  durability?: 'fast' | 'durable'
}

/** initdb + start; throws with the server's log when it does not come up. */
export async function startCluster(opts: ClusterOptions = {}): Promise<PgCluster> {
  const bin = postgresBinDir()
  const dir = mkdtempSync(join(tmpdir(), 'ivrs-pg-'))
  const data = join(dir, 'data')
  const log = join(dir, 'server.log')
  const asRoot = process.getuid?.() === 0
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim())
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim())
    chownSync(dir, uid, gid)
    chmodSync(dir, 0o700)
  }
  const run = (cmd: string, args: string[]): void => {
    const full = join(bin, cmd)
    const res = asRoot
      ? spawnSync('runuser', ['-u', 'postgres', '--', full, ...args], { encoding: 'utf8' })
      : spawnSync(full, args, { encoding: 'utf8' })
    if (res.status !== 0) {
      let serverLog = ''
      try {
        serverLog = execFileSync('tail', ['-n', '30', log]).toString()
      } catch {
        // no log yet
      }
      throw new Error(
        `${cmd} ${args.join(' ')} failed (${res.status}): ${res.stderr || res.error}\n${serverLog}`,
      )
    }
  }
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync'])
  const port = await freePort()
  const settings = [
    `-p ${port}`,
    `-k ${dir}`,
    "-c listen_addresses='127.0.0.1'",
    '-c max_connections=200',
    '-c shared_buffers=128MB',
  ]
  if ((opts.durability ?? 'fast') === 'fast')
    settings.push('-c fsync=off', '-c full_page_writes=off')
  const start = (): void =>
    run('pg_ctl', ['-D', data, '-l', log, '-o', settings.join(' '), '-w', '-t', '60', 'start'])
  start()
  let running = true
  const cluster: PgCluster = {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dir,
    urlOf: (db) => `postgres://postgres@127.0.0.1:${port}/${db}`,
    halt(mode = 'fast') {
      if (!running) return
      run('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop'])
      running = false
    },
    resume() {
      if (running) return
      start()
      running = true
    },
    stop() {
      if (!live.has(cluster)) return
      live.delete(cluster)
      try {
        if (running) run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'])
      } catch {
        // Already gone; the files go anyway.
      }
      running = false
      rmSync(dir, { recursive: true, force: true })
    },
  }
  live.add(cluster)
  hookExit()
  return cluster
}

let dbCounter = 0

/** A new, empty database on the cluster; returns its URL. */
export async function createDatabase(adminUrl: string, prefix = 'ivrs'): Promise<string> {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}_${++dbCounter}`
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    await client.query(`CREATE DATABASE ${name}`)
  } finally {
    await client.end()
  }
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return url.toString()
}
