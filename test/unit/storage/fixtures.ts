import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DateTime } from 'luxon'
import { afterEach, beforeEach } from 'vitest'
import {
  FileCallStore,
  type FileCallStoreOptions,
} from '../../../src/main/storage/folder/fileCallStore'
import type { CallFields, CallStatus } from '../../../src/shared/domain'
import { type Clock } from '../../../src/main/ground/clock'
import { silentLogger } from '../../../src/main/ground/logger'

export const ZONE = 'Asia/Kolkata'

/** A settable clock for tests. */
export function fakeClock(iso = '2026-03-15T12:00:00+05:30'): Clock & { set(iso: string): void } {
  let now = Date.parse(iso)
  return { now: () => now, set: (v) => (now = Date.parse(v)) }
}

/** Normalised fields of a call starting at local `date` `time` in IST. */
export function fields(
  id: string,
  date: string,
  time = '10:00:00',
  over: Partial<CallFields> = {},
): CallFields {
  const startedAt = DateTime.fromISO(`${date}T${time}`, { zone: ZONE }).toISO({
    suppressMilliseconds: true,
  })!
  return {
    id,
    callerNumber: '+919876543210',
    agentNumber: '+919812345678',
    status: 'ANSWER' as CallStatus,
    date,
    time,
    startedAt,
    ivrSeconds: 12,
    talkSeconds: 60,
    circle: 'Karnataka',
    virtualNumber: '+918041234567',
    department: 'Sales',
    recordingUrl: null,
    callType: null,
    ...over,
  }
}

export function raw(id: string, extra: Record<string, string> = {}): Record<string, string> {
  return { calllogid: id, callstatus: 'ANSWER', ...extra }
}

export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ivrs-storage-'))
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) }
}

export const logger = silentLogger

/**
 * Call stores for the tests of one file: each test gets a fresh folder (`harness.dir`); stores
 * opened with `openStore` are closed after the test and the folder removed.
 */
export function storeHarness() {
  let cleanup: () => Promise<void> = async () => {}
  const open: FileCallStore[] = []
  const harness = {
    dir: '',
    async openStore(over: Partial<FileCallStoreOptions> = {}): Promise<FileCallStore> {
      const s = await FileCallStore.open({
        dir: harness.dir,
        timezone: ZONE,
        clock: fakeClock('2026-03-15T12:00:00+05:30'),
        logger,
        checkpointIntervalMs: 0,
        ...over,
      })
      open.push(s)
      return s
    },
    /** Abandons a store without closing it: what a crash leaves on disk. */
    crash(s: FileCallStore): void {
      open.splice(open.indexOf(s), 1)
    },
    /** Closes a store now (it is not closed again after the test). */
    async close(s: FileCallStore): Promise<void> {
      open.splice(open.indexOf(s), 1)
      await s.close()
    },
  }
  beforeEach(async () => ({ dir: harness.dir, cleanup } = await tempDir()))
  afterEach(async () => {
    await Promise.allSettled(open.splice(0).map((s) => s.close()))
    await cleanup()
  })
  return harness
}
