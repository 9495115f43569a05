/**
 * `npm run dist` for the Linux targets, dry: electron-builder packs the built app (`--dir`) with
 * `electronDist` pointing at a stand-in Electron folder (no binary is downloaded), then builds the
 * deb and the AppImage from that folder with stand-ins for the two tools it would otherwise
 * download (fpm, and the AppImage tools: electron-builder's own CUSTOM_FPM_PATH and
 * APPIMAGE_TOOLS_PATH), which record what they were given. Every other download electron-builder
 * might attempt goes to a closed port, so the test fails rather than fetch anything.
 *
 * What is checked: the asar holds the built app and the production dependencies, nothing else
 * (no sources, tests or maps; no renderer library vite already bundled), and everything the main
 * bundle imports is in it; the icons; the metadata each target needs (the deb's maintainer with
 * an e-mail and homepage, which electron-builder refuses to build without; desktopName and the
 * .desktop entries' StartupWMClass; no --no-sandbox); the deb's AppArmor profile and the
 * after-install script that installs it.
 */
import { spawn } from 'node:child_process'
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { listPackage, extractFile } from '@electron/asar'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  APP_ID,
  DESKTOP_FILE,
  LINUX_EXECUTABLE,
  PRODUCT_NAME,
} from '../../../src/main/ground/paths'
import { ROOT, desktopBuild } from '../../support/desktopBuild'
import { freePort } from '../../support/postgres'

let dir = ''
let unpacked = ''
let asarFiles: string[] = []
let record = ''

function electronBuilder(args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'node_modules/electron-builder/cli.js'), ...args],
      {
        cwd: ROOT,
        env: { ...process.env, ...env },
      },
    )
    let output = ''
    child.stdout.on('data', (d: Buffer) => (output += d.toString()))
    child.stderr.on('data', (d: Buffer) => (output += d.toString()))
    child.on('close', (code) =>
      code === 0
        ? resolve(output)
        : reject(new Error(`electron-builder failed (${code}):\n${output}`)),
    )
  })
}

/** A stand-in tool: a Node script that runs `body` with `args` and `record` (the folder). */
async function standInTool(path: string, body: string): Promise<void> {
  await writeFile(
    path,
    `#!${process.execPath}\nconst fs = require('node:fs'), path = require('node:path')\n` +
      `const args = process.argv.slice(2), record = ${JSON.stringify(record)}\n${body}\n`,
  )
  await chmod(path, 0o755)
}

beforeAll(async () => {
  await desktopBuild()
  dir = await mkdtemp(join(tmpdir(), 'ivrs-packaging-'))
  record = join(dir, 'record')
  await mkdir(record)
  // Electron's distribution as electron-builder copies it: the executable and its resources.
  const dist = join(dir, 'electron-dist')
  await mkdir(join(dist, 'resources'), { recursive: true })
  await writeFile(join(dist, 'electron'), '#!/bin/sh\necho stand-in Electron\n', { mode: 0o755 })
  await writeFile(join(dist, 'chrome-sandbox'), '', { mode: 0o755 })

  // A port nothing listens on: a download sent there is refused at once.
  const closed = `http://127.0.0.1:${await freePort()}/`
  const offline = {
    ELECTRON_MIRROR: closed,
    ELECTRON_BUILDER_BINARIES_MIRROR: closed,
    ELECTRON_GET_USE_PROXY: '',
    CSC_IDENTITY_AUTO_DISCOVERY: 'false',
  }
  const output = join(dir, 'dist')
  await electronBuilder(
    ['--linux', '--dir', `-c.electronDist=${dist}`, `-c.directories.output=${output}`],
    offline,
  )
  unpacked = join(output, 'linux-unpacked')
  asarFiles = listPackage(join(unpacked, 'resources', 'app.asar'), { isPack: false })

  // fpm records its arguments and the files it was given (temporary: gone after the build).
  const fpm = join(dir, 'fpm')
  await standInTool(
    fpm,
    `fs.writeFileSync(path.join(record, 'fpm.json'), JSON.stringify(args))
const after = args[args.indexOf('--after-install') + 1]
fs.copyFileSync(after, path.join(record, 'after-install'))
const desktop = args.find((a) => a.includes('=/usr/share/applications/'))
fs.copyFileSync(desktop.split('=')[0], path.join(record, 'deb.desktop'))
fs.writeFileSync(args[args.indexOf('--package') + 1], 'stand-in deb')`,
  )
  // The AppImage tools (legacy FUSE 2 layout): mksquashfs records the staged AppDir.
  const tools = join(dir, 'appimage-tools')
  await mkdir(join(tools, 'linux-x64'), { recursive: true })
  await mkdir(join(tools, 'lib', 'x64'), { recursive: true })
  await writeFile(join(tools, 'runtime-x64'), Buffer.alloc(1024))
  await standInTool(
    join(tools, 'linux-x64', 'mksquashfs'),
    `const stage = args[0]
fs.writeFileSync(path.join(record, 'appdir.json'), JSON.stringify(fs.readdirSync(stage)))
for (const f of fs.readdirSync(stage).filter((f) => f.endsWith('.desktop')))
  fs.copyFileSync(path.join(stage, f), path.join(record, 'appimage.desktop'))
fs.copyFileSync(path.join(stage, 'AppRun'), path.join(record, 'AppRun'))
fs.writeFileSync(args[1], Buffer.alloc(4096))`,
  )
  await standInTool(join(tools, 'linux-x64', 'desktop-file-validate'), '')
  await electronBuilder(
    ['--linux', 'deb', 'AppImage', '--prepackaged', unpacked, `-c.directories.output=${output}`],
    { ...offline, CUSTOM_FPM_PATH: fpm, APPIMAGE_TOOLS_PATH: tools },
  )
}, 900_000)

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

/**
 * Packages in the asar as `name@version`, each with its folder. electron-builder lays them out
 * itself (it may hoist a different version than npm did), so packages are compared by name and
 * version, not by folder.
 */
function packagesInAsar(): Map<string, string> {
  const found = new Map<string, string>()
  const asar = join(unpacked, 'resources', 'app.asar')
  for (const f of asarFiles) {
    const m = /^\/((?:node_modules\/(?:@[^/]+\/)?[^/]+\/)+)package\.json$/.exec(f)
    if (!m) continue
    const { name, version } = JSON.parse(extractFile(asar, f.slice(1)).toString()) as {
      name: string
      version: string
    }
    found.set(`${name}@${version}`, m[1]!.slice(0, -1))
  }
  return found
}

describe('the Linux packages, built dry', () => {
  it('the asar holds the built app and nothing of the sources, tests or maps', () => {
    const app = asarFiles.filter((f) => !f.startsWith('/node_modules'))
    const files = app.filter((f) => /\.[a-z0-9]+$/i.test(f) && !f.endsWith('/assets'))
    expect(files).toContain('/package.json')
    expect(files).toContain('/out/main/index.js')
    expect(files).toContain('/out/preload/index.cjs')
    expect(files).toContain('/out/renderer/index.html')
    for (const f of files) {
      expect(f, f).toMatch(
        /^\/(package\.json|out\/(main\/index\.js|preload\/index\.cjs|renderer\/.+))$/,
      )
      expect(f, f).not.toMatch(/\.(map|ts|tsx)$/)
    }
    expect(asarFiles.some((f) => /^\/(src|test|resources|scripts)\//.test(f))).toBe(false)
  })

  it('its node_modules are exactly the production dependencies, and hold everything main imports', async () => {
    const lock = JSON.parse(await readFile(join(ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version: string; dev?: boolean; devOptional?: boolean }>
    }
    const production = Object.entries(lock.packages)
      .filter(([path, p]) => path !== '' && !p.dev && !p.devOptional)
      .map(([path, p]) => `${path.slice(path.lastIndexOf('node_modules/') + 13)}@${p.version}`)
    const packed = packagesInAsar()
    expect([...packed.keys()].sort()).toEqual([...new Set(production)].sort())
    // What the built main process imports (it externalises its dependencies) is all there.
    const main = await readFile(join(ROOT, 'out', 'main', 'index.js'), 'utf8')
    const imported = new Set(
      [...main.matchAll(/^import .* from "([^".][^"]*)";$/gm)]
        .map((m) => m[1]!)
        .filter((s) => !s.startsWith('node:') && s !== 'electron')
        .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!)),
    )
    expect(imported.size).toBeGreaterThan(5)
    const topLevel = new Set(packed.values())
    for (const name of imported) expect(topLevel.has(`node_modules/${name}`), name).toBe(true)
  })

  it('dependencies are what the main side imports; renderer-only libraries stay in devDependencies', async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>
    }
    const mainSide: string[] = []
    const walk = async (d: string): Promise<void> => {
      for (const e of await readdir(d, { withFileTypes: true }))
        if (e.isDirectory()) await walk(join(d, e.name))
        else if (e.name.endsWith('.ts')) mainSide.push(await readFile(join(d, e.name), 'utf8'))
    }
    for (const d of ['src/main', 'src/shared', 'src/preload']) await walk(join(ROOT, d))
    const text = mainSide.join('\n')
    for (const name of Object.keys(pkg.dependencies))
      expect(
        text.includes(`from '${name}`),
        `${name} is not imported by src/main, src/shared or src/preload`,
      ).toBe(true)
  })

  it('carries the icons and the packaged package.json Electron reads', () => {
    for (const icon of ['icon.png', 'tray.png', 'trayAttention.png', 'trayTemplate.png'])
      expect(existsSync(join(unpacked, 'resources', 'resources', icon)), icon).toBe(true)
    expect(existsSync(join(unpacked, LINUX_EXECUTABLE))).toBe(true)
    const pkg = JSON.parse(
      extractFile(join(unpacked, 'resources', 'app.asar'), 'package.json').toString(),
    ) as Record<string, unknown>
    expect(pkg['main']).toBe('./out/main/index.js')
    expect(pkg['desktopName']).toBe(DESKTOP_FILE)
    expect(pkg['scripts']).toBeUndefined()
  })

  it('the deb: maintainer with an e-mail, homepage, the desktop entry, and the AppArmor profile it installs', async () => {
    const fpm = JSON.parse(await readFile(join(record, 'fpm.json'), 'utf8')) as string[]
    const arg = (name: string) => fpm[fpm.indexOf(name) + 1]!
    expect(arg('--maintainer')).toMatch(/^.+ <[^@\s]+@[^@\s]+\.[a-z]+>$/)
    expect(arg('--url')).toMatch(/^https:\/\//)
    expect(arg('--name')).toBe(LINUX_EXECUTABLE)
    expect(fpm).toContain(`${unpacked}/=/opt/${PRODUCT_NAME}`)
    expect(fpm.some((a) => a.endsWith(`=/usr/share/applications/${DESKTOP_FILE}`))).toBe(true)
    expect(fpm.some((a) => a.endsWith(`/apps/${LINUX_EXECUTABLE}.png`))).toBe(true)
    const entry = await readFile(join(record, 'deb.desktop'), 'utf8')
    expect(entry).toContain(`Exec="/opt/${PRODUCT_NAME}/${LINUX_EXECUTABLE}" %U`)
    expect(entry).toContain(`StartupWMClass=${APP_ID}`)
    expect(entry).toContain(`Icon=${LINUX_EXECUTABLE}`)
    expect(entry).not.toContain('--no-sandbox')
    // Ubuntu 23.10+: the profile that lets the sandbox create user namespaces, and its install.
    const profile = await readFile(join(unpacked, 'resources', 'apparmor-profile'), 'utf8')
    expect(profile).toContain(`"/opt/${PRODUCT_NAME}/${LINUX_EXECUTABLE}"`)
    expect(profile).toMatch(/^\s*userns,$/m)
    const afterInstall = await readFile(join(record, 'after-install'), 'utf8')
    expect(afterInstall).toContain(`/opt/${PRODUCT_NAME}/resources/apparmor-profile`)
    expect(afterInstall).toContain(`/etc/apparmor.d/${LINUX_EXECUTABLE}`)
    expect(afterInstall).toContain('apparmor_parser --replace')
  })

  it('the AppImage: its desktop entry ties windows to it and adds no --no-sandbox', async () => {
    const entry = await readFile(join(record, 'appimage.desktop'), 'utf8')
    expect(entry).toContain('Exec=AppRun %U')
    expect(entry).toContain(`StartupWMClass=${APP_ID}`)
    expect(entry).toMatch(/^X-AppImage-Version=\d+\.\d+\.\d+$/m)
    const appDir = JSON.parse(await readFile(join(record, 'appdir.json'), 'utf8')) as string[]
    expect(appDir).toEqual(
      expect.arrayContaining(['AppRun', DESKTOP_FILE, `${LINUX_EXECUTABLE}.png`, 'resources']),
    )
  })
})
