import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { DateTime } from 'luxon'
import type { Call, CallStatus } from '../../../src/shared/domain'
import { CallBulkLoader } from '../../../src/main/storage/bulkLoad'

const ZONE = 'Asia/Kolkata'

/** A plausible stored call number `n`, started at `start`. */
function makeCall(n: number, start: DateTime): Call {
  const statuses: CallStatus[] = ['ANSWER', 'ANSWER', 'ANSWER', 'MISSED', 'DROPPED']
  const status = statuses[n % statuses.length]!
  const date = start.toISODate()!
  const time = start.toFormat('HH:mm:ss')
  const receivedAt = start.plus({ minutes: 5 }).toUTC().toISO()!
  const caller = `+919${String((n * 7919) % 1_000_000_000).padStart(9, '0')}`
  const fields = {
    id: `seed-${n}`,
    callerNumber: caller,
    agentNumber: status === 'ANSWER' ? `+91981000${String(n % 40).padStart(4, '0')}` : null,
    status,
    date,
    time,
    startedAt: start.toISO({ suppressMilliseconds: true })!,
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
  return {
    ...fields,
    receivedAt,
    firstReceivedAt: receivedAt,
    revision: 1,
    raw,
    history: [],
  }
}

/**
 * Seeds `total` calls spread evenly over the `days` days before `now` into an empty store
 * folder with the storage's bulk loader (month by month, so memory stays one month deep).
 */
export async function seedStore(dir: string, total: number, days = 730): Promise<void> {
  const loader = await CallBulkLoader.create(dir, ZONE)
  const now = DateTime.now().setZone(ZONE).startOf('day')
  const first = now.minus({ days })
  const stepMs = (days * 86_400_000) / Math.max(1, total)
  let month: Call[] = []
  let key = first.toFormat('yyyy-MM')
  for (let n = 0; n < total; n++) {
    const start = first.plus({ milliseconds: Math.floor(n * stepMs) }).startOf('second')
    const k = start.toFormat('yyyy-MM')
    if (k !== key) {
      await loader.writeCalls(month)
      month = []
      key = k
    }
    month.push(makeCall(n, start))
  }
  if (month.length > 0) await loader.writeCalls(month)
  await loader.finish()
}

/** Seeds the naive peer's single lowdb file with `total` rows like the ones it stores. */
export async function seedNaive(dir: string, total: number): Promise<void> {
  const now = DateTime.now().setZone(ZONE)
  const calls = Array.from({ length: total }, (_, n) => ({
    ...makeCall(n, now.minus({ minutes: total - n })).raw,
    receivedAt: now.toUTC().toISO(),
  }))
  await writeFile(join(dir, 'db.json'), JSON.stringify({ calls }))
}
