import type { EnvConfig } from '../config/env'
import { jsonLogger } from '../ground/jsonLogger'
import { consoleLogger, type Logger } from '../ground/logger'
import { quietRepeats } from '../ground/quietRepeats'

/**
 * Headless mode's logger, as the environment asks: readable lines with local times, or JSON lines
 * (`IVRS_LOG_FORMAT=json`), from `IVRS_LOG_LEVEL` up; secrets redacted either way; repeats of a
 * warning or an error folded into one line with a count.
 */
export function headlessLogger(
  env: Pick<EnvConfig, 'logFormat' | 'logLevel'>,
  opts: { secrets: () => string[]; zone: () => string; version: string },
): Logger & { flush(): void } {
  const inner =
    env.logFormat === 'json'
      ? jsonLogger({ secrets: opts.secrets, level: env.logLevel, base: { version: opts.version } })
      : consoleLogger(opts.secrets, env.logLevel, opts.zone)
  return quietRepeats(inner)
}
