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
import { DocStore } from '../dataFolder/docStore'
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

/**
 * What this desktop is at launch: its own receiver, a team server's client, or set to be a client
 * whose personal token cannot be read (the keychain is locked or was reset, or the data folder
 * came from another computer), which the user is asked about ({@link askAboutUnreadableToken})
 * rather than finding the desktop silently receiving calls on its own.
 */
export type TeamLaunch =
  | { mode: 'local' }
  | { mode: 'client'; server: string; token: string }
  | { mode: 'token-unreadable'; server: string }

export async function readTeamConnection(
  doc: TeamDocument,
  secrets: SecretStore,
): Promise<TeamLaunch> {
  const server = doc.data.server
  if (!server) return { mode: 'local' }
  const token = await secrets.get('teamToken')
  return token ? { mode: 'client', server, token } : { mode: 'token-unreadable', server }
}

/** The question asked when the team token cannot be read; answer 0 starts locally, 1 quits. */
export function unreadableTokenDialog(server: string): {
  type: 'warning'
  title: string
  message: string
  detail: string
  buttons: string[]
  defaultId: number
  cancelId: number
} {
  return {
    type: 'warning',
    title: 'The team server token cannot be read',
    message: `This desktop is set to show the calls of the team server ${server}, but its personal token cannot be read on this computer.`,
    detail:
      "The token is kept encrypted with this computer's keychain (the system's password store). " +
      'It cannot be read when the keychain is locked, was reset, or when this data folder was copied from another computer; the log says which.\n\n' +
      "Quit, unlock or repair the keychain and start again; or start as this computer's own receiver " +
      '(it then listens for calls itself) and connect to the team server again in Settings with your personal token.',
    buttons: ["Start as this computer's own receiver", 'Quit'],
    defaultId: 1,
    cancelId: 1,
  }
}

/**
 * Asks what to do when the token cannot be read: `local` forgets the team server (the user chose
 * to start as this computer's receiver), `quit` leaves everything as it is.
 */
export async function askAboutUnreadableToken(d: {
  server: string
  doc: TeamDocument
  showMessageBox: (opts: ReturnType<typeof unreadableTokenDialog>) => Promise<{ response: number }>
}): Promise<'local' | 'quit'> {
  const { response } = await d.showMessageBox(unreadableTokenDialog(d.server))
  if (response !== 0) return 'quit'
  await d.doc.update((c) => {
    c.server = null
  })
  return 'local'
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
