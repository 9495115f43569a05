import { Badge, Group, Stack, Switch, Text } from '@mantine/core'
import { useState } from 'react'
import type { Agent, AgentStatus } from '../../../../shared/domain'
import { api } from '../../api'
import { showError } from '../../notify'
import { useCan } from '../../can'

/** Asks main to switch; the switch moves when main announces the agent (`agent:updated`). */
async function setStatus(agent: Agent, status: AgentStatus): Promise<void> {
  try {
    await api.agents.setStatus({ number: agent.number, status })
  } catch (err) {
    showError(`Could not switch ${agent.name}`, err)
  }
}

/** What the switch shows: the pending target while a change waits, else the confirmed status. */
function shownStatus(agent: Agent): AgentStatus | 'UNKNOWN' {
  if (agent.change?.state === 'pending')
    return agent.change.params.status === 'OFF' ? 'OFF' : 'AVAIL'
  return agent.status
}

/** The agent's switch (`role="switch"`, named after the agent) and the vendor's words. */
export function AgentStatusCell({ agent }: { agent: Agent }): React.JSX.Element {
  const [busy, setBusy] = useState(false)
  const canSwitch = useCan('agents:setStatus')
  const status = shownStatus(agent)
  const change = agent.change
  const lastAttempt = change?.attempts.at(-1)
  return (
    <Stack gap={2}>
      <Group gap="xs" wrap="nowrap">
        {canSwitch && (
          <Switch
            aria-label={agent.name}
            checked={status === 'AVAIL'}
            disabled={busy}
            onChange={(e) => {
              const next: AgentStatus = e.currentTarget.checked ? 'AVAIL' : 'OFF'
              setBusy(true)
              void setStatus(agent, next).finally(() => setBusy(false))
            }}
            color="teal"
          />
        )}
        <Text size="sm" c={status === 'AVAIL' ? 'teal' : 'dimmed'}>
          {status === 'AVAIL' ? 'Available' : status === 'OFF' ? 'Off' : 'Unknown'}
        </Text>
        {change?.state === 'pending' && (
          <Badge color="yellow" variant="light" title="Not confirmed by the vendor yet">
            Pending
          </Badge>
        )}
      </Group>
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
