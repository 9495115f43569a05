/**
 * Starts the browser mode as `npm run demo` does (built-in simulator pushing calls) with a
 * throw-away data folder and ephemeral ports, and reads the addresses it prints.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'

export interface Demo {
  webhookUrl: string
  appUrl: string
  /** Origin of the local API (also serves the app). */
  apiBase: string
  token: string
  simulatorUrl: string
  dataDir: string
  /** Calls the local API with the bearer token. */
  api<T>(path: string, init?: RequestInit): Promise<T>
  /** Sends a push the way the vendor does: GET with the parameters in the query string. */
  push(params: Record<string, string>): Promise<string>
  stop(): Promise<void>
}

const ROOT = resolve(import.meta.dirname, '../../..')
const PREFIX = {
  webhook: 'Webhook URL (give this to the vendor): ',
  app: 'Open the app: ',
  sim: 'Simulator (vendor stand-in): ',
}

export async function startDemo(options: { simRatePerMinute?: number } = {}): Promise<Demo> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ivrs-e2e-'))
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/main/headless/serve.ts', '--demo'],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        IVRS_DATA_DIR: dataDir,
        IVRS_API_PORT: '0',
        IVRS_WEBHOOK_PORT: '0',
        IVRS_SIM_PORT: '0',
        IVRS_SIM_RATE: String(options.simRatePerMinute ?? 120),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000)
  })
  const found: Partial<Record<keyof typeof PREFIX, string>> = {}
  await new Promise<void>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`demo did not start:\n${stderr}`)), 60_000)
    child.once('exit', (code) => {
      clearTimeout(timer)
      fail(new Error(`demo exited with ${code}:\n${stderr}`))
    })
    const lines = createInterface({ input: child.stdout! })
    lines.on('line', (line) => {
      for (const [key, prefix] of Object.entries(PREFIX)) {
        if (line.startsWith(prefix))
          found[key as keyof typeof PREFIX] = line.slice(prefix.length).trim()
      }
      if (line.trim() === 'Ready.') {
        clearTimeout(timer)
        done()
      }
    })
  })
  if (!found.webhook || !found.app || !found.sim) {
    child.kill('SIGTERM')
    throw new Error(`demo did not print every address: ${JSON.stringify(found)}`)
  }
  const app = new URL(found.app)
  const token = decodeURIComponent(app.hash.replace(/^#token=/, ''))
  const apiBase = app.origin

  const api = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const res = await fetch(apiBase + path, {
      ...init,
      headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) },
    })
    const text = await res.text()
    if (!res.ok && res.status !== 202 && res.status !== 422) {
      throw new Error(`${init.method ?? 'GET'} ${path} → ${res.status}: ${text}`)
    }
    return JSON.parse(text) as T
  }

  const push = async (params: Record<string, string>): Promise<string> => {
    const url = `${found.webhook}?${new URLSearchParams(params).toString()}`
    const res = await fetch(url)
    return res.text()
  }

  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    }
    await rm(dataDir, { recursive: true, force: true })
  }

  return {
    webhookUrl: found.webhook,
    appUrl: found.app,
    apiBase,
    token,
    simulatorUrl: found.sim,
    dataDir,
    api,
    push,
    stop,
  }
}
