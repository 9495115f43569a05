import {
  Alert,
  Badge,
  Button,
  Card,
  Code,
  CopyButton,
  Group,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core'
import { useState } from 'react'
import { ROLES, type Account, type AccountCreated, type Role } from '../../../../shared/team'
import { api } from '../../api'
import { useAsyncAction } from '../../asyncAction'
import { formatInstant } from '../../format'
import { useTimezone } from '../../hooks'
import { showError, showInfo } from '../../notify'
import { useApp } from '../../store'

const ROLE_OPTIONS = ROLES.map((r) => ({ value: r, label: r }))

const ROLE_TEXT: Record<Role, string> = {
  viewer: 'sees everything',
  supervisor:
    'also switches agents, edits holidays and office hours, marks missed calls and assigns call-backs',
  admin: 'also settings, vendor credentials and accounts',
}

/** Adds a person; their token is shown here once, to copy and hand over. */
function AddAccount(): React.JSX.Element {
  const [name, setName] = useState('')
  const [role, setRole] = useState<Role>('viewer')
  const [made, setMade] = useState<AccountCreated | null>(null)
  const { busy, run: submit } = useAsyncAction(
    async () => {
      setMade(await api.accounts.add({ name: name.trim(), role }))
      setName('')
    },
    (err) => showError('Could not add the account', err),
  )
  return (
    <Card withBorder>
      <Title order={3} mb="sm">
        Add a person
      </Title>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void submit()
        }}
      >
        <Group align="flex-end" gap="xs">
          <TextInput
            label="Name"
            placeholder="Asha Rao"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            required
            style={{ flex: 1 }}
          />
          <Select
            label="Role"
            data={ROLE_OPTIONS}
            value={role}
            allowDeselect={false}
            onChange={(v) => v && setRole(v as Role)}
            w={160}
          />
          <Button type="submit" loading={busy}>
            Add
          </Button>
        </Group>
        <Text size="xs" c="dimmed" mt={4}>
          A {role} {ROLE_TEXT[role]}.
        </Text>
      </form>
      {made && (
        <Alert color="teal" mt="md" title={`Personal token for ${made.account.name}`} role="status">
          <Stack gap="xs">
            <Text size="sm">{made.message}</Text>
            <Secret label="Personal token" value={made.token} />
            <Text size="sm">
              {made.address
                ? `The address that opens the app as ${made.account.name} (send it to them, as you would a password):`
                : `They open this server's address and paste the token on its sign-in screen, or add /#token= and the token to the address.`}
            </Text>
            {made.address && (
              <Secret label={`Address for ${made.account.name}`} value={made.address} />
            )}
            <Button size="compact-sm" variant="subtle" onClick={() => setMade(null)}>
              Done: hide it
            </Button>
          </Stack>
        </Alert>
      )}
    </Card>
  )
}

/** A value to hand over once, with its copy button. */
function Secret({ label, value }: { label: string; value: string }): React.JSX.Element {
  return (
    <Group gap="xs" wrap="nowrap">
      <Code aria-label={label} style={{ wordBreak: 'break-all' }}>
        {value}
      </Code>
      <CopyButton value={value}>
        {({ copied, copy }) => (
          <Button size="compact-sm" variant="light" onClick={copy} aria-label={`Copy ${label}`}>
            {copied ? 'Copied' : 'Copy'}
          </Button>
        )}
      </CopyButton>
    </Group>
  )
}

async function setRole(a: Account, role: Role): Promise<void> {
  try {
    await api.accounts.setRole({ name: a.name, role })
    showInfo('Role changed', `${a.name} is now a ${role}.`)
  } catch (err) {
    showError(`Could not change ${a.name}'s role`, err)
  }
}

/**
 * The team server's people (admins only): each with a role and their own token; revoking one
 * stops its token at once, open screens included. The list follows `accounts:updated`.
 */
export function AccountsTab(): React.JSX.Element {
  const accounts = useApp((s) => s.accounts)
  const timezone = useTimezone()
  const [revoking, setRevoking] = useState<Account | null>(null)
  const revoke = async (a: Account): Promise<void> => {
    try {
      await api.accounts.revoke({ name: a.name })
      showInfo('Revoked', `${a.name}'s token stopped working.`)
    } catch (err) {
      showError(`Could not revoke ${a.name}`, err)
    }
  }
  return (
    <Stack maw={960}>
      <AddAccount />
      {accounts.length === 0 ? (
        <Text c="dimmed">
          No accounts yet. Until there are, only the server's launch token opens it.
        </Text>
      ) : (
        <Table aria-label="Accounts" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Role</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {accounts.map((a) => (
              <Table.Tr key={a.id} data-account={a.name}>
                <Table.Td fw={600}>{a.name}</Table.Td>
                <Table.Td>
                  {a.revokedAt ? (
                    a.role
                  ) : (
                    <Select
                      aria-label={`Role of ${a.name}`}
                      data={ROLE_OPTIONS}
                      value={a.role}
                      allowDeselect={false}
                      onChange={(v) => v && v !== a.role && void setRole(a, v as Role)}
                      w={150}
                      size="xs"
                    />
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="xs">
                    {formatInstant(a.createdAt, timezone)} by {a.createdBy}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {a.revokedAt ? (
                    <Text size="xs" c="dimmed">
                      Revoked {formatInstant(a.revokedAt, timezone)} by {a.revokedBy}
                    </Text>
                  ) : (
                    <Badge color="teal" variant="light">
                      Active
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  {!a.revokedAt && (
                    <Button
                      size="compact-sm"
                      variant="subtle"
                      color="red"
                      aria-label={`Revoke ${a.name}`}
                      onClick={() => setRevoking(a)}
                    >
                      Revoke
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Modal
        opened={revoking !== null}
        onClose={() => setRevoking(null)}
        title={`Revoke ${revoking?.name ?? ''}?`}
      >
        <Text size="sm">
          Their token stops working at once and their open screens close. To let them in again, add
          them anew: they get a new token.
        </Text>
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={() => setRevoking(null)}>
            Cancel
          </Button>
          <Button
            color="red"
            onClick={() => {
              if (revoking) void revoke(revoking)
              setRevoking(null)
            }}
          >
            Revoke
          </Button>
        </Group>
      </Modal>
    </Stack>
  )
}
