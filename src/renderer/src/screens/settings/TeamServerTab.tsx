import {
  Alert,
  Button,
  Card,
  Group,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core'
import { useState } from 'react'
import type { TeamState } from '../../../../shared/team'
import { api } from '../../api'
import { showError, showInfo } from '../../notify'
import { useApp } from '../../store'
import { useAsyncAction } from '../../asyncAction'

const STATE_TEXT: Record<TeamState['state'], string> = {
  connected: 'Connected',
  connecting: 'Connecting…',
  unreachable: 'Cannot be reached: it reconnects by itself',
  refused: 'Refused this desktop’s token',
}

/** Address and personal token; the app checks them with the server, then restarts as its client. */
function ConnectForm({ again }: { again: boolean }): React.JSX.Element {
  const [server, setServer] = useState('')
  const [token, setToken] = useState('')
  const { busy, run: connect } = useAsyncAction(
    async () => {
      const state = await api.team.connect({ server: server.trim(), token: token.trim() })
      setToken('')
      showInfo(
        'Restarting to connect',
        `${state.server} knows you as ${state.as?.name} (${state.as?.role}).`,
      )
    },
    (err) => showError('Could not connect', err),
  )
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        void connect()
      }}
    >
      <Stack gap="sm">
        <TextInput
          label="Team server address"
          placeholder="https://supervisor.example.com"
          value={server}
          onChange={(e) => setServer(e.currentTarget.value)}
          required
        />
        <PasswordInput
          label="Your personal token"
          description="An admin of the team server gives it to you (npm run users -- add, or Settings → Accounts there)."
          value={token}
          onChange={(e) => setToken(e.currentTarget.value)}
          autoComplete="off"
          required
        />
        <Group>
          <Button type="submit" loading={busy}>
            {again ? 'Connect with this token' : 'Connect'}
          </Button>
        </Group>
      </Stack>
    </form>
  )
}

/**
 * Settings → Team server (desktop only): connect this desktop to a team server, so it shows the
 * team's calls instead of running a listener of its own; or disconnect.
 */
export function TeamServerTab(): React.JSX.Element {
  const team = useApp((s) => s.team)
  const { busy, run: disconnect } = useAsyncAction(
    async () => {
      await api.team.disconnect()
      showInfo('Restarting', 'This desktop becomes its own receiver again.')
    },
    (err) => showError('Could not disconnect', err),
  )
  if (team?.mode !== 'client')
    return (
      <Card withBorder maw={720}>
        <Title order={3} mb="xs">
          Connect to a team server
        </Title>
        <Text size="sm" mb="md">
          This desktop receives calls itself, which works for one person while it is on. With a team
          server (an always-on machine running <code>npm run serve</code>), every supervisor&apos;s
          desktop shows the same calls, each person with their own access. Once connected, this
          desktop runs no listener and no vendor client of its own, and restarts to switch.
        </Text>
        <ConnectForm again={false} />
      </Card>
    )
  return (
    <Card withBorder maw={720}>
      <Title order={3} mb="xs">
        Team server
      </Title>
      <Stack gap="xs">
        <Text size="sm">
          Address: <strong>{team.server}</strong>
        </Text>
        <Text size="sm">
          You are{' '}
          <strong>
            {team.as ? `${team.as.name} (${team.as.role})` : 'not known yet (no answer so far)'}
          </strong>
        </Text>
        <Alert
          color={team.state === 'connected' ? 'teal' : team.state === 'refused' ? 'red' : 'orange'}
          title={STATE_TEXT[team.state]}
        >
          {team.error ??
            'Calls, the missed-call queue, the tray count and notifications come from the server.'}
        </Alert>
        {team.state === 'refused' && <ConnectForm again />}
        <Group>
          <Button variant="default" color="red" loading={busy} onClick={() => void disconnect()}>
            Disconnect: receive calls on this desktop again
          </Button>
        </Group>
      </Stack>
    </Card>
  )
}
