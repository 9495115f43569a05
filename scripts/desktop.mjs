#!/usr/bin/env node
/**
 * `npm start`, `npm run dev` and `npm run dist` go through here: the Electron binary is not part
 * of `npm ci` (electron@45 has no install script; its own installer fetches the binary the first
 * time `require('electron')` runs), and electron-vite only reads `node_modules/electron/path.txt`,
 * failing with "Electron uninstall" when it is missing. So this runs Electron's installer first,
 * says in one line what to do when it cannot, then hands over to the tool with the binary's path.
 *
 *   node scripts/desktop.mjs electron-vite preview
 *   node scripts/desktop.mjs electron-builder
 *
 * `ELECTRON_OVERRIDE_DIST_PATH` (Electron's own variable) points at another Electron build and
 * skips the download, as `require('electron')` does; the tests use it with a stand-in executable.
 */
import { spawn, spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { SANDBOX_ABORT, helperPath, sandboxHelp } from './sandboxHelp.mjs'

const require = createRequire(import.meta.url)
const [tool, ...args] = process.argv.slice(2)
const TOOLS = new Set(['electron-vite', 'electron-builder'])

if (!tool || !TOOLS.has(tool)) {
  console.error(`usage: node scripts/desktop.mjs <${[...TOOLS].join('|')}> [args...]`)
  process.exit(2)
}

/** Electron 45's installer declares Node 22.12+; headless mode needs only 20.19+. */
const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 22 || (major === 22 && minor < 12)) {
  console.warn(
    `Note: the desktop app's Electron installer declares Node.js 22.12 or newer; this is ${process.versions.node}. ` +
      'If the download below fails, update Node.js (headless mode, npm run serve / npm run demo, runs on 20.19+).',
  )
}

const electronDir = dirname(require.resolve('electron/package.json'))

if (!process.env.ELECTRON_OVERRIDE_DIST_PATH) {
  // Electron's own installer: a no-op when the binary is already there, a download otherwise.
  const install = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
    encoding: 'utf8',
    stdio: ['ignore', 'inherit', 'pipe'],
  })
  if (install.status !== 0) {
    console.error(downloadFailure(install.stderr ?? ''))
    process.exit(1)
  }
}

/** What `require('electron')` returns: the executable's path (honours the override). */
let electronPath
try {
  electronPath = require('electron')
} catch (err) {
  console.error(downloadFailure(String(err)))
  process.exit(1)
}

// The tool's own bin script, run with this Node (works the same on Windows, no .cmd shim).
const toolPkg = require.resolve(`${tool}/package.json`)
const bin = join(dirname(toolPkg), require(toolPkg).bin[tool])
// Electron's own output passes through as it comes; its last few kilobytes are kept to tell an
// abort for want of a sandbox (Ubuntu 23.10+) from any other, and say how to fix it.
const child = spawn(process.execPath, [bin, ...args], {
  stdio: ['inherit', 'inherit', 'pipe'],
  env: { ...process.env, ELECTRON_EXEC_PATH: electronPath },
})
let tail = ''
child.stderr.on('data', (chunk) => {
  process.stderr.write(chunk)
  tail = (tail + chunk.toString()).slice(-8192)
})
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('close', (code, signal) => {
  if (tool === 'electron-vite' && code !== 0 && SANDBOX_ABORT.test(tail))
    console.error(sandboxHelp(helperPath(tail, electronPath), electronPath))
  process.exit(code ?? (signal ? 1 : 0))
})

/** One line a user can act on, instead of the installer's stack trace. */
function downloadFailure(detail) {
  const offline = /fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ENETUNREACH/.test(detail)
  const why = offline
    ? 'this machine could not reach the download server (offline?)'
    : (
        detail
          .trim()
          .split('\n')
          .find((l) => /error/i.test(l)) ?? 'the installer failed'
      ).trim()
  return (
    `Could not download the Electron binary the desktop app needs: ${why}. ` +
    'Connect to the internet and run the command again, or run "npm run demo" to use the app in a browser without Electron.'
  )
}
