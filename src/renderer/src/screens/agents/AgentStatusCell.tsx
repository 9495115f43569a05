import { Badge, Button, Group, Stack, Switch, Text } from '@mantine/core'
import { useState } from 'react'
import type { Agent, AgentStatus, KnownAgentStatus } from '../../../../shared/domain'
import { api } from '../../api'
import { showError } from '../../notify'
import { useCan } from '../../can'

/** Asks main to switch; the cell moves when main announces the agent (`agent:updated`). */
async function setStatus(agent: Agent, status: AgentStatus): Promise<void> {
  try {
    await api.agents.setStatus({ number: agent.number, status })
  } catch (err) {
    showError(`Could not switch ${agent.name}`, err)
  }
}

/** What the cell shows: the pending target while a change waits, else the confirmed status. */
export function shownStatus(agent: Agent): KnownAgentStatus {
  if (agent.change?.state === 'pending')
    return agent.change.params.status === 'OFF' ? 'OFF' : 'AVAIL'
  return agent.status
}

/**
 * The agent's status and how to change it. A known status is a switch (`role="switch"`, named
 * after the agent). UNKNOWN (nothing confirmed yet: the vendor's API cannot be asked) is its own
 * state with two explicit actions, so switching someone off takes one click that sends exactly
 * one `OFF`, never an `AVAIL` first.
 */
export function AgentStatusCell({ agent }: { agent: Agent }): React.JSX.Element {
  const [busy, setBusy] = useState(false)
  const canSwitch = useCan('agents:setStatus')
  const status = shownStatus(agent)
  const change = agent.change
  const lastAttempt = change?.attempts.at(-1)
  const send = (next: AgentStatus): void => {
    setBusy(true)
    void setStatus(agent, next).finally(() => setBusy(false))
  }
  return (
    <Stack gap={2}>
      {status === 'UNKNOWN' ? (
        <>
          <Badge
            color="gray"
            variant="outline"
            title="Not confirmed yet: the vendor's API cannot tell an agent's status"
            style={{ flexShrink: 0, overflow: 'visible', alignSelf: 'flex-start' }}
          >
            Unknown
          </Badge>
          {canSwitch && (
            <Group gap={6}>
              <Button
                size="compact-xs"
                variant="light"
                color="teal"
                disabled={busy}
                style={{ flexShrink: 0 }}
                aria-label={`Set ${agent.name} available`}
                onClick={() => send('AVAIL')}
              >
                Set available
              </Button>
              <Button
                size="compact-xs"
                variant="light"
                color="gray"
                disabled={busy}
                style={{ flexShrink: 0 }}
                aria-label={`Set ${agent.name} off`}
                onClick={() => send('OFF')}
              >
                Set off
              </Button>
            </Group>
          )}
        </>
      ) : (
        <Group gap="xs" wrap="nowrap">
          {canSwitch && (
            <Switch
              aria-label={agent.name}
              checked={status === 'AVAIL'}
              disabled={busy}
              onChange={(e) => send(e.currentTarget.checked ? 'AVAIL' : 'OFF')}
              color="teal"
            />
          )}
          <Text size="sm" c={status === 'AVAIL' ? 'teal' : 'dimmed'}>
            {status === 'AVAIL' ? 'Available' : 'Off'}
          </Text>
          {change?.state === 'pending' && (
            <Badge color="yellow" variant="light" title="Not confirmed by the vendor yet">
              Pending
            </Badge>
          )}
        </Group>
      )}
      {change?.state === 'pending' && lastAttempt && (
        <Text size="xs" c="yellow.8">
          Last try: {lastAttempt.detail}
        </Text>
      )}
      {change?.state === 'refused' && (
        <Text size="xs" c="red" role="status">
          Vendor refused {change.params.status === 'OFF' ? 'switching off' : 'switching on'}:{' '}
          <strong>{change.vendorAnswer ?? lastAttempt?.detail ?? 'no reason given'}</strong>
        </Text>
      )}
    </Stack>
  )
}
