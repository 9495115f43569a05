import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../src/main/ground/logger'
import {
  HIDDEN_SWITCH,
  applyLoginItem,
  autostartEntry,
  autostartFile,
  execArgument,
  startedAtLogin,
  type LoginItemDeps,
} from '../../../src/main/electron/loginItem'

describe('start at login', () => {
  let home: string
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'ivrs-login-'))
  })
  afterEach(async () => {
    await rm(home, { recursive: true, force: true })
  })

  const deps = (over: Partial<LoginItemDeps>) => {
    const calls: unknown[] = []
    return {
      calls,
      deps: {
        platform: 'linux' as NodeJS.Platform,
        isPackaged: true,
        app: { setLoginItemSettings: (s: unknown) => void calls.push(s) },
        execPath: '/opt/IVR Supervisor/ivr-supervisor',
        env: {},
        home,
        logger: silentLogger,
        ...over,
      },
    }
  }

  it('Linux: writes an XDG autostart entry that starts the installed app hidden, and removes it', async () => {
    const d = deps({})
    await applyLoginItem(d.deps, true)
    const file = join(home, '.config', 'autostart', 'com.ivrsupervisor.IVRSupervisor.desktop')
    expect(autostartFile({}, home)).toBe(file)
    const text = await readFile(file, 'utf8')
    expect(text).toContain('Exec="/opt/IVR Supervisor/ivr-supervisor" --hidden\n')
    expect(text.startsWith('[Desktop Entry]\nType=Application\n')).toBe(true)
    expect((await stat(file)).mode & 0o777).toBe(0o644)
    // setLoginItemSettings is documented for macOS and Windows only: not called on Linux.
    expect(d.calls).toEqual([])
    await applyLoginItem(d.deps, false)
    await expect(stat(file)).rejects.toThrow()
    // Removing it when it is not there is fine.
    await applyLoginItem(d.deps, false)
  })

  it('Linux inside an AppImage: the entry starts the AppImage, not the path in its temporary mount', async () => {
    const env = {
      APPIMAGE: '/home/asha/Apps/IVR Supervisor-0.1.0-x86_64.AppImage',
      XDG_CONFIG_HOME: join(home, 'cfg'),
    }
    const d = deps({ env, execPath: '/tmp/.mount_IVRSupXyZ/ivr-supervisor' })
    await applyLoginItem(d.deps, true)
    const text = await readFile(
      join(home, 'cfg', 'autostart', 'com.ivrsupervisor.IVRSupervisor.desktop'),
      'utf8',
    )
    expect(text).toContain('Exec="/home/asha/Apps/IVR Supervisor-0.1.0-x86_64.AppImage" --hidden')
    expect(text).not.toContain('.mount_')
  })

  it('Windows passes --hidden; macOS uses the login item alone; development registers nothing', async () => {
    const w = deps({ platform: 'win32' })
    await applyLoginItem(w.deps, true)
    expect(w.calls).toEqual([{ openAtLogin: true, args: [HIDDEN_SWITCH] }])
    const m = deps({ platform: 'darwin' })
    await applyLoginItem(m.deps, false)
    expect(m.calls).toEqual([{ openAtLogin: false }])
    const dev = deps({ platform: 'win32', isPackaged: false })
    await applyLoginItem(dev.deps, true)
    expect(dev.calls).toEqual([])
  })

  it('quotes Exec arguments as the Desktop Entry Specification asks', () => {
    expect(execArgument('/usr/bin/app')).toBe('/usr/bin/app')
    expect(execArgument('/opt/My App/app')).toBe('"/opt/My App/app"')
    expect(execArgument('/x/100%/a"b$c')).toBe('"/x/100%%/a\\\\"b\\\\$c"')
    expect(autostartEntry('/a b').split('\n')).toContain('Exec="/a b" --hidden')
  })

  it('knows a login start: the switch on Windows and Linux, wasOpenedAtLogin on macOS', () => {
    const never = () => {
      throw new Error('getLoginItemSettings is documented for macOS and Windows only')
    }
    expect(
      startedAtLogin({ platform: 'linux', argv: ['x', '--hidden'], wasOpenedAtLogin: never }),
    ).toBe(true)
    expect(startedAtLogin({ platform: 'win32', argv: ['x'], wasOpenedAtLogin: never })).toBe(false)
    expect(startedAtLogin({ platform: 'darwin', argv: ['x'], wasOpenedAtLogin: () => true })).toBe(
      true,
    )
  })
})
