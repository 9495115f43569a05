import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import { EventBus } from '../../../src/main/events/bus'
import { ListenerServer } from '../../../src/main/listener/server'
import { announceStoredCalls } from '../../../src/main/core/storedCalls'
import type { ListenerDeps } from '../../../src/main/listener/app'
import { localToday } from '../../../src/shared/localTime'
import * as fixtures from '../../support/fixtures'
import { MemoryCallStore, MemoryRejectedLog, capturingLogger } from './fakes'

export const TOKEN = 'tok_Zx81bQ3mP0wLk9Vr2NfYt7'

/** The listeners' clock: 10:30 in India on 27 November 2026. */
const NOW = Date.parse('2026-11-27T05:00:00Z')

/** {@link fixtures.samplePush}, dated on the listeners' clock. */
export const samplePush = (id: string, extra: Record<string, string> = {}) =>
  fixtures.samplePush(id, { date: localToday(NOW, 'Asia/Kolkata'), ...extra })

export const qs = (p: Record<string, string>): string => new URLSearchParams(p).toString()

/** Starts a ListenerServer on 127.0.0.1:0 with in-memory storage unless told otherwise. */
export async function startListener(over: Partial<ListenerDeps> = {}) {
  const store = new MemoryCallStore()
  const rejected = new MemoryRejectedLog()
  const logger = capturingLogger()
  const bus = new EventBus()
  const deps: ListenerDeps = {
    store,
    rejected,
    bus,
    token: TOKEN,
    timezone: 'Asia/Kolkata',
    clock: { now: () => NOW },
    logger,
    ...over,
  }
  // As the core does: what the store announces goes on the bus.
  announceStoredCalls(deps.store, deps.bus)
  const server = new ListenerServer({ ...deps, host: '127.0.0.1', port: 0 })
  const addr = await server.start()
  const base = `http://127.0.0.1:${addr.port}`
  return { server, store, rejected, logger, bus, base, url: `${base}/api/PostCallLogs/${TOKEN}/` }
}

export type StartedListener = Awaited<ReturnType<typeof startListener>>

/** For the tests of one file: starts listeners like {@link startListener}, stopped after each test. */
export function listenerHarness(): typeof startListener {
  let running: StartedListener[] = []
  afterEach(async () => {
    await Promise.all(running.map((s) => s.server.stop()))
    running = []
  })
  return async (...args) => {
    const s = await startListener(...args)
    running.push(s)
    return s
  }
}

export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ivrs-listener-'))
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) }
}
