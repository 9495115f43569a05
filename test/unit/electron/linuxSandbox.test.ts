import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { MessageBoxOptions } from 'electron'
import { silentLogger } from '../../../src/main/ground/logger'
import {
  NOTICES_FILE,
  noSandboxNotice,
  tellNoSandbox,
} from '../../../src/main/electron/linuxSandbox'

const appImage = '/home/asha/Apps/IVR Supervisor-0.1.0-x86_64.AppImage'

describe('running without the sandbox is never silent', () => {
  it('says nothing when the sandbox is on, or off the Linux path', () => {
    const base = { appImage, usernsRestricted: true }
    expect(noSandboxNotice({ ...base, platform: 'linux', noSandbox: false })).toBeNull()
    expect(noSandboxNotice({ ...base, platform: 'win32', noSandbox: true })).toBeNull()
  })

  it('an AppImage on Ubuntu 24.04 (user namespaces restricted) is told why and both fixes', () => {
    const n = noSandboxNotice({
      platform: 'linux',
      noSandbox: true,
      appImage,
      usernsRestricted: true,
    })!
    expect(n.key).toBe(`appimage:${appImage}`)
    expect(n.detail).toContain('Ubuntu 23.10 and later, through AppArmor')
    expect(n.detail).toContain('install the .deb package instead of the AppImage')
    expect(n.detail).toContain('sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0')
    expect(n.detail).toContain('/etc/sysctl.d/')
  })

  it('a start with --no-sandbox by hand is told to drop it', () => {
    const n = noSandboxNotice({
      platform: 'linux',
      noSandbox: true,
      appImage: null,
      usernsRestricted: false,
    })!
    expect(n.key).toBe('no-sandbox')
    expect(n.detail).toContain('Start it without that switch')
  })

  describe('tellNoSandbox', () => {
    let dir: string
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'ivrs-notices-'))
    })
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true })
    })

    it('shows the notice until "Don\'t show this again" is ticked, for that AppImage only', async () => {
      const shown: MessageBoxOptions[] = []
      const warned: string[] = []
      const run = (path: string, tick: boolean) =>
        tellNoSandbox({
          notice: noSandboxNotice({
            platform: 'linux',
            noSandbox: true,
            appImage: path,
            usernsRestricted: true,
          }),
          dataDir: dir,
          showMessageBox: async (o) => {
            shown.push(o)
            return { checkboxChecked: tick }
          },
          logger: { ...silentLogger, warn: (m) => void warned.push(m) },
        })
      await run(appImage, false)
      await run(appImage, true)
      await run(appImage, false)
      expect(shown).toHaveLength(2)
      expect(shown[0]!.checkboxLabel).toBe("Don't show this again")
      expect(shown[0]!.type).toBe('warning')
      // Logged every time, shown or not.
      expect(warned).toHaveLength(3)
      expect(JSON.parse(await readFile(join(dir, NOTICES_FILE), 'utf8')).dismissed).toEqual([
        `appimage:${appImage}`,
      ])
      // A new version of the AppImage asks again.
      await run(appImage.replace('0.1.0', '0.2.0'), false)
      expect(shown).toHaveLength(3)
    })
  })
})
