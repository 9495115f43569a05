import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

const FIXTURE = fileURLToPath(new URL('./fixtures/listenerChild.ts', import.meta.url))

export interface Child {
  proc: ChildProcess
  port: number
  stderr: () => string
}

/** Runs the listener child on `dir`; resolves once it printed its port. */
export function spawnListener(dir: string, token: string, args: string[] = []): Promise<Child> {
  const proc = spawn(process.execPath, ['--import', 'tsx', FIXTURE, ...args], {
    env: { ...process.env, IVRS_TEST_DIR: dir, IVRS_TEST_TOKEN: token },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let err = ''
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()))
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: proc.stdout! })
    lines.once('line', (line) => {
      try {
        const { port } = JSON.parse(line) as { port: number }
        resolve({ proc, port, stderr: () => err })
      } catch (e) {
        reject(e as Error)
      }
    })
    proc.once('exit', (code) => reject(new Error(`listener child exited (${code}): ${err}`)))
  })
}

/** Runs the child in `--dump` mode and returns what it printed. */
export async function dumpStore(
  dir: string,
  token: string,
): Promise<{ ids: string[]; revisions: Record<string, number>; rejected: number }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', FIXTURE, '--dump'], {
    env: { ...process.env, IVRS_TEST_DIR: dir, IVRS_TEST_TOKEN: token },
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
