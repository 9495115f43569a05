/**
 * The team server's people, from the command line:
 *
 *   npm run users -- add "Asha Rao" --role supervisor    prints the personal token, last line alone
 *   npm run users -- list
 *   npm run users -- revoke "Asha Rao"
 *   npm run users -- role "Asha Rao" admin
 *
 * `--data <folder>` names the data folder (default IVRS_DATA_DIR, else the per-user folder the app
 * uses). While the server runs it holds the folder, so the command asks it through the admin
 * channel it publishes there (see `adminChannel.ts`); otherwise the command takes the folder's
 * lock and changes the accounts itself. With IVRS_DATABASE_URL the accounts are the database's,
 * shared by every instance and owned by none: the command changes them itself, under the
 * document's row lock, whether or not servers run; they hear of it at once. Either way the change
 * is the same, made by the same service, recorded in the activity log, and a revoked token stops
 * working at once.
 */
import { join, resolve } from 'node:path'
import { personalAddress, type Account, type AccountCreated, type Role } from '../../shared/team'
import { apiAddresses, appAddress } from './addresses'
import { AccountAddSchema } from '../../shared/teamSchemas'
import { ConfigError, environmentSecrets, readEnvConfig } from '../config/env'
import { recordChange, type ActivityEntry } from '../core/changeLog'
import { ACTIVITY_FILE, ACTIVITY_LOG } from '../ground/paths'
import { RequestValidator } from '../core/requestValidator'
import { systemClock } from '../ground/clock'
import { consoleLogger, type Logger } from '../ground/logger'
import { asFolderOwner } from '../ground/fileOwner'
import type { AppendLog } from '../storage/logs'
import { fileDocuments } from '../storage/folder/documents'
import { FileLog } from '../storage/folder/fileLog'
import { Database } from '../storage/postgres/database'
import { refuseUnfinishedCopy } from '../storage/postgres/folderCopy'
import { pgDocuments } from '../storage/postgres/pgDocuments'
import { PgLog } from '../storage/postgres/pgLog'
import { acquireDataFolderLock, DataFolderInUseError } from '../dataFolder/lock'
import { ContractClient } from '../teamClient/contractClient'
import { AccountService, openAccountsDocument } from '../accounts/accounts'
import { COMMAND_LINE, readAdminChannel } from '../accounts/adminChannel'

/** What the command does with the accounts, wherever they are. */
interface AccountOps {
  list(): Promise<Account[]>
  add(name: string, role: Role): Promise<AccountCreated>
  revoke(name: string): Promise<Account>
  setRole(name: string, role: Role): Promise<Account>
  close(): Promise<void>
}

const USAGE = `Usage:
  npm run users -- add "<name>" --role viewer|supervisor|admin
  npm run users -- list
  npm run users -- revoke "<name>"
  npm run users -- role "<name>" viewer|supervisor|admin
Options: --data <data folder>  (default: IVRS_DATA_DIR, else the app's per-user folder)
With IVRS_DATABASE_URL set, the accounts of that database are changed (the folder is not used).`

/** A usage mistake: told with the usage, exit code 2. */
class UsageError extends Error {}

const out = (line: string): void => void process.stdout.write(line + '\n')
const validator = new RequestValidator(AccountAddSchema, 'account')

/** Checks a name and a role with the schema the API uses. */
function checked(name: string | undefined, role: string | undefined): { name: string; role: Role } {
  if (!name) throw new UsageError("Give the person's name, in quotes if it has spaces.")
  const failure = validator.check({ name, role })
  if (failure) throw new UsageError(failure.error)
  return { name, role: role as Role }
}

/**
 * The accounts changed here, by the service a server uses, each change recorded in the activity
 * log as made by the command line (as the admin channel records it).
 */
function direct(
  service: AccountService,
  log: Pick<AppendLog<ActivityEntry>, 'append'>,
  logger: Logger,
  close: () => Promise<void>,
  appUrl: string | null,
): AccountOps {
  const who = { user: COMMAND_LINE, role: 'admin', accountId: null, transport: 'cli' } as const
  const recorded = async <R>(
    channel: 'accounts:add' | 'accounts:revoke' | 'accounts:setRole',
    request: unknown,
    done: Promise<R>,
  ): Promise<R> => {
    const result = await done
    await recordChange(log, { at: systemClock.now(), channel, request, who }, logger)
    return result
  }
  return {
    list: async () => service.list(),
    add: async (name, role) => {
      const made = await recorded(
        'accounts:add',
        { name, role },
        service.add({ name, role }, COMMAND_LINE),
      )
      return { ...made, address: appUrl ? personalAddress(appUrl, made.token) : null }
    },
    revoke: (name) => recorded('accounts:revoke', { name }, service.revoke(name, COMMAND_LINE)),
    setRole: (name, role) =>
      recorded('accounts:setRole', { name, role }, service.setRole(name, role, COMMAND_LINE)),
    close,
  }
}

/** The database's accounts (IVRS_DATABASE_URL): no folder, no server needed. */
async function openDatabaseOps(
  url: string,
  waitMs: number,
  logger: Logger,
  appUrl: string | null,
): Promise<AccountOps> {
  const db = await Database.open({ url, logger, waitMs, poolSize: 2 })
  try {
    await refuseUnfinishedCopy(db)
    // Without notifications of its own: this command reads once and writes; it NOTIFYs the rest.
    const doc = await openAccountsDocument(pgDocuments(db, null, logger))
    const service = new AccountService(doc, systemClock, logger)
    return direct(
      service,
      new PgLog<ActivityEntry>(db, ACTIVITY_LOG),
      logger,
      () => db.close(),
      appUrl,
    )
  } catch (err) {
    await db.close()
    throw err
  }
}

async function openOps(dir: string, logger: Logger, appUrl: string | null): Promise<AccountOps> {
  try {
    const lock = await acquireDataFolderLock(dir, { mode: 'users' })
    try {
      const service = new AccountService(
        await openAccountsDocument(fileDocuments(dir)),
        systemClock,
        logger,
      )
      const activity = new FileLog<ActivityEntry>(join(dir, ACTIVITY_FILE))
      return direct(service, activity, logger, () => lock.release(), appUrl)
    } catch (err) {
      await lock.release()
      throw err
    }
  } catch (err) {
    if (!(err instanceof DataFolderInUseError)) throw err
    const channel = await readAdminChannel(dir)
    if (!channel || channel.pid !== err.holder?.pid)
      throw new Error(
        `${err.message}\nThat program offers no way to change accounts while it runs (only a team server, \`npm run serve\`, does): stop it first, or run this command on the team server's own data folder.`,
        { cause: err },
      )
    const client = new ContractClient({ baseUrl: channel.url, token: channel.token })
    return {
      list: () => client.call('accounts:list', undefined),
      add: (name, role) => client.call('accounts:add', { name, role }),
      revoke: (name) => client.call('accounts:revoke', { name }),
      setRole: (name, role) => client.call('accounts:setRole', { name, role }),
      close: async () => {},
    }
  }
}

function describe(a: Account): string {
  const state = a.revokedAt ? `revoked ${a.revokedAt} by ${a.revokedBy}` : 'active'
  return `${a.name}\t${a.role}\t${state}\tcreated ${a.createdAt} by ${a.createdBy}`
}

/** Each command checks its arguments first, then answers what it does with the accounts. */
const COMMANDS: Record<
  string,
  (name: string | undefined, role: string | undefined) => (ops: AccountOps) => Promise<void>
> = {
  list: () => async (ops) => {
    const all = await ops.list()
    if (all.length === 0) out('No accounts yet.')
    for (const a of all) out(describe(a))
  },
  add: (name, role) => {
    const a = checked(name, role)
    return async (ops) => {
      const made = await ops.add(a.name, a.role)
      out(made.message)
      out(
        made.address
          ? `Open the app as ${made.account.name}: ${made.address}`
          : `Open the app as ${made.account.name}: the server's address (npm run serve prints it) followed by /#token= and the token below`,
      )
      // Alone on the last line, so a script can take it with `tail -n 1`.
      out(made.token)
    }
  },
  revoke: (name) => {
    const a = checked(name, 'viewer')
    return async (ops) => {
      const done = await ops.revoke(a.name)
      out(`Revoked: ${done.name}. Their token stopped working; their open screens were closed.`)
    }
  },
  role: (name, role) => {
    const a = checked(name, role)
    return async (ops) => {
      const done = await ops.setRole(a.name, a.role)
      out(`${done.name} is now a ${done.role}.`)
    }
  },
}

async function run(argv: string[]): Promise<number> {
  const env = readEnvConfig(process.env)
  const dataAt = argv.indexOf('--data')
  const roleAt = argv.indexOf('--role')
  const values = new Set([dataAt + 1, roleAt + 1].filter((i) => i > 0))
  const [command, name, extra] = argv.filter((a, i) => !a.startsWith('--') && !values.has(i))
  const dir = resolve((dataAt >= 0 ? argv[dataAt + 1] : undefined) || env.dataDir)
  const make = command ? COMMANDS[command] : undefined
  if (!make) throw new UsageError(command ? `Unknown command "${command}".` : 'Give a command.')
  // Arguments are checked before the folder or the database is touched.
  const work = make(name, roleAt >= 0 ? argv[roleAt + 1] : extra)
  const secrets = environmentSecrets(env)
  const logger = consoleLogger(() => secrets)
  // With no server running, the address it would be reached at once started with this
  // environment (unknown when its port is chosen at start, IVRS_API_PORT=0).
  const appUrl =
    env.apiPort === 0 ? null : appAddress(apiAddresses(env, env.tlsCert !== null, env.apiPort))
  if (!env.databaseUrl) asFolderOwner(dir)
  const ops = env.databaseUrl
    ? await openDatabaseOps(env.databaseUrl, env.databaseWaitMs, logger, appUrl)
    : await openOps(dir, logger, appUrl)
  try {
    await work(ops)
    return 0
  } finally {
    await ops.close()
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n\n${USAGE}\n`)
      process.exit(2)
    }
    if (err instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${err.message}\n`)
      process.exit(2)
    }
    process.stderr.write(`Failed: ${err instanceof Error ? err.message : String(err)}\n`)
    process.exit(1)
  },
)
