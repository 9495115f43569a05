/**
 * Helpers of the storage fault tests: pushes through the real webhook URL of headless mode,
 * counts through its local API, runs the data-folder tools as a user would, and mounts small
 * tmpfs folders (root only) to fill or freeze a disk.
 */
import { execFileSync, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { request } from 'undici'
import { samplePush } from '../../support/fixtures'
import { afterEach } from 'vitest'
import { startHeadless, type Headless } from '../../support/headless'

const ROOT = resolve(import.meta.dirname, '../../..')

/** Pushes `ids` one after another; returns those answered `200 Accepted`, and every status. */
export async function push(
  webhookUrl: string,
  ids: readonly string[],
): Promise<{ acked: string[]; statuses: number[] }> {
  const acked: string[] = []
  const statuses: number[] = []
  for (const id of ids) {
    const res = await request(`${webhookUrl}?${new URLSearchParams(samplePush(id))}`)
    const body = await res.body.text()
    statuses.push(res.statusCode)
    if (res.statusCode === 200 && body === 'Accepted') acked.push(id)
  }
  return { acked, statuses }
}

export const ids = (prefix: string, n: number): string[] =>
  Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`)

/** A request to the local API, with the launch token unless a person's `token` is given. */
export async function api<T>(
  h: Headless,
  method: string,
  path: string,
  body?: unknown,
  token = h.apiToken,
) {
  const res = await request(`${h.apiUrl}${path}`, {
    method: method as 'GET',
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.body.text()
  return { status: res.statusCode, json: (text ? JSON.parse(text) : null) as T, text }
}

/** Every call id stored, through the local API's history (all pages). */
export async function storedIds(h: Headless): Promise<Set<string>> {
  const out = new Set<string>()
  let cursor: string | null = null
  do {
    const q: string = `/api/v1/calls?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`
    const page = await api<{ calls: { id: string }[]; nextCursor: string | null }>(h, 'GET', q)
    if (page.status !== 200) throw new Error(`history answered ${page.status}: ${page.text}`)
    for (const c of page.json.calls) out.add(c.id)
    cursor = page.json.nextCursor
  } while (cursor)
  return out
}

/** Runs `npm run doctor|backup|restore -- args` (the same entry point) and waits. */
export function tool(
  command: 'doctor' | 'backup' | 'restore',
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'src/main/maintenance/cli.ts'), command, ...args],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  return new Promise((r) => child.once('exit', (code) => r({ code, stdout, stderr })))
}

export const isRoot = (): boolean => process.getuid?.() === 0

/** A tmpfs of `size` mounted on a new folder (root only); `unmount` removes it. */
export async function tmpfs(size: string): Promise<{ dir: string; unmount: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ivrs-tmpfs-'))
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir])
  return {
    dir,
    unmount: async () => {
      try {
        execFileSync('umount', ['-l', dir])
      } finally {
        await rm(dir, { recursive: true, force: true })
      }
    },
  }
}

export function remount(dir: string, mode: 'ro' | 'rw'): void {
  execFileSync('mount', ['-o', `remount,${mode}`, dir])
}

/** Runs headless mode until it exits by itself (a refused start); resolves with what it said. */
export function startExpectingExit(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'src/main/headless/serve.ts')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        IVRS_DATA_DIR: dataDir,
        IVRS_WEBHOOK_PORT: '0',
        IVRS_API_PORT: '0',
        IVRS_SIM_PORT: '0',
        IVRS_SIM_RATE: '0',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const timer = setTimeout(() => child.kill('SIGTERM'), 60_000)
  return new Promise((r) =>
    child.once('exit', (code) => {
      clearTimeout(timer)
      r({ code, stdout, stderr })
    }),
  )
}

/** Starts headless processes for a test file; whatever is still running is stopped after each test. */
export function headlessRunner(): {
  start(dataDir?: string): Promise<Headless>
  /** Stops one now; resolves with its exit code. */
  stop(h: Headless): Promise<number | null>
  /** Forgets one that was killed. */
  forget(h: Headless): void
} {
  const running: Headless[] = []
  afterEach(async () => {
    for (const h of running.splice(0)) await h.stop()
  })
  const forget = (h: Headless): void => void running.splice(running.indexOf(h), 1)
  return {
    async start(dataDir) {
      const h = await startHeadless({ dataDir })
      running.push(h)
      return h
    },
    stop(h) {
      forget(h)
      return h.stop()
    },
    forget,
  }
}
