import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { Pool } from 'undici'
import { FileCallStore } from '../../../src/main/storage/folder/fileCallStore'
import { FileRejectedLog } from '../../../src/main/storage/folder/rejectedLog'
import { systemClock } from '../../../src/main/ground/clock'
import { silentLogger } from '../../../src/main/ground/logger'
import type { BusEvents } from '../../../src/main/events/bus'
import { TOKEN, qs, samplePush, startListener, tempDir } from './helpers'

describe('duplicate storm (real socket, real FileCallStore)', () => {
  const closers: (() => Promise<void>)[] = []
  afterAll(async () => {
    for (const c of closers.reverse()) await c()
  })

  it('answers one call id pushed 200 times in parallel with 200 × Accepted and keeps one record', async () => {
    const t = await tempDir()
    closers.push(t.cleanup)
    const store = await FileCallStore.open({
      dir: join(t.dir, 'calls'),
      timezone: 'Asia/Kolkata',
      clock: systemClock,
      logger: silentLogger,
    })
    const rejected = await FileRejectedLog.open({
      dir: join(t.dir, 'rejected'),
      clock: systemClock,
    })
    closers.push(
      () => store.close(),
      () => rejected.close(),
    )
    const l = await startListener({ store, rejected })
    closers.push(() => l.server.stop())
    const events: BusEvents['call:stored'][] = []
    l.bus.on('call:stored', (e) => events.push(e))

    const pool = new Pool(l.base, { connections: 50 })
    closers.push(() => pool.close())
    const path = `/api/PostCallLogs/${TOKEN}/?${qs(samplePush('storm-1'))}`
    const answers = await Promise.all(
      Array.from({ length: 200 }, async () => {
        const res = await pool.request({ method: 'GET', path })
        return `${res.statusCode} ${await res.body.text()}`
      }),
    )
    expect(answers).toEqual(Array(200).fill('200 Accepted'))
    expect(store.size()).toBe(1)
    const call = await store.get('storm-1')
    expect(call).toMatchObject({ id: 'storm-1', revision: 1, history: [] })
    expect(events.map((e) => e.outcome)).toEqual(['created'])

    // And it is one record on disk too, after a reopen.
    await l.server.stop()
    await store.close()
    const again = await FileCallStore.open({
      dir: join(t.dir, 'calls'),
      timezone: 'Asia/Kolkata',
      clock: systemClock,
      logger: silentLogger,
    })
    closers.push(() => again.close())
    expect(again.size()).toBe(1)
    expect((await again.get('storm-1'))?.revision).toBe(1)
  })
})
