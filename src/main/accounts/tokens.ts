/**
 * Personal access tokens: `ivrs_<id>_<secret>`. The id (72 random bits) is how the server finds
 * the account without hashing against every one; the secret (256 random bits) is kept only as a
 * salted scrypt hash. A token this random needs no slow hash to resist guessing: scrypt is there
 * so that a copy of the accounts file gives nobody a token that works, and its cost is kept
 * moderate because the server verifies a token once per process (see `AccountService.verify`).
 */
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto'

const PREFIX = 'ivrs_'
const ID_BYTES = 9
const SECRET_BYTES = 32
const SALT_BYTES = 16
const HASH_BYTES = 32
/** scrypt cost: 2^13 rounds, about 10 ms on a laptop core. */
const SCRYPT = { N: 1 << 13, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }

const TOKEN_PATTERN = /^ivrs_([A-Za-z0-9_-]{12})_([A-Za-z0-9_-]{43})$/

/** What the accounts document keeps of a token. */
export interface TokenHash {
  id: string
  /** base64 of the random salt. */
  salt: string
  /** base64 of scrypt(secret, salt). */
  hash: string
}

/** A new token and what is kept of it. */
export async function newToken(): Promise<{ token: string; kept: TokenHash }> {
  const id = randomBytes(ID_BYTES).toString('base64url')
  const secret = randomBytes(SECRET_BYTES).toString('base64url')
  const salt = randomBytes(SALT_BYTES)
  const hash = await scryptOf(secret, salt)
  return {
    token: `${PREFIX}${id}_${secret}`,
    kept: { id, salt: salt.toString('base64'), hash: hash.toString('base64') },
  }
}

/** The id and secret of a well-formed token; null for anything else. */
export function parseToken(token: string): { id: string; secret: string } | null {
  const m = TOKEN_PATTERN.exec(token)
  return m ? { id: m[1]!, secret: m[2]! } : null
}

/** True when `secret` is the one `kept` was made from; compared in constant time. */
export async function secretMatches(secret: string, kept: TokenHash): Promise<boolean> {
  const expected = Buffer.from(kept.hash, 'base64')
  const actual = await scryptOf(secret, Buffer.from(kept.salt, 'base64'))
  return expected.length === actual.length && timingSafeEqual(actual, expected)
}

/** A fast digest of a whole token, for the in-memory record of tokens already verified. */
export function tokenDigest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest()
}

function scryptOf(secret: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, HASH_BYTES, SCRYPT, (err, key) => (err ? reject(err) : resolve(key))),
  )
}
