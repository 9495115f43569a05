import { hostname } from 'node:os'
import pino from 'pino'
import { redact, type Logger, type LogLevel } from './logger'

/**
 * A logger writing one JSON object per line (`IVRS_LOG_FORMAT=json`), for a log collector:
 * pino, fastify's own logger, with the level by its name (`"level":"error"`), the time in UTC
 * (`"time":"2026-05-01T10:15:00.000Z"`), the process, the host, and the context's fields beside
 * `msg`. Every secret `secrets()` returns is replaced by `[redacted]` in the finished line, as
 * text and as JSON escapes it, before it is written.
 */
export function jsonLogger(opts: {
  secrets: () => string[]
  /** The least level written (default `info`). */
  level?: LogLevel
  /** Fields of every line, e.g. the app's version. */
  base?: Record<string, unknown>
  /** Where each line goes (default stderr). */
  write?: (line: string) => void
  now?: () => number
}): Logger {
  const write = opts.write ?? ((line: string) => void process.stderr.write(line))
  const now = opts.now ?? Date.now
  const log = pino(
    {
      level: opts.level ?? 'info',
      base: { pid: process.pid, hostname: hostname(), ...opts.base },
      timestamp: () => `,"time":"${new Date(now()).toISOString()}"`,
      formatters: { level: (label) => ({ level: label }) },
    },
    { write: (line: string) => write(redact(line, opts.secrets())) },
  )
  return {
    debug: (msg, ctx) => log.debug(ctx ?? {}, msg),
    info: (msg, ctx) => log.info(ctx ?? {}, msg),
    warn: (msg, ctx) => log.warn(ctx ?? {}, msg),
    error: (msg, ctx) => log.error(ctx ?? {}, msg),
  }
}
