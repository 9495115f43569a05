/** The pushes of the ingest benchmarks: the document's sample parameters with a fresh call id. */

/** When a push's call started, in the vendor's local formats (`YYYY-MM-DD`, `HH:MM:SS`). */
export interface PushTime {
  date: string
  time: string
}

/** India has one fixed offset (+05:30, no DST): the vendor's local date and time of an instant. */
export function istTime(ms: number): PushTime {
  const iso = new Date(ms + 330 * 60_000).toISOString()
  return { date: iso.slice(0, 10), time: iso.slice(11, 19) }
}

const STATUSES = ['ANSWER', 'MISSED', 'ANSWER', 'ANSWER', 'DROPPED'].concat([
  'ANSWER',
  'ANSWER',
  'MISSED',
  'ANSWER',
  'ANSWER',
])

/**
 * The path of push number `n`: a realistic mix (7 in 10 answered, 2 missed, 1 dropped; callers
 * from a pool of 5,000 numbers, so the missed-call queue opens, joins and resolves items), started
 * at `at` (default: now, so pushes arrive in time order, today, as they do from a live vendor).
 */
export function pushPath(token: string, id: string, n = 0, at = istTime(Date.now())): string {
  const status = STATUSES[n % STATUSES.length]!
  const caller = 9_800_000_000 + ((n * 7919) % 5000)
  const agent = status === 'ANSWER' ? `9123456${String(780 + (n % 40))}` : 'NA'
  const talk = status === 'ANSWER' ? '00:04:53' : '0'
  const rec = status === 'ANSWER' ? `https%3A%2F%2Frec.example.com%2F${id}.mp3` : ''
  return (
    `/api/PostCallLogs/${token}/?calllogid=${id}&callernumber=${caller}` +
    `&date=${at.date}&time=${at.time}&agentnumber=${agent}` +
    `&ivrduration=12&callduration=${talk}&callstatus=${status}&state=Karnataka` +
    `&ibizfonenumber=08041234567&recordingurl=${rec}&department=Sales`
  )
}
