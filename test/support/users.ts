/**
 * Runs `npm run users` (the accounts command line) on a data folder, as a person would; `env`
 * adds to the environment (IVRS_DATABASE_URL: the database's accounts).
 */
import { execFile } from 'node:child_process'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '../..')

export interface UsersRun {
  code: number
  stdout: string
  stderr: string
  /** The last line of the output: the token, after `add`. */
  lastLine: string
}

export function runUsers(
  dataDir: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<UsersRun> {
  return new Promise((res) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'src/main/headless/usersCli.ts'), ...args],
      { cwd: ROOT, env: { ...process.env, IVRS_DATA_DIR: dataDir, ...env }, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? ((err as { code?: unknown }).code as number) : 0
        res({ code, stdout, stderr, lastLine: stdout.trimEnd().split('\n').at(-1) ?? '' })
      },
    )
  })
}

/** Adds a person and answers their personal token (the last line of the output). */
export async function addPerson(
  dataDir: string,
  name: string,
  role: string,
  env: Record<string, string> = {},
): Promise<string> {
  const run = await runUsers(dataDir, ['add', name, '--role', role], env)
  if (run.code !== 0) throw new Error(`users add failed (${run.code}): ${run.stderr}`)
  return run.lastLine
}
