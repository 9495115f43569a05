import { describe, expect, it } from 'vitest'
import { readApiRules, ruleFor } from '../../support/electron/apiRules'

describe("the stand-in's rules, read from Electron's own type declarations", () => {
  const rules = readApiRules()

  it('reads platforms from @platform, for methods and for events', () => {
    expect(rules.get('App.setAppUserModelId')).toEqual({ platforms: ['win32'] })
    expect(rules.get('App.setLoginItemSettings')?.platforms).toEqual(['darwin', 'win32'])
    expect(rules.get('App.setBadgeCount')?.platforms).toEqual(['linux', 'darwin'])
    expect(rules.get('Tray.setTitle')?.platforms).toEqual(['darwin'])
    expect(rules.get('Notification.handleActivation')?.platforms).toEqual(['win32'])
    expect(rules.get('Notification#failed')?.platforms).toEqual(['darwin', 'win32'])
    expect(rules.get('PowerMonitor#shutdown')?.platforms).toEqual(['linux', 'darwin'])
    // Declared on BaseWindow, found from BrowserWindow too.
    expect(ruleFor(rules, ['BrowserWindow', 'BaseWindow'], 'session-end')?.platforms).toEqual([
      'win32',
    ])
    expect(rules.get('Tray#click')).toBeUndefined()
  })

  it('reads the before/after-ready rules from the documentation text', () => {
    expect(rules.get('Protocol.registerSchemesAsPrivileged')?.readiness).toBe('before-ready')
    expect(rules.get('App.setDesktopName')).toEqual({
      platforms: ['linux'],
      readiness: 'before-ready',
    })
    expect(rules.get('App.getLocale')?.readiness).toBe('after-ready')
    expect(rules.get('App.getPath')).toBeUndefined()
  })
})
