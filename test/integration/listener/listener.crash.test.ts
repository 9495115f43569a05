import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { Pool } from 'undici'
import { TOKEN, qs, samplePush, tempDir } from './helpers'
import { dumpStore, exited, spawnListener, type Child } from './child'

/**
 * Crash test: a child process runs the real listener on the real durable storage; a burst of
 * distinct pushes at concurrency 50 is cut by SIGKILL at a random point; after a restart every
 * push that was answered `Accepted` must be there, once, and every file must parse.
 */
const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 3)
const PUSHES = 2000
const CONCURRENCY = 50

async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) out.push(...(await allFiles(p)))
    else out.push(p)
  }
  return out
}

describe('listener crash safety', () => {
  const children: Child[] = []
  let cleanup: (() => Promise<void>) | null = null
  afterAll(async () => {
    for (const c of children) c.proc.kill('SIGKILL')
    await cleanup?.()
  })

  it(`keeps every Accepted push across ${ROUNDS} SIGKILLs at random points`, async () => {
    const t = await tempDir()
    cleanup = t.cleanup
    const everAccepted = new Set<string>()

    for (let round = 0; round < ROUNDS; round++) {
      const child = await spawnListener(t.dir, TOKEN)
      children.push(child)
      const pool = new Pool(`http://127.0.0.1:${child.port}`, { connections: CONCURRENCY })
      const killAfter = 100 + Math.floor(Math.random() * (PUSHES - 300))
      console.log(`crash round ${round}: SIGKILL after ${killAfter} of ${PUSHES} answers`)
      const ids = Array.from({ length: PUSHES }, (_, i) => `crash-${round}-${i}`)
      let answered = 0
      let killed = false
      let next = 0
      const acceptedNow: string[] = []
      const worker = async (): Promise<void> => {
        while (next < ids.length) {
          const id = ids[next++]!
          try {
            const res = await pool.request({
              method: 'GET',
              path: `/api/PostCallLogs/${TOKEN}/?${qs(samplePush(id))}`,
            })
            const text = await res.body.text()
            if (res.statusCode === 200 && text === 'Accepted') acceptedNow.push(id)
            else expect.fail(`unexpected answer ${res.statusCode} ${text}`)
          } catch (err) {
            if (!killed) throw err
            return // the child is gone: this push was never answered
          }
          if (++answered === killAfter) {
            killed = true
            child.proc.kill('SIGKILL')
          }
        }
      }
      await Promise.all(Array.from({ length: CONCURRENCY }, worker))
      await exited(child.proc)
      await pool.destroy()
      expect(child.proc.signalCode).toBe('SIGKILL')
      expect(acceptedNow.length).toBeGreaterThanOrEqual(killAfter - CONCURRENCY)
      for (const id of acceptedNow) everAccepted.add(id)

      // Restart on the same folder: the vendor retries a few pushes, accepted or not.
      const again = await spawnListener(t.dir, TOKEN)
      children.push(again)
      const pool2 = new Pool(`http://127.0.0.1:${again.port}`, { connections: 4 })
      for (const id of [acceptedNow[0]!, ids[ids.length - 1]!]) {
        const res = await pool2.request({
          method: 'GET',
          path: `/api/PostCallLogs/${TOKEN}/?${qs(samplePush(id))}`,
        })
        expect(await res.body.text()).toBe('Accepted')
        everAccepted.add(id)
      }
      await pool2.close()
      again.proc.kill('SIGTERM')
      await exited(again.proc)
      expect(again.proc.exitCode, again.stderr()).toBe(0)

      const dump = await dumpStore(t.dir, TOKEN)
      const stored = new Set(dump.ids)
      expect(stored.size, 'a call appears twice').toBe(dump.ids.length)
      const lost = [...everAccepted].filter((id) => !stored.has(id))
      expect(lost, 'accepted but lost').toEqual([])
      // Every push of a call carried the same content: one version each, never a second.
      expect(Object.values(dump.revisions).every((r) => r === 1)).toBe(true)
      expect(dump.rejected).toBe(0)
    }

    for (const file of await allFiles(t.dir)) {
      const text = await readFile(file, 'utf8')
      if (file.endsWith('.json')) expect(() => JSON.parse(text), file).not.toThrow()
      if (file.endsWith('.jsonl'))
        for (const line of text.split('\n').filter(Boolean))
          expect(() => JSON.parse(line), file).not.toThrow()
    }
  })
})
