import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs'
import { dirname } from 'node:path'
import type { Logger } from '../ground/logger'

/**
 * The desktop app's logger: one line per event to stderr and to a log file in the data folder
 * (where the "details are in the log" of a generic error can be found). Every secret returned by
 * `secrets()` is replaced by `[redacted]` before a line is written anywhere.
 */
export function appLogger(opts: {
  file: string | null
  secrets: () => string[]
  level?: 'debug' | 'info'
  now?: () => Date
  stderr?: (line: string) => void
}): Logger & { close(): Promise<void> } {
  let stream: WriteStream | null = null
  if (opts.file) {
    mkdirSync(dirname(opts.file), { recursive: true })
    stream = createWriteStream(opts.file, { flags: 'a', mode: 0o600 })
    stream.on('error', () => {
      stream = null // a full disk must not take the app down; stderr still gets the lines
    })
  }
  const stderr = opts.stderr ?? ((line: string) => void process.stderr.write(line))
  const now = opts.now ?? (() => new Date())
  const write = (lvl: string, msg: string, ctx?: Record<string, unknown>): void => {
    let line = `${now().toISOString()} ${lvl} ${msg}${ctx ? ' ' + JSON.stringify(ctx) : ''}\n`
    for (const s of opts.secrets()) if (s) line = line.split(s).join('[redacted]')
    stderr(line)
    stream?.write(line)
  }
  return {
    debug: (m, c) => {
      if (opts.level === 'debug') write('DEBUG', m, c)
    },
    info: (m, c) => write('INFO', m, c),
    warn: (m, c) => write('WARN', m, c),
    error: (m, c) => write('ERROR', m, c),
    /** Flushes and closes the log file. */
    close: () =>
      new Promise<void>((resolve) => {
        if (!stream) return resolve()
        stream.end(() => resolve())
      }),
  }
}
