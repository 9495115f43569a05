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

/** A logger that writes one line per event to stderr (headless mode). Redacts secrets it is given. */
export function consoleLogger(
  secrets: () => string[] = () => [],
  level: 'debug' | 'info' = 'info',
): Logger {
  const write = (lvl: string, msg: string, ctx?: Record<string, unknown>): void => {
    let line = `${new Date().toISOString()} ${lvl} ${msg}${ctx ? ' ' + JSON.stringify(ctx) : ''}`
    for (const s of secrets()) if (s) line = line.split(s).join('[redacted]')
    process.stderr.write(line + '\n')
  }
  return {
    debug: (m, c) => {
      if (level === 'debug') write('DEBUG', m, c)
    },
    info: (m, c) => write('INFO', m, c),
    warn: (m, c) => write('WARN', m, c),
    error: (m, c) => write('ERROR', m, c),
  }
}
