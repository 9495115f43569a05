import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DateTime } from 'luxon'
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
