import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Sleep } from '../../../src/main/ivrApi/outbox'

/** A sleep the test releases by hand; records every delay asked for. */
export class ManualSleep {
  readonly delays: number[] = []
  private pending: (() => void)[] = []

  readonly sleep: Sleep = (ms, signal) => {
    this.delays.push(ms)
    return new Promise<void>((resolve) => {
      this.pending.push(resolve)
      signal.addEventListener('abort', () => resolve(), { once: true })
    })
  }

  /** Ends every sleep in progress. */
  release(): void {
    const p = this.pending
    this.pending = []
    for (const f of p) f()
  }
}

/** Polls `cond` until it holds (fails the test after `ms`; never measures time itself). */
export async function until(cond: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ivrs-vendor-'))
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) }
}

/** A clock the test moves. */
export function manualClock(start = Date.parse('2026-11-27T04:30:00Z')): {
  now: () => number
  set: (ms: number) => void
  advance: (ms: number) => void
} {
  let t = start
  return { now: () => t, set: (ms) => (t = ms), advance: (ms) => (t += ms) }
}
