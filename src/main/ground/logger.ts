import { isoWithOffset } from '../../shared/localTime'

/** What every service logs through; tests pass `silentLogger`, the shells a real one. */
export interface Logger {
  debug(msg: string, ctx?: Record<string, unknown>): void
  info(msg: string, ctx?: Record<string, unknown>): void
  warn(msg: string, ctx?: Record<string, unknown>): void
  error(msg: string, ctx?: Record<string, unknown>): void
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
  level?: 'debug' | 'info'
  now?: () => Date
  zone?: () => string
}): Logger {
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
  const write = (lvl: string, msg: string, ctx?: Record<string, unknown>): void => {
    let line = `${stamp()} ${lvl} ${msg}${ctx ? ' ' + JSON.stringify(ctx) : ''}\n`
    for (const s of opts.secrets()) if (s) line = line.split(s).join('[redacted]')
    opts.write(line)
  }
  return {
    debug: (m, c) => {
      if (opts.level === 'debug') write('DEBUG', m, c)
    },
    info: (m, c) => write('INFO', m, c),
    warn: (m, c) => write('WARN', m, c),
    error: (m, c) => write('ERROR', m, c),
  }
}

/** Headless mode's logger: one line per event to stderr, secrets redacted, times in `zone`. */
export function consoleLogger(
  secrets: () => string[] = () => [],
  level: 'debug' | 'info' = 'info',
  zone?: () => string,
): Logger {
  return lineLogger({ write: (line) => void process.stderr.write(line), secrets, level, zone })
}
