import { Badge, Button, Group, Stack, Switch, Text } from '@mantine/core'
import { useEffect, useRef } from 'react'
import type { Agent, AgentStatus, KnownAgentStatus } from '../../../../shared/domain'
import { api } from '../../api'
import { showError } from '../../notify'
import { useCan } from '../../can'
import { useAsyncAction } from '../../asyncAction'

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
  // Asks main to switch; the cell moves when main announces the agent (`agent:updated`).
  const { busy, run: send } = useAsyncAction(
    (status: AgentStatus) => api.agents.setStatus({ number: agent.number, status }),
    (err) => showError(`Could not switch ${agent.name}`, err),
  )
  const canSwitch = useCan('agents:setStatus')
  const status = shownStatus(agent)
  const change = agent.change
  const lastAttempt = change?.attempts.at(-1)
  const switchRef = useRef<HTMLInputElement>(null)
  // "Set available" pressed from the keyboard: the buttons give way to the switch when the vendor
  // confirms, and focus, left on nothing, goes to the switch (never taken from anywhere else).
  const focusSwitch = useRef(false)
  const sendFromButton = (next: AgentStatus): void => {
    focusSwitch.current = true
    void send(next)
  }
  useEffect(() => {
    // The switch is disabled until the request is answered: focus it once it can take focus.
    if (!focusSwitch.current || busy || status === 'UNKNOWN' || !switchRef.current) return
    focusSwitch.current = false
    const lost = document.activeElement === null || document.activeElement === document.body
    if (lost) switchRef.current.focus()
  }, [status, busy])
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
                aria-label={`Set available: ${agent.name}`}
                onClick={() => sendFromButton('AVAIL')}
              >
                Set available
              </Button>
              <Button
                size="compact-xs"
                variant="light"
                color="gray"
                disabled={busy}
                style={{ flexShrink: 0 }}
                aria-label={`Set off: ${agent.name}`}
                onClick={() => sendFromButton('OFF')}
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
              ref={switchRef}
              aria-label={agent.name}
              checked={status === 'AVAIL'}
              disabled={busy}
              onChange={(e) => void send(e.currentTarget.checked ? 'AVAIL' : 'OFF')}
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
        <Text size="xs" c="yellow">
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
