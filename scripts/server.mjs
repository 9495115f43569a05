#!/usr/bin/env node
/**
 * `npm run serve`, `demo`, `users`, `migrate-to-postgres`, `doctor`, `backup` and `restore` go
 * through here, and run the entry point in this very process:
 *
 * - In a production install (`npm ci --omit=dev`: no tsx), the build `npm run build:server`
 *   wrote (`out/server/<name>.js`): no TypeScript compiler, no vite, no build at start.
 * - In a checkout with its devDependencies, the TypeScript source through tsx, as before; `serve`
 *   builds the browser mode first, as it always did there.
 *
 *   node scripts/server.mjs serve [--demo]
 *   node scripts/server.mjs users add "Asha Rao" --role supervisor
 *
 * Why in this process: npm runs a script through a shell and, told to stop (SIGTERM), passes the
 * signal to that shell only, which ends without passing it on: a server started under it kept
 * running, holding its ports and its data folder. So this process also stops, as on SIGTERM,
 * once the shell that started it is gone.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'

const ROOT = dirname(import.meta.dirname)

/** The entry points, by name: the built file in out/server/ and the source. */
const ENTRIES = {
  serve: 'src/main/headless/serve.ts',
  users: 'src/main/headless/usersCli.ts',
  'migrate-to-postgres': 'src/main/maintenance/migrateCli.ts',
  maintenance: 'src/main/maintenance/cli.ts',
}

const [name, ...args] = process.argv.slice(2)
if (!name || !(name in ENTRIES)) {
  console.error(`usage: node scripts/server.mjs <${Object.keys(ENTRIES).join('|')}> [args...]`)
  process.exit(2)
}

/** Whether tsx is installed, i.e. whether this is a checkout with its devDependencies. */
function hasTsx() {
  try {
    createRequire(import.meta.url).resolve('tsx/esm/api')
    return true
  } catch {
    return false
  }
}

// Orphaned (the shell npm ran this in is gone): stop as on SIGTERM.
const parent = process.ppid
const watch = setInterval(() => {
  if (process.ppid === parent) return
  clearInterval(watch)
  process.kill(process.pid, 'SIGTERM')
}, 1_000)
watch.unref()

// The entry point reads its arguments from process.argv, as when it is run by node itself.
process.argv = [process.argv[0], name, ...args]

if (hasTsx()) {
  if (name === 'serve') {
    const built = spawnSync(
      process.execPath,
      [
        join(ROOT, 'node_modules/vite/bin/vite.js'),
        'build',
        '--config',
        join(ROOT, 'vite.web.config.ts'),
      ],
      {
        cwd: ROOT,
        stdio: 'inherit',
      },
    )
    if (built.status !== 0) process.exit(built.status ?? 1)
  }
  const { register } = await import('tsx/esm/api')
  register()
  await import(pathToFileURL(join(ROOT, ENTRIES[name])).href)
} else {
  const built = join(ROOT, 'out', 'server', `${name}.js`)
  if (!existsSync(built)) {
    console.error(
      `${built} is missing: build the server with \`npm run build:server\` (with the devDependencies installed), then install the production dependencies alone with \`npm ci --omit=dev\`.`,
    )
    process.exit(2)
  }
  await import(pathToFileURL(built).href)
}
