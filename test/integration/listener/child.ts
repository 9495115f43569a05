import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const FIXTURE = fileURLToPath(new URL('./fixtures/listenerChild.ts', import.meta.url))

/**
 * Opens the data folder `dir` (as `npm run serve` lays it out) in a separate process and returns
 * what its call store and rejected log hold: the test's view of what survived on disk.
 */
export async function dumpStore(
  dir: string,
): Promise<{ ids: string[]; revisions: Record<string, number>; rejected: number }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
    env: { ...process.env, IVRS_TEST_DIR: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()))
  const code = await new Promise<number | null>((r) => proc.once('exit', r))
  if (code !== 0) throw new Error(`dump failed (${code}): ${err}`)
  return JSON.parse(out)
}

export function exited(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve()
  return new Promise((r) => proc.once('exit', () => r()))
}
