import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

/** The app's own package name, by which its package.json is told from any other. */
const NAME = 'ivr-supervisor'

export interface AppPackage {
  /** The folder holding the app's package.json (and `out/`, where the builds go). */
  root: string
  version: string
}

let found: AppPackage | null = null

/**
 * The app's package.json, looked for from this module's folder upwards: its version is the app's
 * version, and its folder the root of a checkout run by tsx (`src/main/ground/`) as of the built
 * server (`out/server/`). npm sets `npm_package_version` only for its own scripts, so a server
 * started as systemd starts it (`node out/server/serve.js`) reported 0.0.0.
 */
export function appPackage(from: string = import.meta.dirname): AppPackage {
  if (found && from === import.meta.dirname) return found
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string
        version?: string
      }
      if (pkg.name === NAME && typeof pkg.version === 'string') {
        const result = { root: dir, version: pkg.version }
        if (from === import.meta.dirname) found = result
        return result
      }
    } catch {
      // No package.json here, or not ours: look further up.
    }
    if (dirname(dir) === dir) throw new Error(`The app's package.json was not found above ${from}`)
  }
}
