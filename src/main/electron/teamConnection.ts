/**
 * Settings → "Connect to a team server": the desktop keeps the server's address (`team.json` in
 * its data folder) and the personal token (with its other secrets, `safeStorage`), and restarts
 * as that server's client; "Disconnect" forgets both and restarts as its own receiver. Which one
 * it is is decided once, at launch (`readTeamConnection`): a desktop never runs its listener and
 * a client side by side.
 */
import { join } from 'node:path'
import type { Session, TeamState } from '../../shared/team'
import type { Handlers } from '../core/core'
import { UserError } from '../ground/errors'
import type { SecretStore } from '../ground/secrets'
import { DocStore } from '../storage/docStore'
import { isLoopbackHost } from '../config/env'

export const TEAM_FILE = 'team.json'

export interface TeamConfig {
  /** The team server's origin; null: this desktop is its own receiver. */
  server: string | null
}

export type TeamDocument = Pick<DocStore<TeamConfig>, 'data' | 'update'>

export function openTeamDocument(dataDir: string): Promise<TeamDocument> {
  return DocStore.open<TeamConfig>(join(dataDir, TEAM_FILE), { server: null })
}

/** The team server to connect to at launch, or null to run as the desktop's own receiver. */
export async function readTeamConnection(
  doc: TeamDocument,
  secrets: SecretStore,
): Promise<{ server: string; token: string } | null> {
  const server = doc.data.server
  if (!server) return null
  const token = await secrets.get('teamToken')
  return token ? { server, token } : null
}

/**
 * A team server's address as the desktop keeps it: its origin. HTTPS, because the personal token
 * travels with every request; plain HTTP only to this machine itself.
 */
export function teamServerOrigin(address: string): string {
  let url: URL
  try {
    url = new URL(address.trim())
  } catch {
    throw new UserError(
      'The team server address must be a full address, e.g. https://supervisor.example.com',
      400,
      ['server'],
    )
  }
  const local = isLoopbackHost(url.hostname.replace(/^\[|\]$/g, ''))
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local))
    throw new UserError(
      'The team server address must start with https:// (your personal token travels with every request)',
      400,
      ['server'],
    )
  return url.origin
}

export interface TeamConnectionDeps {
  doc: TeamDocument
  secrets: SecretStore
  /** Asks the server who a token belongs to (`session:get`); throws its refusal in its words. */
  probe(server: string, token: string): Promise<Session>
  /** Restarts the app, which comes back in the mode now kept. */
  restart(): void
  /** How this desktop stands now. */
  current(): TeamState
  /** Delay before the restart, so that the answer reaches the screen first (default 600 ms). */
  restartDelayMs?: number
}

/** The desktop's own answers to the `team:` channels (the core's say "desktop only"). */
export function teamHandlers(
  d: TeamConnectionDeps,
): Pick<Handlers, 'team:get' | 'team:connect' | 'team:disconnect'> {
  const restartSoon = (): void => {
    setTimeout(() => d.restart(), d.restartDelayMs ?? 600).unref?.()
  }
  return {
    'team:get': async () => d.current(),
    'team:connect': async (req) => {
      const server = teamServerOrigin(req.server)
      const token = req.token.trim()
      const session = await d.probe(server, token)
      await d.secrets.set('teamToken', token)
      await d.doc.update((c) => {
        c.server = server
      })
      restartSoon()
      return { mode: 'client', server, as: session, state: 'connecting', error: null }
    },
    'team:disconnect': async () => {
      await d.doc.update((c) => {
        c.server = null
      })
      await d.secrets.set('teamToken', null)
      restartSoon()
      return { mode: 'local', server: null, as: null, state: 'connecting', error: null }
    },
  }
}
