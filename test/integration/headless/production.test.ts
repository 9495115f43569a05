/**
 * The production install, as the README's operator makes it: `npm run build:server` in a
 * checkout, then the built output, package.json, the lock and the launcher copied into an empty
 * folder, `npm ci --omit=dev` there (from npm's cache: the tarballs this checkout's install
 * fetched), and the server started from that copy, which has no tsx and no vite: by node itself,
 * as the systemd unit starts it, and by `npm run serve`. Each time a call is pushed, then SIGTERM:
 * the process exits 0 and lets go of its ports and its data folder.
 */
import { execFile } from 'node:child_process'
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { samplePushUrl, startHeadless, type Headless } from '../../support/headless'
import { until } from '../postgres/helpers'

const run = promisify(execFile)
const ROOT = resolve(import.meta.dirname, '../../..')
const VERSION = (
  JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string }
).version
let copy: string
const dirs: string[] = []
const started: Headless[] = []

beforeAll(async () => {
  await run('npm', ['run', 'build:server'], { cwd: ROOT, timeout: 300_000 })
  copy = await mkdtemp(join(tmpdir(), 'ivrs-production-'))
  dirs.push(copy)
  for (const path of [
    'out/server',
    'out/web',
    'package.json',
    'package-lock.json',
    'scripts/server.mjs',
  ])
    await cp(join(ROOT, path), join(copy, path), { recursive: true })
  await run('npm', ['ci', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund'], {
    cwd: copy,
    timeout: 600_000,
  })
}, 900_000)

afterAll(async () => {
  for (const h of started) await h.stop()
  for (const d of dirs) await rm(d, { recursive: true, force: true })
})

async function dataFolder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ivrs-production-data-'))
  dirs.push(dir)
  return dir
}

/** Whether something accepts connections on the port. */
function listening(port: number): Promise<boolean> {
  return new Promise((res) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => (socket.destroy(), res(true)))
    socket.once('error', () => res(false))
  })
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/**
 * Pushes a call, then stops the server with SIGTERM (to the process started: node, or npm, which
 * itself dies of it) and checks that the server stopped cleanly and let go of everything.
 */
async function pushAndStop(h: Headless, serverPid: () => number): Promise<void> {
  const res = await request(samplePushUrl(h.webhookUrl, { calllogid: 'prod-1' }))
  expect(await res.body.text()).toBe('Accepted')
  const info = await request(`${h.apiUrl}/api/v1/info`, {
    headers: { authorization: `Bearer ${h.apiToken}` },
  })
  expect(((await info.body.json()) as { version: string }).version).toBe(VERSION)
  const pid = serverPid()
  const ports = [new URL(h.webhookUrl).port, new URL(h.apiUrl).port].map(Number)
  const code = await h.stop()
  if (pid === h.child.pid) expect(code).toBe(0)
  await until('the server process is gone', () => !alive(pid), 30_000)
  await until('the server said it stopped cleanly', () => h.stderr().includes('stopped {"code":0}'))
  for (const port of ports) expect(await listening(port), `port ${port}`).toBe(false)
  expect(existsSync(join(h.dataDir, 'ivrs.lock'))).toBe(false)
}

describe('the production build, installed without devDependencies', () => {
  it('has no tsx and no vite', () => {
    expect(existsSync(join(copy, 'node_modules', 'fastify'))).toBe(true)
    expect(existsSync(join(copy, 'node_modules', 'tsx'))).toBe(false)
    expect(existsSync(join(copy, 'node_modules', 'vite'))).toBe(false)
  })

  it('runs as the systemd unit runs it (node out/server/serve.js), serves the app, stops on SIGTERM', async () => {
    const dataDir = await dataFolder()
    const h = await startHeadless({
      dataDir,
      cwd: '/',
      command: [process.execPath, join(copy, 'out/server/serve.js')],
      env: { npm_package_version: '' },
    })
    started.push(h)
    expect(h.stdout()).toContain(`IVR Supervisor ${VERSION} (headless)`)
    // The browser mode built once, served as it is.
    expect(h.appUrl).not.toBeNull()
    const page = await request(`${h.apiUrl}/`)
    expect(page.statusCode).toBe(200)
    expect(await page.body.text()).toContain('<div id="root">')
    await pushAndStop(h, () => h.child.pid!)
  })

  it('runs by npm run serve, which SIGTERM stops with node itself', async () => {
    const dataDir = await dataFolder()
    const h = await startHeadless({ dataDir, cwd: copy, command: ['npm', 'run', 'serve'] })
    started.push(h)
    // npm's child is a shell, whose child is the server: the lock names its process.
    const lock = JSON.parse(await readFile(join(dataDir, 'ivrs.lock.json'), 'utf8')) as {
      pid: number
    }
    expect(lock.pid).not.toBe(h.child.pid)
    await pushAndStop(h, () => lock.pid)
  })

  it('runs the command-line tools from the build (npm run users)', async () => {
    const dataDir = await dataFolder()
    const added = await run('npm', ['run', 'users', '--', 'add', 'Asha Rao', '--role', 'viewer'], {
      cwd: copy,
      env: { ...process.env, IVRS_DATA_DIR: dataDir },
    })
    expect(added.stdout).toContain('Asha Rao')
    const listed = await run('npm', ['run', 'users', '--', 'list'], {
      cwd: copy,
      env: { ...process.env, IVRS_DATA_DIR: dataDir },
    })
    expect(listed.stdout).toMatch(/Asha Rao\tviewer\tactive/)
  })
})
