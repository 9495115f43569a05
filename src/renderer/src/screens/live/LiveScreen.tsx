import { Anchor, Group, Table, Text, Title } from '@mantine/core'
import { memo } from 'react'
import type { Call } from '../../../../shared/domain'
import { formatPhone } from '../../../../shared/phone'
import { useAgentName } from '../../agentNames'
import { OpenStateBadge } from '../../components/OpenStateBadge'
import { RecordingPlayer } from '../../components/RecordingPlayer'
import { ResponsiveTable } from '../../components/ResponsiveTable'
import { StatusBadge } from '../../components/StatusBadge'
import { MISSED_QUEUE_NAME, waitingText } from '../../../../shared/missedQueue'
import { formatInstant, formatSeconds } from '../../format'
import { useTimezone } from '../../hooks'
import { hashFor } from '../../routing'
import { useApp } from '../../store'

/** Rows drawn at once; the store keeps a few hundred more and History has the rest. */
const SHOWN = 150

const CallRow = memo(function CallRow({
  call,
  agentName,
  highlighted,
  zone,
}: {
  call: Call
  agentName: string
  highlighted: boolean
  zone: string
}): React.JSX.Element {
  const caller = formatPhone(call.callerNumber)
  return (
    <Table.Tr
      data-call-id={call.id}
      bg={highlighted ? 'var(--mantine-color-yellow-light)' : undefined}
    >
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <Text size="sm">{formatInstant(call.startedAt, zone)}</Text>
      </Table.Td>
      <Table.Td>
        <StatusBadge status={call.status} />
      </Table.Td>
      <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }}>
        {caller}
      </Table.Td>
      <Table.Td>{agentName}</Table.Td>
      <Table.Td>{call.department ?? '–'}</Table.Td>
      <Table.Td>{call.circle ?? '–'}</Table.Td>
      <Table.Td ta="right">{formatSeconds(call.ivrSeconds)}</Table.Td>
      <Table.Td ta="right">{formatSeconds(call.talkSeconds)}</Table.Td>
      <Table.Td>
        <RecordingPlayer
          url={call.recordingUrl}
          label={`recording of the call from ${caller}`}
          compact
        />
      </Table.Td>
    </Table.Tr>
  )
})

/**
 * The screen the app opens on: whether the office is open now and what callers hear (main's
 * answer), then calls as they are stored, newest first (each once it has ended).
 */
export function LiveScreen(): React.JSX.Element {
  const feed = useApp((s) => s.feed)
  const loaded = useApp((s) => s.feedLoaded)
  const openCallId = useApp((s) => s.openCallId)
  const agentName = useAgentName()
  const today = useApp((s) => s.health?.today)
  const waiting = useApp((s) => s.missedOpenCount)
  const zone = useTimezone()
  const openState = useApp((s) => s.openState)

  return (
    <section aria-labelledby="live-title">
      <Group justify="space-between" mb="sm">
        <Title order={2} id="live-title">
          Live calls
        </Title>
        {today && (
          <Text size="sm" c="dimmed" aria-label="Today's counts">
            Today: {today.total} calls · {today.answered} answered · {today.missed} missed ·{' '}
            {today.dropped} dropped ·{' '}
            <Anchor href={hashFor('missed')} size="sm" fw={waiting ? 600 : undefined}>
              {MISSED_QUEUE_NAME}: {waitingText(waiting)}
            </Anchor>
          </Text>
        )}
      </Group>
      <Group gap="sm" mb={4} wrap="wrap" data-testid="live-open-state">
        <OpenStateBadge />
        {openState && <Text size="sm">{openState.hear}</Text>}
      </Group>
      <Text size="sm" mb="sm">
        Each call appears when it ends: the vendor reports a call once it is over, so a call in
        progress is not shown yet.
      </Text>
      {loaded && feed.length === 0 ? (
        <Text c="dimmed">No calls yet. They appear here the moment the vendor sends them.</Text>
      ) : (
        <ResponsiveTable minWidth={900}>
          <Table striped highlightOnHover stickyHeader aria-label="Live calls, newest first">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Started</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Caller</Table.Th>
                <Table.Th>Agent</Table.Th>
                <Table.Th>Department</Table.Th>
                <Table.Th>Circle</Table.Th>
                <Table.Th ta="right">IVR wait</Table.Th>
                <Table.Th ta="right">Talk time</Table.Th>
                <Table.Th>Recording</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {feed.slice(0, SHOWN).map((call) => (
                <CallRow
                  key={call.id}
                  call={call}
                  agentName={agentName(call.agentNumber)}
                  highlighted={call.id === openCallId}
                  zone={zone}
                />
              ))}
            </Table.Tbody>
          </Table>
        </ResponsiveTable>
      )}
    </section>
  )
}
