/**
 * A second `npm run demo` whose ports another program holds: start-up stops with a non-zero exit
 * naming the port and the variable that moves it, and its simulator pushes nothing into the
 * program on the webhook port (it did: "Listener NOT listening…", then "Ready.", and calls in
 * the other instance).
 */
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHeadless, type Headless } from '../../support/headless'
import { api } from '../storage/helpers'

let a: Headless
const started: Headless[] = []

beforeAll(async () => {
  a = await startHeadless({})
  started.push(a)
})
afterAll(async () => {
  for (const h of started) await h.stop()
})

/** Starts a demo that generates a hundred calls a second; answers why it did not start. */
async function secondDemo(env: Record<string, string>, dataDir?: string): Promise<string> {
  return startHeadless({ demo: true, dataDir, env: { IVRS_SIM_RATE: '6000', ...env } }).then(
    (h) => {
      started.push(h)
      return ''
    },
    (err: Error) => err.message,
  )
}

describe('a port another program holds', () => {
  it('the webhook port: start-up stops naming it, and nothing is pushed into the other program', async () => {
    const port = new URL(a.webhookUrl).port
    const why = await secondDemo({ IVRS_WEBHOOK_PORT: port })
    expect(why).toMatch(/exited with 1/)
    expect(why).toContain(`Port ${port} on 127.0.0.1 is already in use`)
    expect(why).toContain('IVRS_WEBHOOK_PORT')
    expect(why).not.toContain('Ready.')
    const calls = await api<{ total: number }>(a, 'GET', '/api/v1/calls')
    expect(calls.json.total).toBe(0)
  })

  it('the API port: start-up stops naming it, and lets the data folder go', async () => {
    const port = new URL(a.apiUrl).port
    const dataDir = await mkdtemp(join(tmpdir(), 'ivrs-second-'))
    const why = await secondDemo({ IVRS_API_PORT: port }, dataDir)
    expect(why).toMatch(/exited with 1/)
    expect(why).toContain(`The API port ${port} on 127.0.0.1 is already in use`)
    expect(why).toContain('IVRS_API_PORT')
    // It had taken the folder and started its listener: both let go on the way out.
    expect(existsSync(join(dataDir, 'calls'))).toBe(true)
    expect(existsSync(join(dataDir, 'ivrs.lock'))).toBe(false)
    await rm(dataDir, { recursive: true, force: true })
    expect((await api<{ total: number }>(a, 'GET', '/api/v1/calls')).json.total).toBe(0)
  })
})
