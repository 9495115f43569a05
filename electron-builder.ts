/**
 * Packaging for `npm run dist` (electron-vite build, then electron-builder, which finds this file
 * by its name). Written in TypeScript so the app's identity comes from the one place the main
 * process reads it too (`APP_ID`: the Windows app id set before the first window must equal the
 * installer's), and so the macOS signing decision is code a test can run. What each setting is
 * for, and what a user sees without it, is in the README's "Packaging" section.
 */
import type { Configuration } from 'electron-builder'
import { APP_ID, DESKTOP_FILE, LINUX_EXECUTABLE, PRODUCT_NAME } from './src/main/ground/paths'

/** How the macOS build is signed and notarised, decided from the environment alone. */
export interface MacSigning {
  /** electron-builder's `mac.identity`: undefined lets it use CSC_LINK / CSC_NAME; null: unsigned. */
  identity: string | null | undefined
  notarize: boolean
  /** What the build should say about the result (printed when the config is read). */
  notices: string[]
}

/** One of the three credential sets electron-builder's notarisation reads (see its `notarize`). */
function notarizationCredentials(env: NodeJS.ProcessEnv): string | null {
  if (env.APPLE_API_KEY && env.APPLE_API_KEY_ID && env.APPLE_API_ISSUER)
    return 'App Store Connect API key'
  if (env.APPLE_ID && env.APPLE_APP_SPECIFIC_PASSWORD && env.APPLE_TEAM_ID) return 'Apple ID'
  if (env.APPLE_KEYCHAIN && env.APPLE_KEYCHAIN_PROFILE) return 'keychain profile'
  return null
}

/**
 * The signing identity comes from electron-builder's own variables (CSC_LINK and
 * CSC_KEY_PASSWORD for a .p12 file, or CSC_NAME for a certificate in the keychain), never from a
 * certificate it happens to find in the keychain: without them the build is explicitly unsigned
 * (`identity: null`) and says what that costs. macOS delivers notifications (and the Dock badge)
 * only to signed apps, and Gatekeeper refuses a downloaded app that is not notarised.
 */
export function macSigning(env: NodeJS.ProcessEnv): MacSigning {
  const signed = Boolean(env.CSC_LINK || env.CSC_NAME)
  const credentials = notarizationCredentials(env)
  if (!signed) {
    if (credentials)
      throw new Error(
        'Notarisation credentials are set but no signing identity: set CSC_LINK (and CSC_KEY_PASSWORD) or CSC_NAME, since only a signed app can be notarised',
      )
    return {
      identity: null,
      notarize: false,
      notices: [
        'macOS build UNSIGNED (no CSC_LINK or CSC_NAME): macOS will not show its notifications or Dock badge (the tray count still shows), and Gatekeeper will ask users to confirm opening it. For local testing only.',
      ],
    }
  }
  return {
    identity: undefined,
    notarize: credentials !== null,
    notices: credentials
      ? [`macOS build signed and notarised (${credentials}).`]
      : [
          'macOS build signed but NOT notarised (no APPLE_API_KEY/APPLE_API_KEY_ID/APPLE_API_ISSUER, APPLE_ID/APPLE_APP_SPECIFIC_PASSWORD/APPLE_TEAM_ID or APPLE_KEYCHAIN/APPLE_KEYCHAIN_PROFILE): Gatekeeper refuses a downloaded copy.',
        ],
  }
}

export function builderConfig(env: NodeJS.ProcessEnv = process.env): Configuration {
  const mac = macSigning(env)
  return {
    appId: APP_ID,
    productName: PRODUCT_NAME,
    copyright: `Copyright © ${PRODUCT_NAME}`,
    // Electron reads `desktopName` from the packaged package.json: the Wayland app_id and X11
    // WM_CLASS that tie the window (and the launcher badge) to the .desktop entry.
    extraMetadata: { desktopName: DESKTOP_FILE },
    directories: { buildResources: 'resources', output: 'dist' },
    // Only what the app runs: the built bundles. Production dependencies are added by
    // electron-builder (package.json `dependencies`: what main imports; the renderer's libraries
    // are bundled into out/renderer and kept in devDependencies).
    files: ['out/main/**', 'out/preload/**', 'out/renderer/**', 'package.json', '!**/*.map'],
    // Icons for the tray and the window are read at run time from <resources>/resources/.
    extraResources: [{ from: 'resources', to: 'resources', filter: ['*.png'] }],
    asar: true,
    publish: null,

    linux: {
      target: ['AppImage', 'deb'],
      executableName: LINUX_EXECUTABLE,
      icon: 'resources/icon.png',
      category: 'Office',
      synopsis: 'Live calls, missed-call queue and agent switches for a cloud IVR',
      // Name the .desktop file after desktopName, with StartupWMClass to match.
      syncDesktopName: true,
    },
    // The deb's after-install script installs electron-builder's AppArmor profile (userns for
    // /opt/IVR Supervisor/ivr-supervisor) where AppArmor supports it: the sandbox works on
    // Ubuntu 23.10+ with no user action.
    deb: { priority: 'optional' },
    appImage: {
      artifactName: '${productName}-${version}-${arch}.${ext}',
      // No --no-sandbox in the desktop entry. An AppImage cannot carry an AppArmor profile: where
      // user namespaces are restricted its launcher adds --no-sandbox, and the app says so with
      // the fix (src/main/electron/linuxSandbox.ts).
      executableArgs: [],
    },

    win: { target: ['nsis'], icon: 'resources/icon.png' },
    nsis: {
      oneClick: false,
      perMachine: false,
      allowToChangeInstallationDirectory: true,
      artifactName: '${productName}-Setup-${version}.${ext}',
    },

    mac: {
      target: ['dmg'],
      icon: 'resources/icon.png',
      category: 'public.app-category.business',
      hardenedRuntime: true,
      identity: mac.identity,
      notarize: mac.notarize,
    },
    dmg: { artifactName: '${productName}-${version}.${ext}' },
  }
}

const config = builderConfig()
// electron-builder reads this file for every target; the macOS notice matters only there.
if (process.platform === 'darwin' || process.argv.some((a) => a === '--mac' || a === '-m'))
  for (const notice of macSigning(process.env).notices) console.warn(`  • ${notice}`)

export default config
