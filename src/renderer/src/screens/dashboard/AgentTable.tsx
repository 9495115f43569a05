import { Table, Text, Title } from '@mantine/core'
import { useMemo } from 'react'
import type { AgentFigures } from '../../../../shared/dashboard'
import type { Agent } from '../../../../shared/domain'
import { formatPhone } from '../../../../shared/phone'
import { ResponsiveTable } from '../../components/ResponsiveTable'
import { formatInstant, formatSeconds } from '../../format'

export interface AgentRow extends AgentFigures {
  shownName: string
  department: string | null
}

/**
 * Every agent of the directory with their figures of the period (none: zeros), then numbers that
 * took calls without being in the directory; most answered first, then by name.
 */
export function agentRows(perAgent: AgentFigures[], directory: Agent[]): AgentRow[] {
  const byNumber = new Map(perAgent.map((a) => [a.agentNumber, a]))
  const rows: AgentRow[] = directory.map((agent) => {
    const figures = byNumber.get(agent.normalizedNumber)
    byNumber.delete(agent.normalizedNumber)
    return {
      ...(figures ?? {
        agentNumber: agent.normalizedNumber,
        name: agent.name,
        answered: 0,
        missed: 0,
        dropped: 0,
        talkSeconds: 0,
        avgHandlingSeconds: null,
        missedWhileAvailable: 0,
        lastCallAt: null,
      }),
      shownName: agent.name,
      department: agent.department,
    }
  })
  for (const a of byNumber.values())
    rows.push({ ...a, shownName: a.name ?? formatPhone(a.agentNumber), department: null })
  return rows.sort((a, b) => b.answered - a.answered || a.shownName.localeCompare(b.shownName))
}

/** The per-agent table of the period: answered, missed while available, talk and handling time. */
export function AgentTable({
  perAgent,
  directory,
  timezone,
}: {
  perAgent: AgentFigures[]
  directory: Agent[]
  timezone: string
}): React.JSX.Element {
  const rows = useMemo(() => agentRows(perAgent, directory), [perAgent, directory])
  return (
    <section aria-labelledby="agent-table-title">
      <Title order={3} size="h5" id="agent-table-title" mb={4}>
        Agents in this period
      </Title>
      <Text size="sm" mb="xs">
        Missed while available: missed calls that named the agent, and missed calls of the
        agent&apos;s department in office hours while the agent was Available. Handling time is talk
        time per answered call: the vendor reports no hold or wrap-up time.
      </Text>
      {rows.length === 0 ? (
        <Text>No agents yet, and no calls put through to one in this period.</Text>
      ) : (
        <ResponsiveTable minWidth={720}>
          <Table striped aria-label="Agents in this period" verticalSpacing={6}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Agent</Table.Th>
                <Table.Th>Department</Table.Th>
                <Table.Th ta="right">Answered</Table.Th>
                <Table.Th ta="right">Missed while available</Table.Th>
                <Table.Th ta="right">Talk time</Table.Th>
                <Table.Th ta="right">Average handling time</Table.Th>
                <Table.Th>Last call</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.agentNumber} data-agent-figures={r.agentNumber}>
                  <Table.Td fw={600}>{r.shownName}</Table.Td>
                  <Table.Td>{r.department ?? '–'}</Table.Td>
                  <Table.Td ta="right" data-figure="answered">
                    {r.answered}
                  </Table.Td>
                  <Table.Td ta="right" data-figure="missedWhileAvailable">
                    {r.missedWhileAvailable}
                  </Table.Td>
                  <Table.Td ta="right" data-figure="talk">
                    {formatSeconds(r.talkSeconds)}
                  </Table.Td>
                  <Table.Td ta="right" data-figure="handling">
                    {formatSeconds(r.avgHandlingSeconds)}
                  </Table.Td>
                  <Table.Td data-figure="lastCall">
                    {r.lastCallAt ? formatInstant(r.lastCallAt, timezone) : 'none'}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ResponsiveTable>
      )}
    </section>
  )
}
