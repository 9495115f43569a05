/** Small fixtures shared by tests and benchmarks of every kind. */
import { DateTime } from 'luxon'
import type { Call, CallFields, CallStatus, RawParams } from '../../src/shared/domain'

/**
 * Today's date (`YYYY-MM-DD`) in a zone, by the clock of this process: what a real `serve.ts`
 * child (same clock, default zone `Asia/Kolkata`) counts as today, so fixtures never age out of
 * its "last N days" windows.
 */
export function todayIn(zone = 'Asia/Kolkata'): string {
  return DateTime.now().setZone(zone).toISODate() ?? ''
}

/**
 * The local date and time (`date`, `time` as a push carries them) of the moment `seconds` before
 * now: a call that certainly began in the past, at any hour the tests run (the sample push's
 * 10:15 is still to come before 10:15).
 */
export function momentsAgo(seconds: number, zone = 'Asia/Kolkata'): { date: string; time: string } {
  const t = DateTime.now().setZone(zone).minus({ seconds })
  return { date: t.toISODate()!, time: t.toFormat('HH:mm:ss') }
}

/**
 * A complete, valid push in the vendor document's sample-URL scheme: an answered call at
 * 10:15 (India), dated today by this process's clock. A test on another clock (an injected one)
 * passes its own `date` in `extra`.
 */
export function samplePush(id: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    calllogid: id,
    callernumber: '9876543210',
    date: todayIn(),
    time: '10:15:00',
    agentnumber: '9123456780',
    ivrduration: '12',
    callduration: '00:04:53',
    callstatus: 'ANSWER',
    state: 'Karnataka',
    ibizfonenumber: '08041234567',
    recordingurl: 'https://rec.example.com/a.mp3',
    department: 'Sales',
    ...extra,
  }
}

/** A call as a store holds it after its first push: revision 1, no history. */
export function storedCall(fields: CallFields, raw: RawParams, receivedAt: string): Call {
  return { ...fields, receivedAt, firstReceivedAt: receivedAt, revision: 1, raw, history: [] }
}

/** A small seeded PRNG (mulberry32), so generated data repeats exactly from run to run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The departments and the 40 agents' numbers of a generated history (`generatedCall`). */
export const DEPTS = ['Sales', 'Support', 'Billing', 'Accounts', 'Escalations']
const CIRCLES = ['Karnataka', 'Delhi', 'Mumbai', 'Tamil Nadu', 'Kerala', 'Gujarat', 'UP East']
export const AGENTS = Array.from({ length: 40 }, (_, i) => `+9198100${String(i).padStart(5, '0')}`)

/** IST has had a fixed +05:30 offset since 1945: plain arithmetic keeps seeding fast. */
const IST_MS = 330 * 60_000

/**
 * Call `n` of a generated history, starting at `startMs` (IST), its fields drawn from `rnd`
 * (answered, missed or dropped; 40 agents; a few departments and circles).
 */
export function generatedCall(n: number, startMs: number, rnd: () => number): Call {
  const r = rnd()
  const status: CallStatus = r < 0.7 ? 'ANSWER' : r < 0.88 ? 'MISSED' : 'DROPPED'
  const id = `${(0x10000000 + n).toString(16)}-${Math.floor(rnd() * 0xffff).toString(16)}-4cb1-9a7e-${n.toString(16).padStart(12, '0')}`
  const caller = `+919${String(Math.floor(rnd() * 200_000)).padStart(9, '0')}`
  const agent = status === 'ANSWER' ? AGENTS[Math.floor(rnd() * AGENTS.length)]! : null
  const ivr = Math.floor(rnd() * 180)
  const talk = status === 'ANSWER' ? Math.floor(rnd() * 600) : null
  const local = new Date(startMs + IST_MS).toISOString()
  const date = local.slice(0, 10)
  const time = local.slice(11, 19)
  const department = DEPTS[Math.floor(rnd() * DEPTS.length)]!
  const circle = CIRCLES[Math.floor(rnd() * CIRCLES.length)]!
  const rec = status === 'ANSWER' ? `https://recordings.example.net/2026/${id}.mp3` : null
  const receivedAt = new Date(startMs + (ivr + (talk ?? 0) + 2) * 1000).toISOString()
  const fields: CallFields = {
    id,
    callerNumber: caller,
    agentNumber: agent,
    status,
    date,
    time,
    startedAt: `${date}T${time}+05:30`,
    ivrSeconds: ivr,
    talkSeconds: talk,
    circle,
    virtualNumber: '+918041234567',
    department,
    recordingUrl: rec,
    callType: null,
  }
  const raw: RawParams = {
    calllogid: id,
    callernumber: caller.slice(3),
    agentnumber: agent ? agent.slice(3) : 'NA',
    ivrduration: String(ivr),
    callduration: String(talk ?? 0),
    callstatus: status,
    state: circle,
    ibizfonenumber: '8041234567',
    recordingurl: rec ?? '',
    department,
    date,
    time,
  }
  return storedCall(fields, raw, receivedAt)
}
