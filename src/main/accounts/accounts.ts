import { timingSafeEqual } from 'node:crypto'
import type { Account, AccountCreated, Role } from '../../shared/team'
import type { AccountAdd } from '../../shared/teamSchemas'
import type { Clock } from '../ground/clock'
import { NotFoundError, UserError } from '../ground/errors'
import type { Logger } from '../ground/logger'
import { type Document, type DocumentSource } from '../storage/documents'
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
 * What the accounts are kept in: a durable document of either backend (`accounts.json` in the
 * data folder, or that row of the database's documents), read whole, changed by one `update` at
 * a time, and told when another instance on the same database changed it.
 */
export type AccountsDocument = Pick<
  Document<AccountsDoc>,
  'data' | 'update' | 'onExternalChange' | 'reload'
>

/** The accounts document's name: its file in the data folder, its row in the database. */
export const ACCOUNTS_FILE = 'accounts.json'

/** Opens (or creates) the accounts document where the storage keeps documents. */
export function openAccountsDocument(from: DocumentSource): Promise<AccountsDocument> {
  return from.open<AccountsDoc>(ACCOUNTS_FILE, { accounts: [] })
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

/** Re-reading the document for an unknown token id happens at most this often. */
const LOOK_AGAIN_MS = 1_000

/**
 * The people of a team server and their personal tokens. A token is verified with scrypt once per
 * process; after that a request costs one SHA-256 of the token, compared in constant time with
 * what was verified. Revoking an account or changing its role takes effect on the next request,
 * and the listeners (the event stream) hear of it at once: on every instance sharing a database,
 * since a change another instance made is told here as this instance's own are.
 */
export class AccountService {
  /** Active accounts by token id. */
  private byId = new Map<string, StoredAccount>()
  /** Every account as the listeners last heard of it, to tell what changed since. */
  private known = new Map<string, Account>()
  /** Digest of the token verified for an account id, in memory only. */
  private readonly verified = new Map<string, Buffer>()
  private readonly listeners = new Set<(change: AccountChange, all: Account[]) => void>()
  private lookedAgainAt = -Infinity
  private lookingAgain: Promise<void> | null = null

  constructor(
    private readonly doc: AccountsDocument,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.reindex()
    doc.onExternalChange(() => this.sync())
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

  async add(req: AccountAdd, by: string): Promise<Omit<AccountCreated, 'address'>> {
    const name = req.name.trim()
    const { token, kept } = await newToken()
    // Checked on the stored version, under the update's lock: two instances adding one name at
    // the same moment cannot both succeed.
    const account = await this.change((doc) => {
      if (doc.accounts.some((a) => a.revokedAt === null && sameName(a.name, name)))
        throw new UserError(
          `An active account named "${name}" exists already: revoke it first, or choose another name.`,
          409,
          ['name'],
        )
      const stored = this.fresh(name, req.role, by, kept)
      doc.accounts.push(stored)
      return stored
    })
    return {
      account,
      token,
      message: `Account created for ${name} (${req.role}). Give them this personal token now: it is shown this once only.`,
    }
  }

  revoke(name: string, by: string): Promise<Account> {
    return this.change((doc) => {
      const a = this.activeIn(doc, name)
      a.revokedAt = this.now()
      a.revokedBy = by
      return a
    })
  }

  setRole(name: string, role: Role, by: string): Promise<Account> {
    return this.change((doc) => {
      const a = this.activeIn(doc, name)
      if (a.role !== role) {
        a.role = role
        a.roleChangedAt = this.now()
        a.roleChangedBy = by
      }
      return a
    })
  }

  /** The active account a personal token belongs to, or null (unknown, wrong or revoked). */
  async verify(token: string): Promise<Account | null> {
    const parsed = parseToken(token)
    if (!parsed) return null
    const stored = this.byId.get(parsed.id) ?? (await this.lookAgain(parsed.id))
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

  /**
   * An id not known here may be an account another instance added a moment ago, its notice still
   * on the way: the stored document is read again, at most once a second, so a stream of made-up
   * ids cannot become a stream of database reads. (A no-op for a data folder's file.)
   */
  private async lookAgain(id: string): Promise<StoredAccount | undefined> {
    const now = this.clock.now()
    if (!this.lookingAgain && now - this.lookedAgainAt >= LOOK_AGAIN_MS) {
      this.lookedAgainAt = now
      this.lookingAgain = this.doc
        .reload()
        .catch((err: unknown) =>
          this.logger.warn('The accounts could not be read again', { err: String(err) }),
        )
        .finally(() => (this.lookingAgain = null))
    }
    await this.lookingAgain
    return this.byId.get(id)
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

  private activeIn(doc: AccountsDoc, name: string): StoredAccount {
    const a = doc.accounts.find((x) => x.revokedAt === null && sameName(x.name, name))
    if (!a) throw new NotFoundError(`No active account named "${name.trim()}"`)
    return a
  }

  /**
   * Applies one change durably (to the stored version, which on a database may hold another
   * instance's newer changes) and answers the changed account's public record.
   */
  private async change(fn: (doc: AccountsDoc) => StoredAccount): Promise<Account> {
    const changed = await this.doc.update((doc) => publicOf(fn(doc)))
    this.sync()
    return changed
  }

  private reindex(): void {
    const all = this.doc.data.accounts
    this.byId = new Map(all.filter((a) => a.revokedAt === null).map((a) => [a.id, a]))
    this.known = new Map(all.map((a) => [a.id, publicOf(a)]))
  }

  /**
   * The document changed, here or on another instance: tells each account that came, went or
   * changed role since the listeners last heard. By difference, not by who asked, so that a
   * change of another instance that arrived inside this one's own update is told too.
   */
  private sync(): void {
    const before = this.known
    this.reindex()
    const changes: AccountChange[] = []
    for (const account of this.known.values()) {
      const was = before.get(account.id)
      if (!was) changes.push({ account, what: account.revokedAt ? 'revoked' : 'added' })
      else if (account.revokedAt !== null && was.revokedAt === null)
        changes.push({ account, what: 'revoked' })
      else if (account.revokedAt === null && account.role !== was.role)
        changes.push({ account, what: 'role' })
    }
    // An account gone from the document (a restored older copy) can no longer sign in either.
    for (const [id, was] of before)
      if (!this.known.has(id) && was.revokedAt === null)
        changes.push({ account: was, what: 'revoked' })
    for (const c of changes) if (c.what === 'revoked') this.verified.delete(c.account.id)
    for (const c of changes) this.tell(c)
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
