import { readdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { startHeadless, type Headless } from '../../support/headless'
import { burst, CONCURRENCY } from '../../support/pushBurst'
import { dumpStore, exited } from './child'

/**
 * Crash tests of the product as it ships: `src/main/headless/serve.ts` (what `npm run serve`
 * runs) in a child process with its default settings, every subscriber on and the rate limit
 * as shipped, takes bursts of distinct pushes from one address and is cut by SIGKILL; after a
 * restart every push that was answered `Accepted` must be there, once, and every file must parse.
 */
const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 3)
const PUSHES = 2000

async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) out.push(...(await allFiles(p)))
    else out.push(p)
  }
  return out
}

describe('crash safety of npm run serve', () => {
  const running: Headless[] = []
  const dirs: string[] = []
  const start = async (dataDir?: string): Promise<Headless> => {
    const h = await startHeadless({ dataDir })
    running.push(h)
    if (!dirs.includes(h.dataDir)) dirs.push(h.dataDir)
    return h
  }
  afterAll(async () => {
    for (const h of running) h.child.kill('SIGKILL')
    for (const d of dirs) await rm(d, { recursive: true, force: true })
  })

  it(`keeps every Accepted push across ${ROUNDS} SIGKILLs at random points`, async () => {
    const everAccepted = new Set<string>()
    let dir: string | undefined

    for (let round = 0; round < ROUNDS; round++) {
      const h = await start(dir)
      dir = h.dataDir
      const killAfter = 100 + Math.floor(Math.random() * (PUSHES - 300))
      console.log(`crash round ${round}: SIGKILL after ${killAfter} of ${PUSHES} answers`)
      const ids = Array.from({ length: PUSHES }, (_, i) => `crash-${round}-${i}`)
      const b = await burst(h, ids, killAfter)
      await exited(h.child)
      expect(h.child.signalCode).toBe('SIGKILL')
      expect(b.other, 'answers other than Accepted').toEqual([])
      expect(b.accepted.length).toBeGreaterThanOrEqual(killAfter - CONCURRENCY)
      for (const id of b.accepted) everAccepted.add(id)

      // Restart on the same folder: the vendor retries a few pushes, accepted or not.
      const again = await start(dir)
      const retried = await burst(again, [b.accepted[0]!, ids[ids.length - 1]!])
      expect(retried.other).toEqual([])
      for (const id of retried.accepted) everAccepted.add(id)
      expect(await again.stop(), again.stderr()).toBe(0)

      const dump = await dumpStore(dir)
      const stored = new Set(dump.ids)
      expect(stored.size, 'a call appears twice').toBe(dump.ids.length)
      const lost = [...everAccepted].filter((id) => !stored.has(id))
      expect(lost, 'accepted but lost').toEqual([])
      // Every push of a call carried the same content: one version each, never a second.
      expect(Object.values(dump.revisions).every((r) => r === 1)).toBe(true)
      expect(dump.rejected).toBe(0)
    }

    for (const file of await allFiles(dir!)) {
      const text = await readFile(file, 'utf8')
      if (file.endsWith('.json')) expect(() => JSON.parse(text), file).not.toThrow()
      if (file.endsWith('.jsonl'))
        for (const line of text.split('\n').filter(Boolean))
          // Journal lines carry a checksum in front of the JSON.
          expect(() => JSON.parse(line.replace(/^[0-9a-f]{8} /, '')), file).not.toThrow()
    }
  }, 600_000)

  it('takes a burst of 3,000 pushes from one address whole, and loses nothing acknowledged when killed in the middle of the next', async () => {
    const h = await start()
    const first = Array.from({ length: 3000 }, (_, i) => `burst-a-${i}`)
    const whole = await burst(h, first)
    // A vendor catching up after the tunnel was down: nothing refused for rate.
    expect(whole.other).toEqual([])
    expect(whole.accepted).toHaveLength(3000)

    const second = Array.from({ length: 3000 }, (_, i) => `burst-b-${i}`)
    const cut = await burst(h, second, 1500)
    await exited(h.child)
    expect(h.child.signalCode).toBe('SIGKILL')
    expect(cut.other).toEqual([])
    expect(cut.accepted.length).toBeGreaterThanOrEqual(1500 - CONCURRENCY)

    const dump = await dumpStore(h.dataDir)
    const stored = new Set(dump.ids)
    const lost = [...first, ...cut.accepted].filter((id) => !stored.has(id))
    expect(lost, 'accepted but lost').toEqual([])
    expect(stored.size).toBe(dump.ids.length)
    expect(dump.rejected).toBe(0)
  }, 600_000)
})
