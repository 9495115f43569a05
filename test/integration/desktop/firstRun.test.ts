/**
 * The desktop app's first run on each platform, without the Electron binary: the real built main
 * bundle (out/main/index.js, from `npm run build`) runs as linux, win32 and darwin under the
 * stand-in `electron` module (test/support/electron), which records every call and refuses any
 * that Electron 45's type declarations document for other platforms or for the other side of the
 * `ready` event. The core behind it is the real one, on a throw-away data folder, with its
 * listener on a free port: pushes go over HTTP as the vendor sends them.
 */
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { APP_ID, DESKTOP_FILE } from '../../../src/main/ground/paths'
import { notificationId } from '../../../src/main/electron/notifications'
import { desktopBuild } from '../../support/desktopBuild'
import { samplePushUrl } from '../../support/headless'
import { launchBundle, type BundleRun, type LaunchOptions } from '../../support/electron/harness'
import type { StandInState } from '../../support/electron/child'

let out = ''
const runs: BundleRun[] = []

beforeAll(async () => {
  out = await desktopBuild()
}, 600_000)

afterEach(async () => {
  for (const run of runs.splice(0)) await run.stop()
})

async function launch(o: Omit<LaunchOptions, 'out'>): Promise<BundleRun> {
  const run = await launchBundle({ ...o, out })
  runs.push(run)
  return run
}

/** Ready, then running: the tray is the last thing start-up makes. */
async function started(run: BundleRun): Promise<StandInState> {
  await run.command({ cmd: 'ready' })
  return run.until((s) => s.trays.length > 0 || s.violations.length > 0 || run.crashes.length > 0)
}

const apis = (s: StandInState) => s.calls.map((c) => c.api)
const firstIndex = (s: StandInState, api: string) => apis(s).findIndex((a) => a.startsWith(api))

async function webhookUrl(run: BundleRun): Promise<string> {
  const health = await run.command<{ webhookUrl: string }>({ cmd: 'invoke', channel: 'health:get' })
  return health.webhookUrl
}

async function pushMissed(run: BundleRun, id: string): Promise<void> {
  const res = await fetch(
    samplePushUrl(await webhookUrl(run), { callstatus: 'MISSED', calllogid: id }),
  )
  expect(await res.text()).toMatch(/Accepted/)
}

const logHas = async (run: BundleRun, text: string) => {
  while (!(await run.log()).includes(text)) await new Promise((r) => setTimeout(r, 25))
}

describe('the built main bundle on Linux', () => {
  it('starts in the documented order, loads its window from app:// and refuses traversal', async () => {
    const run = await launch({ platform: 'linux' })
    const before = await run.state()
    // Everything main() does runs before ready, as Electron requires of these.
    expect(apis(before)).toEqual(
      expect.arrayContaining([
        'App.setPath',
        'App.requestSingleInstanceLock',
        'Protocol.registerSchemesAsPrivileged',
      ]),
    )
    expect(before.calls.every((c) => !c.afterReady)).toBe(true)
    expect(before.windows).toEqual([])

    const s = await started(run)
    expect(s.violations).toEqual([])
    expect(run.crashes).toEqual([])
    // app:// is served before the window loads it, and the window exists before any secret is
    // read (a Keychain prompt never holds start-up with no window).
    expect(firstIndex(s, 'Protocol.handle')).toBeLessThan(firstIndex(s, 'BrowserWindow.loadURL'))
    expect(firstIndex(s, 'BrowserWindow.constructor')).toBeLessThan(firstIndex(s, 'SafeStorage.'))
    expect(apis(s)).not.toContain('SafeStorage.decryptString')
    expect(apis(s)).not.toContain('SafeStorage.encryptString')

    const [win] = s.windows
    const prefs = (win!.options as { webPreferences: Record<string, unknown> }).webPreferences
    expect(prefs).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false })
    expect(prefs['preload']).toBe(join(out, 'preload', 'index.cjs'))
    expect(existsSync(prefs['preload'] as string)).toBe(true)
    expect(win).toMatchObject({ url: 'app://renderer/index.html', loaded: 'loaded', visible: true })

    const page = await run.command<{
      status: number
      headers: Record<string, string>
      body: string
    }>({ cmd: 'fetch', url: 'app://renderer/index.html' })
    expect(page.status).toBe(200)
    expect(page.headers['content-type']).toMatch(/^text\/html/)
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/)
    const script = /src="\.?\/?(assets\/[^"]+\.js)"/.exec(page.body)![1]!
    const asset = await run.command<{ status: number; headers: Record<string, string> }>({
      cmd: 'fetch',
      url: `app://renderer/${script}`,
    })
    expect(asset.status).toBe(200)
    expect(asset.headers['content-type']).toMatch(/^text\/javascript/)
    for (const url of [
      'app://renderer/../main/index.js',
      'app://renderer/%2e%2e/main/index.js',
      'app://renderer/..%2fmain%2findex.js',
      'app://renderer/assets/..%2f..%2f..%2fpackage.json',
      'app://renderer/..%5cmain%5cindex.js',
      'app://renderer/%00index.html',
      'app://main/index.js',
    ]) {
      const r = await run.command<{ status: number; body: string }>({ cmd: 'fetch', url })
      expect(r.status, url).toBe(404)
      expect(r.body, url).not.toContain('requestSingleInstanceLock')
    }

    // IPC answers the app's own frame only.
    await expect(
      run.command({ cmd: 'invoke', channel: 'health:get', frameUrl: 'https://evil.example/' }),
    ).rejects.toThrow(/did not come from the app window/)
  })

  it('a pushed MISSED call raises a notification with a failure listener; Quit stops the core in order', async () => {
    const run = await launch({ platform: 'linux' })
    await started(run)
    await pushMissed(run, 'first-run-missed-1')
    const s = await run.until((x) => x.notifications.some((n) => n.shown))
    const n = s.notifications[0]!
    expect(n.options['title']).toMatch(/^Missed call from /)
    expect(n.listening).toEqual(expect.arrayContaining(['click', 'close', 'failed']))
    await run.until((x) => x.trays[0]!.tooltip.includes('1 missed call waiting'))

    await run.command({ cmd: 'quit' })
    expect(await run.exited).toBe(0)
    // The core's orderly stop ran before the process ended (the simulator is stopped by it).
    expect(await run.log()).toContain('IVR simulator stopped')
  })

  it('a shutdown or log-out (powerMonitor shutdown) is delayed while the core stops, then the app quits', async () => {
    const run = await launch({ platform: 'linux' })
    await started(run)
    const shutdown = await run.command<{ defaultPrevented: boolean }>({
      cmd: 'emit',
      target: 'powerMonitor',
      event: 'shutdown',
      preventable: true,
    })
    expect(shutdown.defaultPrevented).toBe(true)
    expect(await run.exited).toBe(0)
    expect(await run.log()).toContain('IVR simulator stopped')
  })

  it('inside an AppImage: says it runs without the sandbox, falls back without a notification daemon, autostarts the AppImage, relaunches it', async () => {
    const appImage = '/home/asha/Apps/IVR Supervisor-0.1.0-x86_64.AppImage'
    const run = await launch({
      platform: 'linux',
      isPackaged: true,
      // What electron-builder's AppRun passes where it cannot create a user namespace.
      args: ['--no-sandbox'],
      execPath: '/tmp/.mount_IVRSupXyZ/ivr-supervisor',
      env: { APPIMAGE: appImage, APPDIR: '/tmp/.mount_IVRSupXyZ' },
      notificationsSupported: false,
    })
    let s = await started(run)
    expect(s.violations).toEqual([])
    s = await run.until((x) => x.calls.some((c) => c.api === 'Dialog.showMessageBox'))
    const box = s.calls.find((c) => c.api === 'Dialog.showMessageBox')!.args[0] as Record<
      string,
      string
    >
    expect(box['title']).toBe('IVR Supervisor is running without its sandbox')
    expect(box['detail']).toMatch(/Install the \.deb package/)

    // No notification daemon: the window frame flashes and the tray takes over.
    await pushMissed(run, 'first-run-missed-2')
    s = await run.until((x) => x.trays[0]!.images.length > 1)
    expect(s.notifications).toEqual([])
    expect(s.windows[0]!.flashes).toEqual([true])
    expect(s.trays[0]!.images.at(-1)).toMatch(/trayAttention\.png$/)
    expect(s.trays[0]!.tooltip).toMatch(
      /Notifications are not showing: this system offers no notification service/,
    )

    // Start at login: an XDG autostart entry that starts the AppImage hidden.
    await run.command({
      cmd: 'invoke',
      channel: 'settings:update',
      payload: { startAtLogin: true },
    })
    const entry = join(run.dir, 'xdg', 'autostart', DESKTOP_FILE)
    while (!existsSync(entry)) await new Promise((r) => setTimeout(r, 25))
    expect(await readFile(entry, 'utf8')).toContain(`Exec="${appImage}" --hidden`)

    // Disconnecting from a team server restarts: the AppImage file, not its vanishing mount.
    await run.command({ cmd: 'invoke', channel: 'team:disconnect' })
    expect(await run.exited).toBe(0)
    s = run.finalState()!
    expect(s.calls.find((c) => c.api === 'App.relaunch')!.args).toEqual([
      { execPath: appImage, args: ['--no-sandbox'] },
    ])
    // Documented for macOS and Windows only: the stand-in would have refused it.
    expect(apis(s)).not.toContain('App.setLoginItemSettings')
  })

  it('a team token that cannot be read is asked about, not a silent start as a local receiver', async () => {
    const run = await launch({
      platform: 'linux',
      messageBox: { response: 1, checkboxChecked: false },
    })
    await mkdir(run.dataDir, { recursive: true })
    await writeFile(
      join(run.dataDir, 'team.json'),
      JSON.stringify({ server: 'https://team.example' }),
    )
    await run.command({ cmd: 'ready' })
    // The user answers Quit: the app ends, having started no receiver.
    expect(await run.exited).toBe(0)
    const s = run.finalState()!
    const box = s.calls.find((c) => c.api === 'Dialog.showMessageBox')!.args[0] as Record<
      string,
      string
    >
    expect(box['message']).toContain('https://team.example')
    expect(box['buttons']).toEqual(["Start as this computer's own receiver", 'Quit'])
    expect(s.trays).toEqual([])
    expect(await run.log()).not.toContain('listener listening')
  })
})

describe('the built main bundle on Windows', () => {
  it('sets the installer app id before the first window, handles toasts and their failures, and the session end', async () => {
    const run = await launch({ platform: 'win32', isPackaged: true })
    let s = await started(run)
    expect(s.violations).toEqual([])
    expect(run.crashes).toEqual([])
    const setId = s.calls.find((c) => c.api === 'App.setAppUserModelId')!
    expect(setId.args).toEqual([APP_ID])
    expect(setId.afterReady).toBe(false)
    expect(firstIndex(s, 'App.setAppUserModelId')).toBeLessThan(
      firstIndex(s, 'BrowserWindow.constructor'),
    )
    expect(s.activation).toBe(true)

    await pushMissed(run, 'first-run-missed-3')
    s = await run.until((x) => x.notifications.some((n) => n.shown))
    expect(s.notifications[0]!.options['id']).toBe(notificationId('first-run-missed-3'))
    expect(s.notifications[0]!.listening).toContain('failed')
    // Toasts turned off for the app: `failed`, and the tray and the taskbar button stand in.
    await run.command({
      cmd: 'emit',
      target: { notification: 0 },
      event: 'failed',
      args: [{}, 'Notifications are disabled for this app'],
    })
    s = await run.until((x) => x.windows[0]!.flashes.length > 0)
    expect(s.trays[0]!.images.at(-1)).toMatch(/trayAttention\.png$/)
    // A click in the Action Center after the notification object is gone opens the call.
    await run.command({ cmd: 'activate', arguments: notificationId('first-run-missed-3') })
    s = await run.until((x) => x.windows[0]!.sent.some((m) => m.channel === 'app:openCall'))
    expect(s.windows[0]!.sent.find((m) => m.channel === 'app:openCall')!.payload).toEqual({
      id: 'first-run-missed-3',
    })

    await run.command({
      cmd: 'invoke',
      channel: 'settings:update',
      payload: { startAtLogin: true },
    })
    s = await run.until((x) =>
      x.calls.some(
        (c) => c.api === 'App.setLoginItemSettings' && JSON.stringify(c.args).includes('true'),
      ),
    )
    expect(s.calls.filter((c) => c.api === 'App.setLoginItemSettings').map((c) => c.args)).toEqual([
      [{ openAtLogin: false, args: ['--hidden'] }],
      [{ openAtLogin: true, args: ['--hidden'] }],
    ])

    // Windows sends no before-quit at a shutdown: the window's session events stop the core.
    const query = await run.command<{ defaultPrevented: boolean }>({
      cmd: 'emit',
      target: { window: 0 },
      event: 'query-session-end',
      preventable: true,
      args: [],
    })
    expect(query.defaultPrevented).toBe(false)
    await run.command({
      cmd: 'emit',
      target: { window: 0 },
      event: 'session-end',
      preventable: true,
    })
    await logHas(run, 'IVR simulator stopped')
    expect(await run.log()).toContain('Windows is ending the session: stopping')
  })

  it('started at login, stays in the tray', async () => {
    const run = await launch({ platform: 'win32', isPackaged: true, args: ['--hidden'] })
    const s = await started(run)
    expect(s.violations).toEqual([])
    expect(s.windows[0]).toMatchObject({ loaded: 'loaded', visible: false })
  })
})

describe('the built main bundle on macOS', () => {
  it('uses the menu-bar title and Dock badge, starts hidden when opened at login, and never holds a shutdown', async () => {
    const run = await launch({ platform: 'darwin', wasOpenedAtLogin: true })
    const s = await started(run)
    expect(s.violations).toEqual([])
    expect(run.crashes).toEqual([])
    expect(s.windows[0]).toMatchObject({ loaded: 'loaded', visible: false })
    expect(s.trays[0]!.images[0]).toMatch(/trayTemplate\.png$/)
    expect(apis(s)).toContain('Tray.setTitle')
    expect(apis(s)).toContain('App.setBadgeCount')
    expect(apis(s)).not.toContain('SafeStorage.getSelectedStorageBackend')

    // macOS announces the shutdown, then asks the app to quit: holding before-quit then would
    // cancel the user's shutdown.
    const [, quit] = await run.command<{ defaultPrevented: boolean }[]>({
      cmd: 'sequence',
      commands: [
        { cmd: 'emit', target: 'powerMonitor', event: 'shutdown', preventable: true },
        { cmd: 'emit', target: 'app', event: 'before-quit', preventable: true },
      ],
    })
    expect(quit!.defaultPrevented).toBe(false)
    expect(await run.exited).toBe(0)
  })
})
