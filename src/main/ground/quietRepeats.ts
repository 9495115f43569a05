import type { Logger } from './logger'

/** The window within which repeats of one warning or error are counted, not written. */
export const REPEAT_WINDOW_MS = 10_000

/**
 * Folds repeats of a warning or an error into one line with a count: the first of a message is
 * written at once; the same message again within `windowMs` is only counted, and when the
 * window ends one more line says how often it came (`repeated`, with the context of the last).
 * A six-second database outage under load wrote 7,034 ERROR lines, one per refused push; now it
 * writes two. Debug and info lines pass as they are. `flush` writes the pending counts now (on
 * the way out).
 */
export function quietRepeats(
  inner: Logger,
  windowMs = REPEAT_WINDOW_MS,
): Logger & { flush(): void } {
  interface Window {
    level: 'warn' | 'error'
    msg: string
    count: number
    ctx?: Record<string, unknown>
    timer: NodeJS.Timeout
  }
  const open = new Map<string, Window>()
  const close = (key: string): void => {
    const w = open.get(key)
    if (!w) return
    open.delete(key)
    clearTimeout(w.timer)
    if (w.count > 0)
      inner[w.level](w.msg, { ...w.ctx, repeated: w.count, withinSeconds: windowMs / 1000 })
  }
  const folded =
    (level: 'warn' | 'error') =>
    (msg: string, ctx?: Record<string, unknown>): void => {
      const key = `${level}\u0000${msg}`
      const w = open.get(key)
      if (w) {
        w.count++
        w.ctx = ctx
        return
      }
      inner[level](msg, ctx)
      const timer = setTimeout(() => close(key), windowMs)
      timer.unref()
      open.set(key, { level, msg, count: 0, ctx, timer })
    }
  return {
    debug: (msg, ctx) => inner.debug(msg, ctx),
    info: (msg, ctx) => inner.info(msg, ctx),
    warn: folded('warn'),
    error: folded('error'),
    flush: () => {
      for (const key of [...open.keys()]) close(key)
    },
  }
}
