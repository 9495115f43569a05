import { describe, expect, it } from 'vitest'
import { relaunchOptions, restartApp } from '../../../src/main/electron/relaunch'

const appImage = '/home/asha/Apps/IVR Supervisor-0.1.0-x86_64.AppImage'

describe('relaunch', () => {
  it('inside an AppImage starts the AppImage file, not the binary in its vanishing mount', () => {
    expect(
      relaunchOptions({
        platform: 'linux',
        isPackaged: true,
        env: { APPIMAGE: appImage, APPDIR: '/tmp/.mount_IVRSupAbC' },
        argv: ['/tmp/.mount_IVRSupAbC/ivr-supervisor', '--no-sandbox', '--hidden'],
      }),
    ).toEqual({ execPath: appImage, args: ['--no-sandbox'] })
  })

  it('elsewhere relaunches the same executable, with its window', () => {
    expect(
      relaunchOptions({
        platform: 'linux',
        isPackaged: true,
        env: {},
        argv: ['/opt/IVR Supervisor/ivr-supervisor', '--hidden'],
      }),
    ).toEqual({ args: [] })
    // A development run that inherited $APPIMAGE from another AppImage ignores it.
    expect(
      relaunchOptions({
        platform: 'linux',
        isPackaged: false,
        env: { APPIMAGE: appImage },
        argv: ['electron', '.'],
      }),
    ).toEqual({ args: ['.'] })
    expect(
      relaunchOptions({
        platform: 'win32',
        isPackaged: true,
        env: { APPIMAGE: appImage },
        argv: ['C:\\app.exe'],
      }),
    ).toEqual({ args: [] })
  })

  it('restartApp relaunches, then quits', () => {
    const calls: unknown[] = []
    restartApp(
      { relaunch: (o) => void calls.push(['relaunch', o]), quit: () => void calls.push(['quit']) },
      { platform: 'linux', isPackaged: true, env: { APPIMAGE: appImage }, argv: ['x'] },
    )
    expect(calls).toEqual([['relaunch', { execPath: appImage, args: [] }], ['quit']])
  })
})
