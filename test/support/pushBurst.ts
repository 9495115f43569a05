/**
 * Bursts of distinct pushes against a running `serve.ts` (test/support/headless.ts), as the crash
 * tests send them: the vendor's sample push per id, at concurrency 50 from one address.
 */
import { Pool } from 'undici'
import { samplePush } from './fixtures'
import type { Headless } from './headless'

export const CONCURRENCY = 50

const qs = (p: Record<string, string>): string => new URLSearchParams(p).toString()

/** Where to push and what the webhook path is, from the URL the process printed. */
export function target(h: Pick<Headless, 'webhookUrl'>): { origin: string; path: string } {
  const u = new URL(h.webhookUrl)
  return { origin: u.origin, path: u.pathname }
}

export interface Burst {
  /** Ids answered `200 Accepted`. */
  accepted: string[]
  /** Every other answer, as `status body`. */
  other: string[]
  killed: boolean
}

/**
 * Sends `ids` as pushes at concurrency 50 from one address; with `killAfter`, SIGKILLs the
 * process once that many answers have come back. Pushes cut off by the kill are not answered.
 */
export async function burst(
  h: Pick<Headless, 'webhookUrl' | 'child'>,
  ids: string[],
  killAfter?: number,
): Promise<Burst> {
  const { origin, path } = target(h)
  const pool = new Pool(origin, { connections: CONCURRENCY })
  const result: Burst = { accepted: [], other: [], killed: false }
  let next = 0
  let answered = 0
  const worker = async (): Promise<void> => {
    while (next < ids.length) {
      const id = ids[next++]!
      try {
        const res = await pool.request({ method: 'GET', path: `${path}?${qs(samplePush(id))}` })
        const text = await res.body.text()
        if (res.statusCode === 200 && text === 'Accepted') result.accepted.push(id)
        else result.other.push(`${res.statusCode} ${text}`)
      } catch (err) {
        if (!result.killed) throw err
        return // the process is gone: this push was never answered
      }
      if (++answered === killAfter) {
        result.killed = true
        h.child.kill('SIGKILL')
      }
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  await pool.destroy()
  return result
}
