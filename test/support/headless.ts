/**
 * Starts headless mode (`src/main/headless/serve.ts`) as a child process with a throw-away data
 * folder and ephemeral ports, and reads the addresses it prints. Shared by the integration and
 * end-to-end suites.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { samplePush, todayIn } from './fixtures'

export interface Headless {
  child: ChildProcess
  dataDir: string
  webhookUrl: string
  apiUrl: string
  apiToken: string
  appUrl: string | null
  simulatorUrl: string | null
  stdout: () => string
  stderr: () => string
  /** SIGTERM and wait; resolves with the exit code. */
  stop(): Promise<number | null>
}

const ROOT = resolve(import.meta.dirname, '../..')

export async function startHeadless(opts: {
  demo?: boolean
  env?: Record<string, string>
  dataDir?: string
  timeoutMs?: number
  /** Node options in front of the script, e.g. `--cpu-prof` (benchmarks). */
  nodeArgs?: string[]
  /** Runs it as this user (`runuser -u`, when this process is root), as systemd's `User=`. */
  runAs?: string
  /**
   * What starts it, program first (default: this node with tsx on serve.ts in this checkout),
   * e.g. `node out/server/serve.js` or `npm run serve` in a production install; and where.
   */
  command?: string[]
  cwd?: string
}): Promise<Headless> {
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'ivrs-headless-')))
  const argv = [
    ...(opts.command ?? [
      process.execPath,
      ...(opts.nodeArgs ?? []),
      '--import',
      'tsx',
      join(ROOT, 'src/main/headless/serve.ts'),
    ]),
  ]
  if (opts.demo) argv.push('--demo')
  const [command, ...commandArgs] = opts.runAs ? ['runuser', '-u', opts.runAs, '--', ...argv] : argv
  const child = spawn(command!, commandArgs, {
    cwd: opts.cwd ?? ROOT,
    env: { ...headlessEnv(dataDir), ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()))
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))

  await new Promise<void>((res, rej) => {
    const timer = setTimeout(
      () => rej(new Error(`headless mode did not print Ready.\n${out}\n${err}`)),
      opts.timeoutMs ?? 60_000,
    )
    const check = (): void => {
      if (/^Ready\.$/m.test(out)) {
        clearTimeout(timer)
        res()
      }
    }
    child.stdout?.on('data', check)
    child.once('exit', (code) => {
      clearTimeout(timer)
      rej(new Error(`headless mode exited with ${code}\n${out}\n${err}`))
    })
  })
  const line = (prefix: string): string | null => {
    const l = out.split('\n').find((x) => x.startsWith(prefix))
    return l ? l.slice(prefix.length).trim() : null
  }
  const webhookUrl = line('Webhook URL (give this to the vendor):')
  const api = /^Local API: (\S+)\s+\(Authorization: Bearer (\S+)\)/m.exec(out)
  if (!webhookUrl || !api?.[1] || !api[2]) throw new Error(`unexpected output:\n${out}`)
  return {
    child,
    dataDir,
    webhookUrl,
    apiUrl: api[1],
    apiToken: api[2],
    appUrl: line('Open the app:'),
    simulatorUrl: line('Simulator (vendor stand-in):'),
    stdout: () => out,
    stderr: () => err,
    async stop() {
      if (child.exitCode !== null) return child.exitCode
      child.kill('SIGTERM')
      return exited
    },
  }
}

/** The environment headless mode runs with in tests: a data folder, every port free (0). */
export function headlessEnv(dataDir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'test',
    IVRS_DATA_DIR: dataDir,
    IVRS_WEBHOOK_PORT: '0',
    IVRS_API_PORT: '0',
    IVRS_SIM_PORT: '0',
    IVRS_SIM_RATE: '0',
  }
}

export { todayIn }

/** The URL of {@link samplePush} sent to a webhook: a fresh call id unless `over` names one. */
export function samplePushUrl(webhookUrl: string, over: Record<string, string> = {}): string {
  const { calllogid = `c-${Math.random().toString(36).slice(2)}`, ...rest } = over
  return `${webhookUrl}?${new URLSearchParams(samplePush(calllogid, rest))}`
}
