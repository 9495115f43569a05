/**
 * People on a team server: accounts, their roles, who a request comes from, and the desktop's
 * connection to a team server. Which role each channel needs is in the contract (the `role` of its row of `REQUESTS`).
 */

/**
 * What a person may do, each role including the one before it: a `viewer` sees everything, a
 * `supervisor` also switches agents, edits holidays, weekly closures and office hours, marks
 * missed calls and names who calls back, an `admin` also changes settings, vendor credentials and
 * accounts.
 */
export type Role = 'viewer' | 'supervisor' | 'admin'

/** Every role, weakest first. */
export const ROLES: readonly Role[] = ['viewer', 'supervisor', 'admin']

/** True when `role` includes everything `needed` may do. */
export function roleIncludes(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed)
}

/** One person's account on a team server (never its token nor the token's hash). */
export interface Account {
  /** The public part of the personal token, by which the server finds the account. */
  id: string
  name: string
  role: Role
  createdAt: string
  /** Who created it: a person's name, or `command line` for `npm run users`. */
  createdBy: string
  /** When its role last changed, and by whom (null: never). */
  roleChangedAt: string | null
  roleChangedBy: string | null
  /** When it was revoked (its token stopped working), and by whom; null while active. */
  revokedAt: string | null
  revokedBy: string | null
}

/** Answer of `accounts:add`: the new account and its personal token, shown this once only. */
export interface AccountCreated {
  account: Account
  /** The personal access token. Only its salted hash is kept: it cannot be shown again. */
  token: string
  message: string
  /**
   * The address that opens the app as that person (`https://…/#token=…`), when the server knows
   * where it is reached; null otherwise (then: the server's address followed by `#token=…`).
   */
  address: string | null
}

/** The address that opens the app at `base` as the holder of `token`. */
export function personalAddress(base: string, token: string): string {
  return `${base.replace(/\/+$/, '')}/#token=${encodeURIComponent(token)}`
}

/**
 * A token pasted on the sign-in screen: the token alone, or the whole address it came in
 * (`…#token=…`); null when the text holds none.
 */
export function pastedToken(text: string): string | null {
  const t = text.trim()
  const inAddress = /#token=([^&\s]+)/.exec(t)
  if (inAddress?.[1]) {
    try {
      return decodeURIComponent(inAddress[1])
    } catch {
      return null
    }
  }
  return t && !/\s/.test(t) && !t.includes('/') ? t : null
}

/** Who a request comes from, as the server knows them. */
export interface Session {
  name: string
  role: Role
  /**
   * True for the owner: the desktop app's own user, or whoever holds the server's launch token
   * (`IVRS_API_TOKEN`, printed at start). The owner is an admin and has no account.
   */
  owner: boolean
}

/** How this app relates to a team server. */
export interface TeamState {
  /**
   * `local`: the desktop app is its own receiver (the single-user set-up); `server`: this is a
   * team server (headless mode, seen from a browser); `client`: the desktop app shows a team
   * server's calls and runs no listener of its own.
   */
  mode: 'local' | 'server' | 'client'
  /** The team server's address (client mode). */
  server: string | null
  /** Who this desktop is on the team server, once it answered (client mode). */
  as: Session | null
  /**
   * `connected`; `connecting` (first contact or reconnecting); `unreachable` (retrying by
   * itself); `refused` (the server refused the token: revoked or mistyped; nothing is retried).
   */
  state: 'connected' | 'connecting' | 'unreachable' | 'refused'
  /** Why it is not connected, in words for the user. */
  error: string | null
}
