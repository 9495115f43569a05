/**
 * Chromium's sandbox on Linux needs unprivileged user namespaces, which Ubuntu 23.10 and later
 * (24.04 LTS) restrict through AppArmor to programs with a profile allowing them. The deb installs
 * such a profile (electron-builder's, from its after-install script). An AppImage cannot: its
 * launcher (AppRun) then starts the app with --no-sandbox, and `npm start` aborts with "The SUID
 * sandbox helper binary was found, but is not configured correctly" (electron/electron#42510,
 * electron-builder#8440). Running without the sandbox is never silent: the app says so, and how
 * to get it back (the launcher's own message for `npm start` is in scripts/sandboxHelp.mjs).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { MessageBoxOptions } from 'electron'
import type { Logger } from '../ground/logger'
import { DocStore } from '../dataFolder/docStore'

/** "1" where AppArmor restricts unprivileged user namespaces (Ubuntu 23.10+). */
export const USERNS_RESTRICTION = '/proc/sys/kernel/apparmor_restrict_unprivileged_userns'

/** Whether AppArmor restricts unprivileged user namespaces here (false where it cannot tell). */
export function usernsRestricted(
  read: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): boolean {
  try {
    return read(USERNS_RESTRICTION).trim() === '1'
  } catch {
    return false
  }
}

const SYSCTL_FIX =
  'allow user namespaces for every program: sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0 ' +
  '(to keep it after a restart: echo kernel.apparmor_restrict_unprivileged_userns=0 | sudo tee /etc/sysctl.d/60-apparmor-userns.conf)'

export interface SandboxNotice {
  /** What the acknowledgement is for: this AppImage file, or a start with --no-sandbox. */
  key: string
  title: string
  message: string
  detail: string
}

/** The notice for a start without the sandbox, or null when the sandbox is on. */
export function noSandboxNotice(p: {
  platform: NodeJS.Platform
  /** `app.commandLine.hasSwitch('no-sandbox')`. */
  noSandbox: boolean
  /** `$APPIMAGE` of a packaged app; null otherwise. */
  appImage: string | null
  /** {@link USERNS_RESTRICTION} reads "1". */
  usernsRestricted: boolean
}): SandboxNotice | null {
  if (p.platform !== 'linux' || !p.noSandbox) return null
  const title = 'IVR Supervisor is running without its sandbox'
  const message =
    "Chromium's sandbox is off for this run (--no-sandbox). The app works, but its window runs with fewer protections."
  if (p.appImage && p.usernsRestricted)
    return {
      key: `appimage:${p.appImage}`,
      title,
      message,
      detail:
        'This system restricts unprivileged user namespaces (Ubuntu 23.10 and later, through AppArmor). ' +
        'The sandbox needs them, and an AppImage cannot install the AppArmor profile that allows them, ' +
        'so its launcher started the app with --no-sandbox.\n\n' +
        'To run sandboxed, either:\n' +
        '• install the .deb package instead of the AppImage (it installs an AppArmor profile for the app), or\n' +
        `• ${SYSCTL_FIX}.`,
    }
  if (p.appImage)
    return {
      key: `appimage:${p.appImage}`,
      title,
      message,
      detail:
        "The AppImage's launcher could not create a user namespace, which the sandbox needs, and " +
        'started the app with --no-sandbox. Install the .deb package instead, or enable unprivileged ' +
        'user namespaces on this system.',
    }
  return {
    key: 'no-sandbox',
    title,
    message,
    detail:
      'It was started with --no-sandbox. Start it without that switch to run sandboxed' +
      (p.usernsRestricted
        ? `; on this system (user namespaces restricted by AppArmor) install the .deb package, or ${SYSCTL_FIX}.`
        : '.'),
  }
}

/** File in the data folder: the notices the user asked not to see again. */
export const NOTICES_FILE = 'notices.json'
export interface Notices {
  dismissed: string[]
}

export interface SandboxNoticeDeps {
  notice: SandboxNotice | null
  dataDir: string
  /** `dialog.showMessageBox`. */
  showMessageBox: (opts: MessageBoxOptions) => Promise<{ checkboxChecked: boolean }>
  logger: Logger
  openNotices?: () => Promise<Pick<DocStore<Notices>, 'data' | 'update'>>
}

/**
 * Logs the notice every time and shows it in a message box until the user ticks "Don't show this
 * again" (kept in {@link NOTICES_FILE}, for this AppImage file only: a new version asks again).
 */
export async function tellNoSandbox(deps: SandboxNoticeDeps): Promise<void> {
  const { notice } = deps
  if (!notice) return
  deps.logger.warn(notice.message, { detail: notice.detail })
  const open =
    deps.openNotices ??
    (() => DocStore.open<Notices>(join(deps.dataDir, NOTICES_FILE), { dismissed: [] }))
  const notices = await open()
  if (notices.data.dismissed.includes(notice.key)) return
  const answer = await deps.showMessageBox({
    type: 'warning',
    title: notice.title,
    message: notice.message,
    detail: notice.detail,
    buttons: ['OK'],
    checkboxLabel: "Don't show this again",
  })
  if (answer.checkboxChecked)
    await notices.update((d) => {
      d.dismissed.push(notice.key)
    })
}
