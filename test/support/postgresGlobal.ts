/**
 * vitest globalSetup of the integration tests: one throw-away PostgreSQL cluster per run (see
 * `postgres.ts`), removed when the run ends; each test file makes its own database on it.
 */
import type { TestProject } from 'vitest/node'
import { startCluster } from './postgres'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The superuser URL of the run's cluster (its `postgres` database). */
    pgAdminUrl: string
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const cluster = await startCluster()
  project.provide('pgAdminUrl', cluster.adminUrl)
  return () => cluster.stop()
}
