/**
 * TypeBox schemas of the team channels (accounts, the desktop's team-server connection) and the
 * request types derived from them, as `schemas.ts` does for the rest of the contract.
 */
import { Type, type Static } from 'typebox'

export const RoleSchema = Type.Union([
  Type.Literal('viewer'),
  Type.Literal('supervisor'),
  Type.Literal('admin'),
])

/** A person's name: what the screens show and the audit logs record. */
export const PersonName = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' })

export const AccountAddSchema = Type.Object(
  { name: PersonName, role: RoleSchema },
  { additionalProperties: false },
)
export const AccountNameParam = Type.Object({ name: PersonName }, { additionalProperties: false })
export const AccountRoleSchema = Type.Object(
  { name: PersonName, role: RoleSchema },
  { additionalProperties: false },
)

export const TeamConnectSchema = Type.Object(
  {
    /** The team server's address, e.g. `https://supervisor.example.com`. */
    server: Type.String({ minLength: 1, maxLength: 500 }),
    /** The personal access token `npm run users -- add` (or an admin) gave. */
    token: Type.String({ minLength: 16, maxLength: 200 }),
  },
  { additionalProperties: false },
)

export type AccountAdd = Static<typeof AccountAddSchema>
export type AccountNameRequest = Static<typeof AccountNameParam>
export type AccountRoleChange = Static<typeof AccountRoleSchema>
export type TeamConnect = Static<typeof TeamConnectSchema>
