/**
 * How `npm run users` reaches a running team server: the server holds the data folder's lock, so
 * the command cannot open the accounts itself. Instead the server listens on a second, loopback-only
 * port with a token of its own and writes both in a file readable by the folder's owner only
 * (mode 0600). Whoever can read that file owns the data folder, accounts included, anyway.
 */
import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileDurable } from '../dataFolder/durableFile'
import { checkOwner } from '../dataFolder/fence'
import { ADMIN_CHANNEL_FILE } from '../ground/paths'

/** The name the owner's admin channel is recorded under (activity log, accounts' `createdBy`). */
export const COMMAND_LINE = 'command line'

export interface AdminChannel {
  /** `http://127.0.0.1:<port>`. */
  url: string
  token: string
  /** The server's process id: a file left by a crashed server names a process that is gone. */
  pid: number
}

export function writeAdminChannel(dataDir: string, channel: AdminChannel): Promise<void> {
  return writeFileDurable(join(dataDir, ADMIN_CHANNEL_FILE), JSON.stringify(channel))
}

/** The channel a server published, or null when there is none (or it cannot be read). */
export async function readAdminChannel(dataDir: string): Promise<AdminChannel | null> {
  try {
    const c = JSON.parse(await readFile(join(dataDir, ADMIN_CHANNEL_FILE), 'utf8')) as AdminChannel
    return typeof c.url === 'string' && typeof c.token === 'string' && typeof c.pid === 'number'
      ? c
      : null
  } catch {
    return null
  }
}

export async function removeAdminChannel(dataDir: string): Promise<void> {
  checkOwner(dataDir)
  await rm(join(dataDir, ADMIN_CHANNEL_FILE), { force: true })
}
