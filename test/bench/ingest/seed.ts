import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { DateTime } from 'luxon'
import type { Call, CallStatus } from '../../../src/shared/domain'
import { CallBulkLoader } from '../../../src/main/storage/folder/bulkLoad'
import { storedCall } from '../../support/fixtures'
import { istTime } from './push'

const ZONE = 'Asia/Kolkata'

/** A plausible stored call number `n`, started at `ms` (India: +05:30, no DST). */
function makeCall(n: number, ms: number): Call {
  const statuses: CallStatus[] = ['ANSWER', 'ANSWER', 'ANSWER', 'MISSED', 'DROPPED']
  const status = statuses[n % statuses.length]!
  const { date, time } = istTime(ms)
  const receivedAt = new Date(ms + 5 * 60_000).toISOString()
  const caller = `+919${String((n * 7919) % 1_000_000_000).padStart(9, '0')}`
  const fields = {
    id: `seed-${n}`,
    callerNumber: caller,
    agentNumber: status === 'ANSWER' ? `+91981000${String(n % 40).padStart(4, '0')}` : null,
    status,
    date,
    time,
    startedAt: `${date}T${time}+05:30`,
    ivrSeconds: n % 180,
    talkSeconds: status === 'ANSWER' ? n % 600 : null,
    circle: 'Karnataka',
    virtualNumber: '+918041234567',
    department: ['Sales', 'Support', 'Billing'][n % 3]!,
    recordingUrl: status === 'ANSWER' ? `https://recordings.example.net/${n}.mp3` : null,
    callType: null,
  }
  const raw: Record<string, string> = {
    calllogid: fields.id,
    callernumber: caller,
    date,
    time,
    callstatus: status,
  }
  return storedCall(fields, raw, receivedAt)
}

/**
 * Seeds `total` calls into an empty store folder with the storage's bulk loader (month by month,
 * so memory stays one month deep): `currentMonth` of them spread evenly from the start of the
 * current local month to a minute ago, the rest evenly over the `days` days before that.
 */
export async function seedStore(
  dir: string,
  total: number,
  opts: { days?: number; currentMonth?: number } = {},
): Promise<void> {
  const loader = await CallBulkLoader.create(dir, ZONE)
  const now = DateTime.now().setZone(ZONE)
  const monthStart = now.startOf('month').toMillis()
  const recent = Math.min(total, opts.currentMonth ?? 0)
  const older = total - recent
  const end = recent > 0 ? monthStart : now.minus({ minutes: 1 }).toMillis()
  const first = end - (opts.days ?? 730) * 86_400_000
  const olderStep = (end - first) / Math.max(1, older)
  const recentStep = (now.minus({ minutes: 1 }).toMillis() - monthStart) / Math.max(1, recent)
  let month: Call[] = []
  let key = ''
  for (let n = 0; n < total; n++) {
    const at = n < older ? first + n * olderStep : monthStart + (n - older) * recentStep
    const call = makeCall(n, Math.floor(at / 1000) * 1000)
    const k = call.date.slice(0, 7)
    if (k !== key && month.length > 0) {
      await loader.writeCalls(month)
      month = []
    }
    key = k
    month.push(call)
  }
  if (month.length > 0) await loader.writeCalls(month)
  await loader.finish()
}

/** Seeds the naive peer's single lowdb file with `total` rows like the ones it stores. */
export async function seedNaive(dir: string, total: number): Promise<void> {
  const now = Date.now()
  const calls = Array.from({ length: total }, (_, n) => ({
    ...makeCall(n, now - (total - n) * 60_000).raw,
    receivedAt: new Date(now).toISOString(),
  }))
  await writeFile(join(dir, 'db.json'), JSON.stringify({ calls }))
}
