/**
 * The desktop start commands (`npm start`, `npm run dev`, `npm run dist`) go through
 * `scripts/desktop.mjs`, which runs Electron's own installer before electron-vite. No Electron
 * binary can be downloaded here, so a stand-in executable (Electron's `ELECTRON_OVERRIDE_DIST_PATH`)
 * records how it was started, and the offline case points the installer at a closed port.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const ROOT = resolve(import.meta.dirname, '../../..')

function run(
  cmd: string,
  args: string[],
  env: Record<string, string | undefined>,
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((res) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env } })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('close', (code) => res({ code, out, err }))
  })
}

/** A port that nothing listens on: connections to it are refused at once. */
async function closedPort(): Promise<number> {
  const srv = createServer()
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
  const { port } = srv.address() as { port: number }
  await new Promise<void>((r) => srv.close(() => r()))
  return port
}

describe('desktop launcher', () => {
  let dir = ''
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ivrs-electron-standin-'))
    // Records its arguments, working folder and the path electron-vite was given, then exits 0.
    await writeFile(
      join(dir, 'electron'),
      `#!/bin/sh\n{ echo "args=$*"; echo "cwd=$(pwd)"; echo "exec=$ELECTRON_EXEC_PATH"; } > "${dir}/record.txt"\n`,
    )
    await chmod(join(dir, 'electron'), 0o755)
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('npm start builds the app and starts Electron on it, through the installer-aware launcher', async () => {
    const r = await run('npm', ['start', '--silent'], { ELECTRON_OVERRIDE_DIST_PATH: dir })
    expect(r.code, r.err).toBe(0)
    const record = await readFile(join(dir, 'record.txt'), 'utf8')
    expect(record).toContain('args=.')
    expect(record).toContain(`cwd=${ROOT}`)
    expect(record).toContain(`exec=${join(dir, 'electron')}`)
    expect(existsSync(join(ROOT, 'out/main/index.js'))).toBe(true)
    expect(existsSync(join(ROOT, 'out/preload/index.cjs'))).toBe(true)
  })

  it('says in one line what to do when the binary cannot be downloaded', async (ctx) => {
    if (existsSync(join(ROOT, 'node_modules/electron/path.txt'))) {
      ctx.skip('the Electron binary is installed on this machine: nothing to download')
    }
    const cache = await mkdtemp(join(tmpdir(), 'ivrs-electron-cache-'))
    try {
      const r = await run('node', ['scripts/desktop.mjs', 'electron-vite', 'preview'], {
        ELECTRON_OVERRIDE_DIST_PATH: undefined,
        ELECTRON_MIRROR: `http://127.0.0.1:${await closedPort()}/`,
        electron_config_cache: cache,
      })
      expect(r.code).toBe(1)
      const lines = r.err.trim().split('\n')
      const failure = lines.filter((l) => l.startsWith('Could not download the Electron binary'))
      expect(failure).toHaveLength(1)
      expect(failure[0]).toContain('npm run demo')
      expect(r.err).not.toMatch(/^\s+at /m)
      expect(r.err).not.toContain('Electron uninstall')
    } finally {
      await rm(cache, { recursive: true, force: true })
    }
  })

  it('Ubuntu 24.04: when Electron aborts for want of a sandbox, npm start says why and the fixes', async () => {
    // What Chromium prints (and then dies of SIGTRAP) where AppArmor restricts user namespaces and
    // chrome-sandbox is not a root-owned SUID helper.
    const aborting = await mkdtemp(join(tmpdir(), 'ivrs-electron-nosandbox-'))
    try {
      await writeFile(
        join(aborting, 'electron'),
        '#!/bin/sh\n' +
          `echo "[1:1207/101010.000:FATAL:setuid_sandbox_host.cc(163)] The SUID sandbox helper binary was found, but is not configured correctly. Rather than run without sandboxing I'm aborting now. You need to make sure that ${aborting}/chrome-sandbox is owned by root and has mode 4755." >&2\n` +
          'kill -TRAP $$\n',
      )
      await chmod(join(aborting, 'electron'), 0o755)
      const r = await run('npm', ['start', '--silent'], { ELECTRON_OVERRIDE_DIST_PATH: aborting })
      expect(r.code).not.toBe(0)
      // Electron's own line passes through, then the help.
      expect(r.err).toContain('The SUID sandbox helper binary was found')
      expect(r.err).toContain('Ubuntu 23.10 and later, through AppArmor')
      expect(r.err).toContain(
        `sudo chown root:root "${aborting}/chrome-sandbox" && sudo chmod 4755 "${aborting}/chrome-sandbox"`,
      )
      expect(r.err).toContain(`profile ivrs-electron-dev "${join(aborting, 'electron')}"`)
      expect(r.err).toContain('npm start -- --noSandbox')
    } finally {
      await rm(aborting, { recursive: true, force: true })
    }
  })

  it('another failure of Electron gets no sandbox help', async () => {
    const failing = await mkdtemp(join(tmpdir(), 'ivrs-electron-fails-'))
    try {
      await writeFile(
        join(failing, 'electron'),
        '#!/bin/sh\necho "something else broke" >&2\nexit 3\n',
      )
      await chmod(join(failing, 'electron'), 0o755)
      const r = await run('npm', ['start', '--silent'], { ELECTRON_OVERRIDE_DIST_PATH: failing })
      expect(r.code).not.toBe(0)
      expect(r.err).toContain('something else broke')
      expect(r.err).not.toContain('AppArmor')
    } finally {
      await rm(failing, { recursive: true, force: true })
    }
  })

  it('npm run dev starts Electron on the dev build the same way', async () => {
    await rm(join(dir, 'record.txt'), { force: true })
    const r = await run('npm', ['run', 'dev', '--silent'], { ELECTRON_OVERRIDE_DIST_PATH: dir })
    expect(r.code, r.err).toBe(0)
    const record = await readFile(join(dir, 'record.txt'), 'utf8')
    expect(record).toContain('args=.')
    expect(record).toContain(`exec=${join(dir, 'electron')}`)
  })
})
