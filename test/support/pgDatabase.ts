import { inject } from 'vitest'
import { createDatabase } from './postgres'

/** A new, empty database on the test run's cluster (see `postgresGlobal.ts`); returns its URL. */
export function freshDatabase(prefix = 'test'): Promise<string> {
  return createDatabase(inject('pgAdminUrl'), prefix)
}
