/**
 * The desktop app as `npm run build` makes it (electron-vite: out/main, out/preload,
 * out/renderer), built once and shared by the tests that need it: a stamp of the sources it was
 * built from sits in out/, and a build is made only when the sources changed since. A lock keeps
 * two test processes from building at once.
 */
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import lockfile from 'proper-lockfile'

export const ROOT = resolve(import.meta.dirname, '../..')
export const OUT = join(ROOT, 'out')
const STAMP = join(OUT, '.build-stamp')
const INPUTS = ['src', 'electron.vite.config.ts', 'package.json', 'tsconfig.base.json']

async function hashInputs(): Promise<string> {
  const hash = createHash('sha256')
  const walk = async (path: string): Promise<void> => {
    let entries
    try {
      entries = await readdir(path, { withFileTypes: true })
    } catch {
      hash.update(path)
      hash.update(await readFile(path))
      return
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name)))
      await walk(join(path, e.name))
  }
  for (const input of INPUTS) await walk(join(ROOT, input))
  return hash.digest('hex')
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((res, rej) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] })
    let err = ''
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('close', (code) =>
      code === 0 ? res() : rej(new Error(`${cmd} ${args.join(' ')} failed (${code}): ${err}`)),
    )
  })
}

/** Builds the app unless out/ holds a build of the current sources; returns out/. */
export async function desktopBuild(): Promise<string> {
  await mkdir(OUT, { recursive: true })
  const release = await lockfile.lock(OUT, {
    lockfilePath: join(ROOT, 'node_modules', '.cache', 'desktop-build.lock'),
    retries: { retries: 600, minTimeout: 200, maxTimeout: 1000 },
    stale: 300_000,
  })
  try {
    const stamp = await hashInputs()
    const built = await readFile(STAMP, 'utf8').catch(() => '')
    if (built !== stamp) {
      await run(process.execPath, [
        join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'),
        'build',
      ])
      await writeFile(STAMP, stamp)
    }
    return OUT
  } finally {
    await release()
  }
}
