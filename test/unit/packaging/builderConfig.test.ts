import { describe, expect, it } from 'vitest'
import { builderConfig, macSigning } from '../../../electron-builder'
import { APP_ID, DESKTOP_FILE } from '../../../src/main/ground/paths'

const apiKey = { APPLE_API_KEY: '/k.p8', APPLE_API_KEY_ID: 'K1', APPLE_API_ISSUER: 'I1' }

describe('electron-builder configuration', () => {
  it('uses the app id main sets as the Windows app id, and names the .desktop file after it', () => {
    const c = builderConfig({})
    expect(c.appId).toBe(APP_ID)
    expect(c.extraMetadata).toEqual({ desktopName: DESKTOP_FILE })
    expect(c.linux?.syncDesktopName).toBe(true)
    // No --no-sandbox in the AppImage's desktop entry.
    expect(c.appImage?.executableArgs).toEqual([])
  })

  it('macOS: unsigned without CSC_LINK/CSC_NAME, explicitly, saying notifications will not show', () => {
    const s = macSigning({})
    expect(s.identity).toBeNull()
    expect(s.notarize).toBe(false)
    expect(s.notices.join(' ')).toMatch(/UNSIGNED.*will not show its notifications/)
    expect(builderConfig({}).mac?.identity).toBeNull()
  })

  it('macOS: signed from the environment, notarised when credentials are there', () => {
    const signedOnly = macSigning({ CSC_LINK: '/cert.p12', CSC_KEY_PASSWORD: 'x' })
    expect(signedOnly.identity).toBeUndefined()
    expect(signedOnly.notarize).toBe(false)
    expect(signedOnly.notices.join(' ')).toMatch(/NOT notarised/)
    const full = macSigning({ CSC_NAME: 'Developer ID Application: IVR Supervisor', ...apiKey })
    expect(full).toMatchObject({ identity: undefined, notarize: true })
    expect(
      macSigning({
        CSC_LINK: 'c',
        APPLE_ID: 'a',
        APPLE_APP_SPECIFIC_PASSWORD: 'p',
        APPLE_TEAM_ID: 't',
      }).notarize,
    ).toBe(true)
    expect(builderConfig({ CSC_LINK: 'c', ...apiKey }).mac).toMatchObject({
      notarize: true,
      hardenedRuntime: true,
    })
  })

  it('refuses notarisation credentials without a signing identity', () => {
    expect(() => macSigning(apiKey)).toThrow(/only a signed app can be notarised/)
  })
})
