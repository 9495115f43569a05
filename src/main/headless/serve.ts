/**
 * Headless mode: the whole core without Electron (`npm run serve`), and with the built-in IVR
 * simulator pushing calls (`npm run demo`, i.e. `--demo`). Also serves the built renderer for the
 * browser mode when `out/web` exists.
 */
import { existsSync } from 'node:fs'
import { userInfo } from 'node:os'
import { join, resolve } from 'node:path'
import { ConfigError, environmentSecrets, readEnvConfig, readTls } from '../config/env'
import { appPackage } from '../ground/appPackage'
import { headlessLogger } from './logging'
import { isoWithOffset } from '../../shared/localTime'
import { FileSecretStore } from '../dataFolder/secretsFile'
import { createCore, type AppCore } from '../core/createCore'
import { generateApiToken } from '../api/server'
import { startApiServers } from './apiServers'
import { appAddress } from './addresses'
import { personalAddress } from '../../shared/team'

async function main(argv: string[]): Promise<void> {
  const demo = argv.includes('--demo')
  let env
  let tls
  try {
    env = readEnvConfig(process.env)
    tls = await readTls(env)
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${err.message}\n`)
      process.exit(2)
    }
    throw err
  }
  const user = safeUserName()
  const apiToken = env.apiToken ?? generateApiToken()
  // Secrets from the environment are redacted from the first line on; the stored ones (and an
  // API key entered later through the local API) are read from the core on every line.
  const envSecrets = [...environmentSecrets(env), apiToken]
  let core: AppCore | null = null
  // Log times in the zone the app works in (the user's setting once the core has read it).
  const zone = (): string => core?.settings().timezone ?? env.timezone
  const app = appPackage()
  const logger = headlessLogger(env, {
    secrets: () => [...envSecrets, ...(core?.secretValues() ?? [])],
    zone,
    version: app.version,
  })
  // The browser mode built once (npm run build:web, or build:server), never at start.
  const staticDir = join(app.root, 'out', 'web')
  // Known once the API listens: a new account's answer carries the address that opens it.
  let appUrl: string | null = null
  core = await createCore({
    appUrl: () => appUrl,
    env,
    dataDir: env.dataDir,
    secrets: new FileSecretStore(env.dataDir),
    logger,
    user,
    appVersion: app.version,
    demo,
    // A server without its listener only looks alive: the vendor's pushes go nowhere.
    listenerRequired: true,
  })
  // Another process took the folder over: every writer has stopped already; this one ends here,
  // without the graceful stop (whose checkpoint would write to a folder that is not ours).
  core.onFolderLost((err) => {
    process.stderr.write(`Stopped: ${err.message}\n`)
    process.exit(3)
  })
  try {
    await core.start()
  } catch (err) {
    await core.stop().catch(() => {})
    throw err
  }

  const built = existsSync(resolve(staticDir, 'index.html'))
  let api
  try {
    api = await startApiServers({
      core,
      env,
      apiToken,
      tls,
      staticDir: built ? staticDir : null,
      logger,
      user,
    })
  } catch (err) {
    // The listener is already taking pushes: stop it cleanly before giving up.
    await core.stop().catch(() => {})
    throw err
  }

  appUrl = appAddress(api)
  const out = (line: string): void => void process.stdout.write(line + '\n')
  out(`IVR Supervisor ${app.version} (headless) — data folder: ${env.dataDir}`)
  out(
    `Times (calls, day boundaries, log lines): ${zone()}, UTC${isoWithOffset(Date.now(), zone()).slice(-6)}`,
  )
  out(`Webhook URL (give this to the vendor): ${core.webhookUrl()}`)
  out(`Local API: ${api.localUrl}  (Authorization: Bearer ${apiToken})`)
  if (built) {
    out(`Open the app: ${personalAddress(api.localUrl, apiToken)}`)
  } else {
    out(
      'Browser mode not built: run `npm run build:server` (or `npm run build:web`) to serve the app here.',
    )
  }
  for (const url of api.teamUrls)
    out(`Team address: ${url}/  (each person opens it with #token=<their token>)`)
  const people = core.accounts.activeCount()
  // With a database the command must be given it too, or it would change a folder's accounts.
  const users = env.databaseUrl ? 'IVRS_DATABASE_URL=… npm run users' : 'npm run users'
  out(
    people === 0
      ? `Accounts: none yet (add people with: ${users} -- add "Name" --role viewer|supervisor|admin)`
      : `Accounts: ${people} active (${users} -- list)`,
  )
  const sim = core.simulatorInfo()
  if (sim) out(`Simulator (vendor stand-in): ${sim.handlerUrl}`)
  out('Ready.')

  let stopping = false
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return
    stopping = true
    logger.info(`${signal}: stopping`)
    await api.stop().catch((err: unknown) => logger.error('API stop failed', { err: String(err) }))
    let code = 0
    try {
      await core.stop()
    } catch (err) {
      logger.error('Stopping the core failed', { err: String(err) })
      code = 1
    }
    logger.info('stopped', { code })
    logger.flush()
    process.exit(code)
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
}

function safeUserName(): string {
  try {
    return userInfo().username
  } catch {
    return 'unknown'
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`Failed to start: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
