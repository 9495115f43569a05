/**
 * The table of roles over HTTP (each row's `role` in `REQUESTS`), for any accounts backend: the API on a fake core
 * with real accounts, a person of each role, and what each channel must answer each of them.
 */
import { expect } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { CHANNELS, REQUESTS, mayUse, type Channel } from '../../../src/shared/contract'
import { ROLES, type Role } from '../../../src/shared/team'
import { buildApiApp } from '../../../src/main/api/app'
import type { AccountService } from '../../../src/main/accounts/accounts'
import { silentLogger } from '../../../src/main/ground/logger'
import { SAMPLE_REQUESTS, type FakeCore } from './fakeCore'
import { GOOD, PORT, TOKEN, httpCallFor } from './helpers'

/** Every channel with every role: the cases of the table. */
export const ROLE_CASES = CHANNELS.flatMap((channel) =>
  ROLES.map((role) => [channel, role] as const),
)

/** Adds "The viewer", "The supervisor" and "The admin"; answers their tokens. */
export async function peopleOfEachRole(accounts: AccountService): Promise<Record<Role, string>> {
  const tokens = {} as Record<Role, string>
  for (const role of ROLES)
    tokens[role] = (await accounts.add({ name: `The ${role}`, role }, 'test')).token
  return tokens
}

/** The API with real accounts, allowing `max` requests without a valid token a minute. */
export function roleApp(fake: FakeCore, accounts: AccountService, max = 1000): FastifyInstance {
  return buildApiApp({
    core: fake.core,
    token: TOKEN,
    accounts,
    port: () => PORT,
    staticDir: null,
    logger: silentLogger,
    authFailureLimit: { max, windowMs: 60_000 },
  })
}

/** A channel's sample request, sent with `token`. */
export function sendAs(app: FastifyInstance, channel: Channel, token: string) {
  const call = httpCallFor(channel, SAMPLE_REQUESTS[channel])
  return app.inject({
    method: call.method,
    url: call.url,
    headers: { host: GOOD.host, authorization: `Bearer ${token}`, ...call.headers },
    ...(call.payload !== undefined ? { payload: call.payload } : {}),
  })
}

/** Done for a role that may use the channel, as that person; refused with 403 and why, else. */
export async function expectRoleAnswer(
  app: FastifyInstance,
  fake: FakeCore,
  channel: Channel,
  role: Role,
  token: string,
): Promise<void> {
  const before = fake.calls.length
  const res = await sendAs(app, channel, token)
  if (mayUse(role, channel)) {
    expect(res.statusCode, res.body).toBe(200)
    if (channel !== 'calls:exportCsv') {
      expect(fake.calls.length).toBe(before + 1)
      expect(fake.calls.at(-1)!.ctx).toMatchObject({ user: `The ${role}`, role })
    }
    return
  }
  expect(res.statusCode).toBe(403)
  expect(res.json().error).toBe(
    `Forbidden: ${channel} needs the ${REQUESTS[channel].role} role or above; The ${role} is a ${role}. Ask an admin of this team server.`,
  )
  expect(fake.calls.length).toBe(before)
}
