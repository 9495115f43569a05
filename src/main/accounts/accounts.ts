import { timingSafeEqual } from 'node:crypto'
import { join } from 'node:path'
import type { Account, AccountCreated, Role } from '../../shared/team'
import type { AccountAdd } from '../../shared/teamSchemas'
import type { Clock } from '../ground/clock'
import { NotFoundError, UserError } from '../ground/errors'
import type { Logger } from '../ground/logger'
import { DocStore } from '../storage/docStore'
import { newToken, parseToken, secretMatches, tokenDigest, type TokenHash } from './tokens'

/** An account as kept: the public record plus the salted hash of its token. */
export interface StoredAccount extends Account {
  salt: string
  hash: string
}

export interface AccountsDoc {
  accounts: StoredAccount[]
}

/**
 * What the accounts are kept in: a durable document (`DocStore`, or any other implementation of
 * the same two members), read whole and changed by one `update` at a time.
 */
export type AccountsDocument = Pick<DocStore<AccountsDoc>, 'data' | 'update'>

/** The accounts file in the data folder. */
export const ACCOUNTS_FILE = 'accounts.json'

/** Opens (or creates) the data folder's accounts document. */
export function openAccountsDocument(dataDir: string): Promise<AccountsDocument> {
  return DocStore.open<AccountsDoc>(join(dataDir, ACCOUNTS_FILE), { accounts: [] })
}

/** What changed: a new account, a revoked one, or a new role. */
export interface AccountChange {
  account: Account
  what: 'added' | 'revoked' | 'role'
}

const sameName = (a: string, b: string): boolean =>
  a.trim().toLocaleLowerCase() === b.trim().toLocaleLowerCase()

function publicOf(a: StoredAccount): Account {
  return {
    id: a.id,
    name: a.name,
    role: a.role,
    createdAt: a.createdAt,
    createdBy: a.createdBy,
    roleChangedAt: a.roleChangedAt,
    roleChangedBy: a.roleChangedBy,
    revokedAt: a.revokedAt,
    revokedBy: a.revokedBy,
  }
}

/**
 * The people of a team server and their personal tokens. A token is verified with scrypt once per
 * process; after that a request costs one SHA-256 of the token, compared in constant time with
 * what was verified. Revoking an account or changing its role takes effect on the next request,
 * and the listeners (the event stream) hear of it at once.
 */
export class AccountService {
  /** Active accounts by token id. */
  private byId = new Map<string, StoredAccount>()
  /** Digest of the token verified for an account id, in memory only. */
  private readonly verified = new Map<string, Buffer>()
  private readonly listeners = new Set<(change: AccountChange, all: Account[]) => void>()

  constructor(
    private readonly doc: AccountsDocument,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.reindex()
  }

  /** Hears every change, with the whole list after it; returns the function that stops it. */
  onChange(listener: (change: AccountChange, all: Account[]) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Every account in the order they were created, revoked ones included. */
  list(): Account[] {
    return this.doc.data.accounts.map(publicOf)
  }

  /** How many accounts can sign in. */
  activeCount(): number {
    return this.byId.size
  }

  async add(req: AccountAdd, by: string): Promise<AccountCreated> {
    const name = req.name.trim()
    if (this.activeNamed(name))
      throw new UserError(
        `An active account named "${name}" exists already: revoke it first, or choose another name.`,
        409,
        ['name'],
      )
    const { token, kept } = await newToken()
    const account = await this.change((doc) => {
      const stored = this.fresh(name, req.role, by, kept)
      doc.accounts.push(stored)
      return stored
    })
    this.tell({ account, what: 'added' })
    return {
      account,
      token,
      message: `Account created for ${name} (${req.role}). Give them this personal token now: it is shown this once only.`,
    }
  }

  async revoke(name: string, by: string): Promise<Account> {
    const account = await this.change((doc) => {
      const a = this.activeIn(doc, name)
      a.revokedAt = this.now()
      a.revokedBy = by
      return a
    })
    this.verified.delete(account.id)
    this.tell({ account, what: 'revoked' })
    return account
  }

  async setRole(name: string, role: Role, by: string): Promise<Account> {
    const account = await this.change((doc) => {
      const a = this.activeIn(doc, name)
      if (a.role !== role) {
        a.role = role
        a.roleChangedAt = this.now()
        a.roleChangedBy = by
      }
      return a
    })
    this.tell({ account, what: 'role' })
    return account
  }

  /** The active account a personal token belongs to, or null (unknown, wrong or revoked). */
  async verify(token: string): Promise<Account | null> {
    const parsed = parseToken(token)
    if (!parsed) return null
    const stored = this.byId.get(parsed.id)
    if (!stored) return null
    const digest = tokenDigest(token)
    const known = this.verified.get(stored.id)
    if (known) return timingSafeEqual(known, digest) ? this.current(parsed.id) : null
    if (!(await secretMatches(parsed.secret, stored))) return null
    // Revoked while scrypt ran: refused like any revoked token.
    const now = this.byId.get(parsed.id)
    if (!now) return null
    this.verified.set(now.id, digest)
    return publicOf(now)
  }

  private current(id: string): Account | null {
    const a = this.byId.get(id)
    return a ? publicOf(a) : null
  }

  private fresh(name: string, role: Role, by: string, kept: TokenHash): StoredAccount {
    return {
      ...kept,
      name,
      role,
      createdAt: this.now(),
      createdBy: by,
      roleChangedAt: null,
      roleChangedBy: null,
      revokedAt: null,
      revokedBy: null,
    }
  }

  private activeNamed(name: string): StoredAccount | undefined {
    return this.doc.data.accounts.find((a) => a.revokedAt === null && sameName(a.name, name))
  }

  private activeIn(doc: AccountsDoc, name: string): StoredAccount {
    const a = doc.accounts.find((x) => x.revokedAt === null && sameName(x.name, name))
    if (!a) throw new NotFoundError(`No active account named "${name.trim()}"`)
    return a
  }

  /** Applies one change durably and answers the changed account's public record. */
  private async change(fn: (doc: AccountsDoc) => StoredAccount): Promise<Account> {
    const changed = await this.doc.update((doc) => publicOf(fn(doc)))
    this.reindex()
    return changed
  }

  private reindex(): void {
    this.byId = new Map(
      this.doc.data.accounts.filter((a) => a.revokedAt === null).map((a) => [a.id, a]),
    )
  }

  private tell(change: AccountChange): void {
    const all = this.list()
    for (const l of [...this.listeners]) {
      try {
        l(change, all)
      } catch (err) {
        // The change is made and kept; a listener that fails must not make it look refused.
        this.logger.error('An account listener failed', { err: String(err) })
      }
    }
  }

  private now(): string {
    return new Date(this.clock.now()).toISOString()
  }
}
