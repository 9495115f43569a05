/**
 * Starts the browser mode as `npm run demo` does (built-in simulator pushing calls) with a
 * throw-away data folder and ephemeral ports, on top of the shared headless harness.
 */
import { rm } from 'node:fs/promises'
import { startHeadless } from '../../support/headless'

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

export async function startDemo(
  options: { simRatePerMinute?: number; dataDir?: string } = {},
): Promise<Demo> {
  const h = await startHeadless({
    demo: true,
    dataDir: options.dataDir,
    env: { IVRS_SIM_RATE: String(options.simRatePerMinute ?? 120) },
  })
  if (!h.appUrl || !h.simulatorUrl) {
    await h.stop()
    throw new Error(`demo did not print every address:\n${h.stdout()}`)
  }
  const app = new URL(h.appUrl)
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
    const res = await fetch(`${h.webhookUrl}?${new URLSearchParams(params).toString()}`)
    return res.text()
  }

  return {
    webhookUrl: h.webhookUrl,
    appUrl: h.appUrl,
    apiBase,
    token,
    simulatorUrl: h.simulatorUrl,
    dataDir: h.dataDir,
    api,
    push,
    async stop() {
      const timer = setTimeout(() => h.child.kill('SIGKILL'), 10_000)
      await h.stop()
      clearTimeout(timer)
      await rm(h.dataDir, { recursive: true, force: true })
    },
  }
}

/** The settings requests the simulated vendor received (its own log, not the app's). */
export async function simulatorRequests(
  demo: Pick<Demo, 'simulatorUrl'>,
): Promise<{ params: Record<string, string>; answer: string }[]> {
  const handler = new URL(demo.simulatorUrl)
  const res = await fetch(`${handler.origin}/simulator/requests${handler.search}`)
  if (res.status !== 200) throw new Error(`the simulator's log answered ${res.status}`)
  return (await res.json()) as { params: Record<string, string>; answer: string }[]
}
