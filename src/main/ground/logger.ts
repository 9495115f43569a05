import { isoWithOffset } from '../../shared/localTime'

/** What every service logs through; tests pass `silentLogger`, the shells a real one. */
export interface Logger {
  debug(msg: string, ctx?: Record<string, unknown>): void
  info(msg: string, ctx?: Record<string, unknown>): void
  warn(msg: string, ctx?: Record<string, unknown>): void
  error(msg: string, ctx?: Record<string, unknown>): void
}

/** How much is logged, least first: each level logs itself and the ones after it. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

/** True when a logger set to `level` writes lines of level `line`. */
export function logs(level: LogLevel, line: LogLevel): boolean {
  return LOG_LEVELS.indexOf(line) >= LOG_LEVELS.indexOf(level)
}

/** Replaces every secret by `[redacted]`, also as JSON writes it (escaped), in one line. */
export function redact(line: string, secrets: readonly string[]): string {
  for (const s of secrets) {
    if (!s) continue
    line = line.split(s).join('[redacted]')
    const escaped = JSON.stringify(s).slice(1, -1)
    if (escaped !== s) line = line.split(escaped).join('[redacted]')
  }
  return line
}

export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
}

/**
 * A logger that turns each event into one line (`<ISO time> <LEVEL> <message> <context JSON>`),
 * replaces every secret `secrets()` returns by `[redacted]`, and hands the line to `write`. The
 * time is UTC (`…Z`), or with `zone` local time there with its offset (`…+05:30`), so every line
 * says which zone it uses.
 */
export function lineLogger(opts: {
  write: (line: string) => void
  secrets: () => string[]
  /** The least level written (default `info`). */
  level?: LogLevel
  now?: () => Date
  zone?: () => string
}): Logger {
  const level = opts.level ?? 'info'
  const now = opts.now ?? (() => new Date())
  const stamp = (): string => {
    const t = now()
    const zone = opts.zone?.()
    if (!zone) return t.toISOString()
    try {
      return isoWithOffset(t.getTime(), zone)
    } catch {
      return t.toISOString()
    }
  }
  const write = (lvl: LogLevel, msg: string, ctx?: Record<string, unknown>): void => {
    if (!logs(level, lvl)) return
    const line = `${stamp()} ${lvl.toUpperCase()} ${msg}${ctx ? ' ' + JSON.stringify(ctx) : ''}\n`
    opts.write(redact(line, opts.secrets()))
  }
  return {
    debug: (m, c) => write('debug', m, c),
    info: (m, c) => write('info', m, c),
    warn: (m, c) => write('warn', m, c),
    error: (m, c) => write('error', m, c),
  }
}

/** Headless mode's logger: one line per event to stderr, secrets redacted, times in `zone`. */
export function consoleLogger(
  secrets: () => string[] = () => [],
  level: LogLevel = 'info',
  zone?: () => string,
): Logger {
  return lineLogger({ write: (line) => void process.stderr.write(line), secrets, level, zone })
}
