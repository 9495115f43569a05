import { Button, Group, Modal, Table, Text, Title } from '@mantine/core'
import { useMemo, useState } from 'react'
import type { Agent, AgentImportResult, AgentStatus } from '../../../../shared/domain'
import { formatPhone } from '../../../../shared/phone'
import { api } from '../../api'
import { formatInstant, formatSeconds } from '../../format'
import { showError, showInfo } from '../../notify'
import { useApp } from '../../store'
import { ResponsiveTable } from '../../components/ResponsiveTable'
import { useTimezone } from '../../hooks'
import { Can } from '../../can'
import { AgentForm } from './AgentForm'
import { AgentImportButton, AgentImportReport } from './AgentImport'
import { AgentStatusCell } from './AgentStatusCell'

async function setDepartment(department: string, status: AgentStatus): Promise<void> {
  try {
    const results = await api.agents.setDepartmentStatus({ department, status })
    const refused = results.filter((r) => r.change.state === 'refused').length
    showInfo(
      `${department}: ${status === 'AVAIL' ? 'on' : 'off'}`,
      `${results.length} agents sent${refused ? `, ${refused} refused by the vendor` : ''}.`,
      refused ? 'yellow' : 'teal',
    )
  } catch (err) {
    showError(`Could not switch ${department}`, err)
  }
}

async function remove(agent: Agent): Promise<void> {
  try {
    const result = await api.agents.remove({ number: agent.number })
    showInfo(`Removed ${agent.name}`, result.message)
  } catch (err) {
    showError(`Could not remove ${agent.name}`, err)
  }
}

/**
 * The agent directory: status (switches, or explicit actions while unknown), bulk per department,
 * today's answered calls, talk time and last call, edits, import. A missed call reaches no agent,
 * so there is no per-agent "missed": the department's misses are on the Dashboard.
 */
export function AgentsScreen(): React.JSX.Element {
  const agents = useApp((s) => s.agents)
  const timezone = useTimezone()
  const [editing, setEditing] = useState<Agent | 'new' | null>(null)
  const [removing, setRemoving] = useState<Agent | null>(null)
  const [report, setReport] = useState<AgentImportResult | null>(null)
  const departments = useMemo(
    () => [...new Set(agents.map((a) => a.department).filter((d): d is string => !!d))].sort(),
    [agents],
  )

  return (
    <section aria-labelledby="agents-title">
      <Group justify="space-between" mb="sm">
        <Title order={2} id="agents-title">
          Agents
        </Title>
        <Group gap="xs">
          <Can channel="agents:add">
            <Button onClick={() => setEditing('new')}>Add agent</Button>
          </Can>
          <Can channel="agents:import">
            <AgentImportButton onResult={setReport} />
          </Can>
        </Group>
      </Group>
      {report && <AgentImportReport result={report} onClose={() => setReport(null)} />}
      <Can channel="agents:setDepartmentStatus">
        {departments.length > 0 && (
          <Group gap="md" mb="md" role="group" aria-label="Switch a whole department">
            {departments.map((d) => (
              <Group key={d} gap={4} wrap="nowrap">
                <Text size="sm" fw={600}>
                  {d}
                </Text>
                <Button
                  size="compact-xs"
                  variant="light"
                  color="teal"
                  aria-label={`All on: ${d}`}
                  onClick={() => void setDepartment(d, 'AVAIL')}
                >
                  All on
                </Button>
                <Button
                  size="compact-xs"
                  variant="light"
                  color="gray"
                  aria-label={`All off: ${d}`}
                  onClick={() => void setDepartment(d, 'OFF')}
                >
                  All off
                </Button>
              </Group>
            ))}
          </Group>
        )}
      </Can>
      {agents.length === 0 ? (
        <Text c="dimmed">
          No agents yet: add them one by one or import a CSV (name, number, department).
        </Text>
      ) : (
        <ResponsiveTable minWidth={900}>
          <Table striped aria-label="Agent directory">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Number</Table.Th>
                <Table.Th>Department</Table.Th>
                <Table.Th style={{ minWidth: 120 }}>Status</Table.Th>
                <Table.Th ta="right">Answered today</Table.Th>
                <Table.Th ta="right">Talk time today</Table.Th>
                <Table.Th>Last call</Table.Th>
                <Table.Th>Status confirmed</Table.Th>
                <Table.Th>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {agents.map((agent) => (
                <Table.Tr key={agent.number} data-agent={agent.number}>
                  <Table.Td fw={600}>{agent.name}</Table.Td>
                  <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                    {formatPhone(agent.normalizedNumber)}
                  </Table.Td>
                  <Table.Td>{agent.department ?? '–'}</Table.Td>
                  <Table.Td>
                    <AgentStatusCell agent={agent} />
                  </Table.Td>
                  <Table.Td ta="right">{agent.today.answered}</Table.Td>
                  <Table.Td ta="right">{formatSeconds(agent.today.talkSeconds)}</Table.Td>
                  <Table.Td>
                    <Text size="xs">
                      {agent.today.lastCallAt
                        ? formatInstant(agent.today.lastCallAt, timezone)
                        : 'none today'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" c="dimmed">
                      {agent.statusConfirmedAt
                        ? `${formatInstant(agent.statusConfirmedAt, timezone)}${agent.statusChangedBy ? ` by ${agent.statusChangedBy}` : ''}`
                        : 'never'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {/* Edit above Remove when the table is narrow, rather than scrolling sideways. */}
                    <Group gap="xs">
                      <Can channel="agents:update">
                        <Button
                          size="compact-sm"
                          variant="default"
                          aria-label={`Edit ${agent.name}`}
                          onClick={() => setEditing(agent)}
                        >
                          Edit
                        </Button>
                      </Can>
                      <Can channel="agents:remove">
                        <Button
                          size="compact-sm"
                          variant="subtle"
                          color="red"
                          aria-label={`Remove ${agent.name}`}
                          onClick={() => setRemoving(agent)}
                        >
                          Remove
                        </Button>
                      </Can>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ResponsiveTable>
      )}
      {editing !== null && (
        <AgentForm
          key={editing === 'new' ? 'new' : editing.number}
          agent={editing === 'new' ? null : editing}
          opened
          onClose={() => setEditing(null)}
        />
      )}
      <Modal
        opened={removing !== null}
        onClose={() => setRemoving(null)}
        title={`Remove ${removing?.name ?? ''}?`}
      >
        <Text size="sm">
          The agent leaves this directory. Their status at the vendor stays as it was last set.
        </Text>
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={() => setRemoving(null)}>
            Cancel
          </Button>
          <Button
            color="red"
            onClick={() => {
              if (removing) void remove(removing)
              setRemoving(null)
            }}
          >
            Remove
          </Button>
        </Group>
      </Modal>
    </section>
  )
}
