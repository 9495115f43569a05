/**
 * What the ingest benchmarks push. Every push carries a call id never used before, so each one
 * is a new call the server must make durable.
 *
 *   inorder  calls that started just now, in time order: a live vendor
 *   backlog  calls that started at random moments of the last three days, in random order: a
 *            vendor replaying what it could not deliver while the tunnel was down
 */
import { seeded } from '../../support/fixtures'
import { istTime, pushPath, type PushTime } from './push'

export type Workload = 'inorder' | 'backlog'

/** A function from the request number to the path of that push. */
export type PushSource = (n: number) => string

let runs = 0

export function pushSource(workload: Workload, token: string, count = 20_000): PushSource {
  // Ids sort in the order they are sent (zero-padded), so in-order pushes are in order by
  // (start time, id) too, as the store orders a month.
  const tag = `${workload[0]}${process.pid}x${++runs}`
  const id = (n: number): string => `${tag}-${String(n).padStart(9, '0')}`
  if (workload === 'inorder') return (n) => pushPath(token, id(n), n)
  const rnd = seeded(20_000 + runs)
  const now = Date.now()
  const times: PushTime[] = Array.from({ length: count }, () =>
    istTime(now - Math.floor(rnd() * 3 * 86_400_000)),
  )
  return (n) => pushPath(token, id(n), n, times[n % count])
}
