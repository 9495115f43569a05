/**
 * Runs the real built main bundle (out/main/index.js) under the stand-in `electron` module, as
 * linux, win32 or darwin, in a child process of its own with a throw-away data folder, and drives
 * it: the app's `ready`, its IPC channels and `app://` pages, OS events (shutdown, session end),
 * notification clicks and failures. See ./standIn.ts for what is enforced.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readApiRules, type ApiRule, type Platform } from './apiRules'
import type { ChildConfig, Command, StandInState } from './child'
import { ROOT } from '../desktopBuild'

let rules: [string, ApiRule][] | null = null

export interface LaunchOptions {
  platform: Platform
  /** out/ of the build to run. */
  out: string
  isPackaged?: boolean
  /** Arguments after the executable (Electron's `process.argv.slice(1)`). */
  args?: string[]
  execPath?: string
  env?: Record<string, string>
  notificationsSupported?: boolean
  wasOpenedAtLogin?: boolean
  messageBox?: { response: number; checkboxChecked: boolean }
}

export interface BundleRun {
  dir: string
  dataDir: string
  command<T = unknown>(command: Command): Promise<T>
  state(): Promise<StandInState>
  /** Polls the state until `test` holds (the test's own timeout bounds it). */
  until(test: (s: StandInState) => boolean): Promise<StandInState>
  /** The process ended: the code it ended with. */
  exited: Promise<number | null>
  /** The stand-in's state as the app ended (after `exited`; null if it was killed). */
  finalState: () => StandInState | null
  crashes: string[]
  stderr: () => string
  log: () => Promise<string>
  stop(): Promise<void>
}

export async function launchBundle(o: LaunchOptions): Promise<BundleRun> {
  rules ??= [...readApiRules()]
  const dir = await mkdtemp(join(tmpdir(), `ivrs-standin-${o.platform}-`))
  const dataDir = join(dir, 'data')
  await mkdir(join(dir, 'downloads'), { recursive: true })
  const version = (
    JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string }
  ).version
  const config: ChildConfig = {
    platform: o.platform,
    rules,
    appPath: ROOT,
    version,
    isPackaged: o.isPackaged ?? false,
    argv: o.args ?? (o.isPackaged ? [] : ['.']),
    notificationsSupported: o.notificationsSupported ?? true,
    wasOpenedAtLogin: o.wasOpenedAtLogin ?? false,
    messageBox: o.messageBox ?? { response: 0, checkboxChecked: false },
    downloads: join(dir, 'downloads'),
    bundle: join(o.out, 'main', 'index.js'),
    execPath: o.execPath ?? join(dir, 'bin', 'ivr-supervisor'),
    // Packaged, the icons are in <resources>/resources (electron-builder's extraResources).
    resourcesPath: ROOT,
  }
  const configFile = join(dir, 'standin.json')
  await writeFile(configFile, JSON.stringify(config))
  const child: ChildProcess = fork(join(import.meta.dirname, 'child.ts'), [], {
    execArgv: ['--import', 'tsx'],
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: {
      // The test's environment (a faked clock's LD_PRELOAD too), less any of the app's settings.
      ...Object.fromEntries(
        Object.entries(process.env).filter(([k]) => !k.startsWith('IVRS_') && k !== 'APPIMAGE'),
      ),
      HOME: dir,
      STANDIN_CONFIG: configFile,
      IVRS_DATA_DIR: dataDir,
      IVRS_WEBHOOK_PORT: '0',
      IVRS_DEMO: '0',
      XDG_CONFIG_HOME: join(dir, 'xdg'),
      ...o.env,
    },
  })
  let stderr = ''
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  child.stdout!.on('data', () => {})
  const crashes: string[] = []
  let finalState: StandInState | null = null
  const replies = new Map<number, (m: { result?: unknown; error?: string }) => void>()
  let loaded!: () => void
  let failed!: (err: Error) => void
  const isLoaded = new Promise<void>((res, rej) => {
    loaded = res
    failed = rej
  })
  const exited = new Promise<number | null>((res) => {
    child.on('exit', (code) => {
      failed(new Error(`the bundle's process ended (${code}) before it loaded:\n${stderr}`))
      // Commands still waiting get no answer now.
      for (const reply of replies.values()) reply({ error: `the app has ended (${code})` })
      res(code)
    })
  })
  child.on('error', () => {}) // a command after the end: see `command`
  child.on(
    'message',
    (m: { type: string; id?: number; error?: string; result?: unknown; state?: StandInState }) => {
      if (m.type === 'loaded') loaded()
      else if (m.type === 'exit') finalState = m.state ?? null
      else if (m.type === 'crash') crashes.push(m.error ?? '')
      else if (m.type === 'reply') replies.get(m.id!)?.(m)
    },
  )
  let next = 0
  const command = <T>(c: Command): Promise<T> =>
    new Promise<T>((res, rej) => {
      if (!child.connected) return rej(new Error(`the app has ended:\n${stderr}`))
      const id = ++next
      replies.set(id, (m) => {
        replies.delete(id)
        if (m.error !== undefined) rej(new Error(m.error))
        else res(m.result as T)
      })
      child.send({ id, command: c })
    })
  const state = () => command<StandInState>({ cmd: 'state' })
  await isLoaded
  return {
    dir,
    dataDir,
    command,
    state,
    async until(test) {
      for (;;) {
        const s = await state()
        if (test(s)) return s
        if (child.exitCode !== null) throw new Error(`the app ended:\n${stderr}`)
        await new Promise((r) => setTimeout(r, 25))
      }
    },
    exited,
    finalState: () => finalState,
    crashes,
    stderr: () => stderr,
    log: () => readFile(join(dataDir, 'logs', 'main.log'), 'utf8').catch(() => ''),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL')
        await exited
      }
      await rm(dir, { recursive: true, force: true })
    },
  }
}
