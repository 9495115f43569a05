import { EventEmitter } from 'node:events'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { silentLogger } from '../../../src/main/ground/logger'
import { STOP_LIMIT_MS, wireQuit } from '../../../src/main/electron/quit'

/** An Electron-like event: what `preventDefault` did. */
function event() {
  return {
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true
    },
  }
}

function setup(platform: NodeJS.Platform, stop: () => Promise<void>) {
  const app = Object.assign(new EventEmitter(), { quits: 0 })
  const quit = () => {
    app.quits++
    const e = event()
    app.emit('before-quit', e)
    return e
  }
  const powerMonitor = platform === 'win32' ? null : new EventEmitter()
  const win = new EventEmitter()
  let quitting = 0
  const warnings: string[] = []
  const ctl = wireQuit({
    app: { on: app.on.bind(app) as never, quit: () => void quit() },
    powerMonitor: powerMonitor as never,
    platform,
    stop,
    onQuitting: () => quitting++,
    logger: { ...silentLogger, warn: (m) => void warnings.push(m) },
  })
  ctl.watchWindow(win as never)
  return { app, quit, powerMonitor, win, quitting: () => quitting, warnings }
}

/** A stop the test finishes by hand. */
function heldStop() {
  let finish!: () => void
  const calls = { n: 0 }
  const stop = () => {
    calls.n++
    return new Promise<void>((r) => (finish = r))
  }
  return { stop, calls, finish: () => finish() }
}

const settle = () => vi.advanceTimersByTimeAsync(0)

describe('quit, shutdown and log-off', () => {
  beforeEach(() => void vi.useFakeTimers())
  afterEach(() => void vi.useRealTimers())

  it('Quit waits for the orderly stop, then quits', async () => {
    const s = heldStop()
    const t = setup('linux', s.stop)
    expect(t.quit().defaultPrevented).toBe(true)
    expect(s.calls.n).toBe(1)
    expect(t.quitting()).toBeGreaterThan(0)
    await settle()
    expect(t.app.quits).toBe(1)
    s.finish()
    await settle()
    // Quit again by the app itself: this one goes through.
    expect(t.app.quits).toBe(2)
  })

  it('a stop that hangs is cut at the limit, and said so', async () => {
    const t = setup('win32', () => new Promise<void>(() => {}))
    expect(t.quit().defaultPrevented).toBe(true)
    await vi.advanceTimersByTimeAsync(STOP_LIMIT_MS - 1)
    expect(t.app.quits).toBe(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(t.app.quits).toBe(2)
    expect(t.warnings).toContain('The core did not stop in time: quitting anyway')
  })

  it('a second Quit while the core stops is not held', async () => {
    const s = heldStop()
    const t = setup('darwin', s.stop)
    expect(t.quit().defaultPrevented).toBe(true)
    expect(t.quit().defaultPrevented).toBe(false)
    expect(s.calls.n).toBe(1)
  })

  it('macOS shutdown: the stop starts at once and before-quit is never held (it would cancel the shutdown)', async () => {
    const s = heldStop()
    const t = setup('darwin', s.stop)
    const shutdown = event()
    t.powerMonitor!.emit('shutdown', shutdown)
    expect(s.calls.n).toBe(1)
    expect(t.quitting()).toBeGreaterThan(0)
    expect(t.quit().defaultPrevented).toBe(false)
    expect(s.calls.n).toBe(1)
  })

  it('Linux shutdown: the shutdown is delayed while the core stops, then the app quits', async () => {
    const s = heldStop()
    const t = setup('linux', s.stop)
    const shutdown = event()
    t.powerMonitor!.emit('shutdown', shutdown)
    expect(shutdown.defaultPrevented).toBe(true)
    expect(s.calls.n).toBe(1)
    s.finish()
    await settle()
    expect(t.app.quits).toBe(1)
  })

  it("Windows session end: no before-quit comes, the window's session events start the stop without refusing it", async () => {
    const s = heldStop()
    const t = setup('win32', s.stop)
    const query = event()
    t.win.emit('query-session-end', query)
    expect(query.defaultPrevented).toBe(false)
    expect(s.calls.n).toBe(1)
    expect(t.quitting()).toBeGreaterThan(0)
    t.win.emit('session-end', event())
    expect(s.calls.n).toBe(1)
  })

  it('listens to no session events where the platform has none', () => {
    const t = setup('linux', async () => {})
    expect(t.win.listenerCount('session-end')).toBe(0)
    expect(t.win.listenerCount('query-session-end')).toBe(0)
  })
})
