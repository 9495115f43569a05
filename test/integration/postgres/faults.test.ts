/**
 * Faults of receivers on PostgreSQL, as they ship (`serve.ts` in child processes, default
 * settings): an instance SIGKILLed and restarted while two take bursts of pushes, and the
 * database itself stopped and started again under load.
 */
import { rm } from 'node:fs/promises'
import { afterAll, describe, expect, it } from 'vitest'
import { Pool } from 'undici'
import type { Health } from '../../../src/shared/domain'
import type { Headless } from '../../support/headless'
import { samplePush } from '../../support/fixtures'
import { createDatabase, startCluster, type PgCluster } from '../../support/postgres'
import { burst, CONCURRENCY } from '../../support/pushBurst'
import { freshDatabase } from '../../support/pgDatabase'
import { exited } from '../listener/child'
import { api, startReceiver, storedCalls, until } from './helpers'

const PUSHES = 2000
const running: Headless[] = []
let cluster: PgCluster | null = null

async function receiver(url: string, dataDir?: string): Promise<Headless> {
  const h = await startReceiver(url, {}, dataDir)
  running.push(h)
  return h
}

afterAll(async () => {
  for (const h of running) {
    h.child.kill('SIGKILL')
    await rm(h.dataDir, { recursive: true, force: true })
  }
  cluster?.stop()
})

describe('receivers on PostgreSQL under faults', () => {
  it(`loses nothing Accepted and doubles nothing when one of two instances taking ${PUSHES} pushes each is SIGKILLed and restarted`, async () => {
    const url = await freshDatabase('crash')
    const [a, b] = await Promise.all([receiver(url), receiver(url)])
    const idsA = Array.from({ length: PUSHES }, (_, i) => `pa-${i}`)
    const idsB = Array.from({ length: PUSHES }, (_, i) => `pb-${i}`)
    const killAfter = 200 + Math.floor(Math.random() * (PUSHES - 600))
    console.log(`SIGKILL of instance A after ${killAfter} of ${PUSHES} answers`)
    const [ra, rb] = await Promise.all([burst(a, idsA, killAfter), burst(b, idsB)])
    await exited(a.child)
    expect(a.child.signalCode).toBe('SIGKILL')
    expect([...ra.other, ...rb.other], 'answers other than Accepted').toEqual([])
    expect(rb.accepted).toHaveLength(PUSHES)
    expect(ra.accepted.length).toBeGreaterThanOrEqual(killAfter - CONCURRENCY)

    // A again on its folder: the vendor retries what A never answered, and a few it did.
    const again = await receiver(url, a.dataDir)
    const answered = new Set(ra.accepted)
    const retry = [...idsA.filter((id) => !answered.has(id)), ...ra.accepted.slice(0, 20)]
    const r2 = await burst(again, retry)
    expect(r2.other).toEqual([])

    const stored = await storedCalls(url)
    expect(stored.ids).toHaveLength(2 * PUSHES)
    expect(stored.rows, 'one row per call').toBe(stored.ids.length)
    const ids = new Set(stored.ids)
    const lost = [...ra.accepted, ...rb.accepted, ...r2.accepted].filter((id) => !ids.has(id))
    expect(lost, 'accepted but lost').toEqual([])
    expect([...stored.revisions.values()].every((r) => r === 1)).toBe(true)
  }, 300_000)

  it('answers Failure while the database is down, never Accepted and lost, and recovers by itself', async () => {
    // A cluster of its own: this test stops it.
    const pgCluster = (cluster = await startCluster())
    const url = await createDatabase(pgCluster.adminUrl)
    const h = await receiver(url)
    const pool = new Pool(new URL(h.webhookUrl).origin, { connections: 10 })
    const path = new URL(h.webhookUrl).pathname
    const answers = new Map<string, string>()
    const acceptedAfter: string[] = []
    let resumed = false
    let stop = false
    let n = 0
    const worker = async (): Promise<void> => {
      while (!stop) {
        const id = `db-${n++}`
        const res = await pool.request({
          method: 'GET',
          path: `${path}?${new URLSearchParams(samplePush(id))}`,
        })
        const answer = `${res.statusCode} ${await res.body.text()}`
        answers.set(id, answer)
        if (answer === '200 Accepted' && resumed) acceptedAfter.push(id)
        if (answer !== '200 Accepted') await new Promise((r) => setTimeout(r, 20))
      }
    }
    const failures = () => [...answers.values()].filter((x) => x === '503 Failure').length
    const workers = Array.from({ length: 10 }, () => worker().catch((err: unknown) => err))
    try {
      await until('pushes accepted', () => answers.size > 200)
      pgCluster.halt('fast')
      await until('pushes refused while the database is down', () => failures() > 20)
      const health = (await api<Health>(h, 'GET', '/api/v1/health')).json
      expect(health.storage.problems.map((p) => [p.kind, p.ongoing])).toContainEqual([
        'database-unreachable',
        true,
      ])
      pgCluster.resume()
      resumed = true
      await until(
        'pushes accepted again without a restart',
        () => acceptedAfter.length > 100,
        60_000,
      )
    } finally {
      stop = true
      const errors = (await Promise.all(workers)).filter((e) => e !== undefined)
      await pool.close()
      expect(
        errors,
        `pushes without an answer; the receiver said:\n${h.stderr().slice(-3000)}`,
      ).toEqual([])
    }

    const kinds = new Set(answers.values())
    expect([...kinds].filter((k) => k !== '200 Accepted' && k !== '503 Failure')).toEqual([])
    const stored = new Set((await storedCalls(url)).ids)
    const accepted = [...answers].filter(([, x]) => x === '200 Accepted').map(([id]) => id)
    expect(
      accepted.filter((id) => !stored.has(id)),
      'accepted but lost',
    ).toEqual([])
    await until('the problem told as over', async () => {
      const p = (await api<Health>(h, 'GET', '/api/v1/health')).json.storage.problems
      return p.some((x) => x.kind === 'database-unreachable' && !x.ongoing)
    })
  }, 300_000)
})
