import { describe, expect, it } from 'vitest'
import { silentLogger, type Logger } from '../../../src/main/ground/logger'
import { alertFallback } from '../../../src/main/electron/alertFallback'

function setup(focused = false) {
  const flashes: boolean[] = []
  const attention: (string | null)[] = []
  const warnings: unknown[] = []
  const logger: Logger = { ...silentLogger, warn: (_m, f) => void warnings.push(f) }
  const win = {
    isDestroyed: () => false,
    isFocused: () => focused,
    flashFrame: (flag: boolean) => void flashes.push(flag),
  }
  const fallback = alertFallback({
    window: () => win,
    tray: () => ({ attention: (r) => void attention.push(r) }),
    logger,
  })
  return { fallback, flashes, attention, warnings }
}

describe('the fallback for a notification that did not show', () => {
  it('flashes the window frame and turns the tray to its attention icon, once per reason in the log', () => {
    const t = setup()
    t.fallback.notShown('this system offers no notification service')
    t.fallback.notShown('this system offers no notification service')
    expect(t.flashes).toEqual([true, true])
    expect(t.attention).toEqual([
      'this system offers no notification service',
      'this system offers no notification service',
    ])
    expect(t.warnings).toEqual([{ reason: 'this system offers no notification service' }])
    t.fallback.notShown('the system refused it (toasts are off)')
    expect(t.warnings).toHaveLength(2)
  })

  it('does not flash a window the user is looking at, and stops both when it is focused', () => {
    const t = setup(true)
    t.fallback.notShown('the system refused it (toasts are off)')
    expect(t.flashes).toEqual([])
    expect(t.attention).toEqual(['the system refused it (toasts are off)'])
    t.fallback.seen()
    expect(t.flashes).toEqual([false])
    expect(t.attention.at(-1)).toBeNull()
  })
})
