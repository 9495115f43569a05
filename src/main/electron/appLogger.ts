import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs'
import { dirname } from 'node:path'
import { lineLogger, type Logger, type LogLevel } from '../ground/logger'

/**
 * The desktop app's logger: one line per event to stderr and to a log file in the data folder
 * (where the "details are in the log" of a generic error can be found). Every secret returned by
 * `secrets()` is replaced by `[redacted]` before a line is written anywhere.
 */
export function appLogger(opts: {
  file: string | null
  secrets: () => string[]
  level?: LogLevel
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
  const log = lineLogger({
    write: (line) => {
      stderr(line)
      stream?.write(line)
    },
    secrets: opts.secrets,
    level: opts.level,
    now: opts.now,
  })
  return {
    ...log,
    /** Flushes and closes the log file. */
    close: () =>
      new Promise<void>((resolve) => {
        if (!stream) return resolve()
        stream.end(() => resolve())
      }),
  }
}
