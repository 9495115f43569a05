/**
 * What `npm start` / `npm run dev` say when Electron stops at start because Chromium's sandbox
 * cannot run: on Ubuntu 23.10+ (24.04 LTS) AppArmor restricts unprivileged user namespaces, and
 * node_modules/electron/dist/chrome-sandbox is not a root-owned SUID helper, so Electron aborts
 * with "The SUID sandbox helper binary was found, but is not configured correctly"
 * (electron/electron#42510). The fixes are Electron's and Ubuntu's own; running without the
 * sandbox is offered only as an explicit choice, never applied silently.
 */
import { dirname, join } from 'node:path'

/** Chromium's messages when it cannot start any sandbox. */
export const SANDBOX_ABORT =
  /The SUID sandbox helper binary was found, but is not configured correctly|No usable sandbox!/

/** The chrome-sandbox path Chromium named, else the one beside `electronPath`. */
export function helperPath(stderr, electronPath) {
  const named = /make sure that (\S+chrome-sandbox) is owned by root/.exec(stderr)
  return named ? named[1] : join(dirname(electronPath), 'chrome-sandbox')
}

/** The help printed once Electron has stopped that way. */
export function sandboxHelp(helper, electronPath) {
  return [
    '',
    "Electron stopped at start: its sandbox cannot run here. This Linux restricts unprivileged user namespaces (Ubuntu 23.10 and later, through AppArmor), and Electron's sandbox helper is not set up. Either:",
    '  • let the helper run as root, as Electron advises (again after each npm ci):',
    `      sudo chown root:root "${helper}" && sudo chmod 4755 "${helper}"`,
    '  • or allow user namespaces for this Electron with an AppArmor profile:',
    `      printf 'abi <abi/4.0>,\\ninclude <tunables/global>\\nprofile ivrs-electron-dev "${electronPath}" flags=(unconfined) {\\n  userns,\\n}\\n' | sudo tee /etc/apparmor.d/ivrs-electron-dev && sudo apparmor_parser -r /etc/apparmor.d/ivrs-electron-dev`,
    '  • or, knowingly, run without the sandbox: npm start -- --noSandbox (the app then says so in a message).',
    'Installed packages need none of this: the .deb installs an AppArmor profile for the app.',
  ].join('\n')
}
