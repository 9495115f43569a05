import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { FileCallStore } from '../../../src/main/storage/folder/fileCallStore'
import { fakeClock, fields, logger, raw, tempDir } from './fixtures'

const ZONE = 'Asia/Kolkata'
let dir: string
let cleanup: () => Promise<void>
let store: FileCallStore | null = null
beforeEach(async () => ({ dir, cleanup } = await tempDir()))
afterEach(async () => {
  await store?.close()
  store = null
  await cleanup()
})

describe('checkpoint cadence', () => {
  it('grows with the month it rewrites, so a push does not pay more as its month fills', async () => {
    // A tiny base threshold: with a fixed threshold every push would trigger a rewrite of the
    // whole month, making the cost per push grow with the month's size.
    store = await FileCallStore.open({
      dir,
      timezone: ZONE,
      clock: fakeClock(),
      logger,
      checkpointIntervalMs: 0,
      checkpointBytes: 1,
    })
    const checkpoint = vi.spyOn(store, 'checkpoint')
    const pushes = 600
    for (let i = 0; i < pushes; i++) {
      const id = `cp-${i}`
      await store.upsert(fields(id, '2026-03-10', '10:00:00'), raw(id), new Date().toISOString())
      // Let a checkpoint the push triggered finish, so no trigger is skipped as "already running".
      await store.checkpointIdle()
    }
    // Geometric growth: a handful of rewrites, where a fixed threshold rewrites the month per push.
    expect(checkpoint.mock.calls.length).toBeGreaterThan(0)
    expect(checkpoint.mock.calls.length).toBeLessThan(pushes / 10)
    expect(store.size()).toBe(pushes)
  })
})
