import {
  Anchor,
  Badge,
  Code,
  Drawer,
  Group,
  Loader,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core'
import { useEffect, useState } from 'react'
import type { Call, CallRevision } from '../../../../shared/domain'
import { formatPhone } from '../../../../shared/phone'
import { useAgentName } from '../../agentNames'
import { api, errorText } from '../../api'
import { RecordingPlayer } from '../../components/RecordingPlayer'
import { StatusBadge } from '../../components/StatusBadge'
import { formatInstant, formatSeconds } from '../../format'
import { useTimezone } from '../../hooks'
import { OUTSIDE_HOURS_EXPLANATION, OutsideHoursFlag } from './OutsideHoursFlag'
import { changedFields } from './revisions'

function Fields({ call }: { call: Call }): React.JSX.Element {
  const agentName = useAgentName()
  const zone = useTimezone()
  const rows: [string, React.ReactNode][] = [
    ['Call id', <Code key="id">{call.id}</Code>],
    ['Status', <StatusBadge key="s" status={call.status} />],
    ['Caller', formatPhone(call.callerNumber)],
    [
      'Agent',
      call.agentNumber ? `${agentName(call.agentNumber)} (${formatPhone(call.agentNumber)})` : '–',
    ],
    ['Department', call.department ?? '–'],
    ['Circle', call.circle ?? '–'],
    ['Started', formatInstant(call.startedAt, zone, true)],
    ['IVR wait', formatSeconds(call.ivrSeconds)],
    ['Talk time', formatSeconds(call.talkSeconds)],
    ['Virtual number', call.virtualNumber ? formatPhone(call.virtualNumber) : '–'],
    ['Call type', call.callType ?? '–'],
    ['First received', formatInstant(call.firstReceivedAt, zone, true)],
    ['This version received', formatInstant(call.receivedAt, zone, true)],
    ['Revision', String(call.revision)],
    ['Recording link', call.recordingUrl ?? '–'],
  ]
  return (
    <Table aria-label="Call fields" verticalSpacing={2} withRowBorders={false}>
      <Table.Tbody>
        {rows.map(([label, value]) => (
          <Table.Tr key={label}>
            <Table.Th w={180} fw={500} c="dimmed">
              {label}
            </Table.Th>
            <Table.Td style={{ wordBreak: 'break-all' }}>{value}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}

function Revisions({ call }: { call: Call }): React.JSX.Element {
  const zone = useTimezone()
  const versions: CallRevision[] = [...call.history, call]
  if (versions.length === 1)
    return (
      <Text size="sm" c="dimmed">
        One version: the vendor sent this call once (or only identical copies).
      </Text>
    )
  return (
    <Table aria-label="Revisions" verticalSpacing={2}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Revision</Table.Th>
          <Table.Th>Received</Table.Th>
          <Table.Th>Status</Table.Th>
          <Table.Th>Changed</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {versions.map((v, i) => (
          <Table.Tr key={`${v.revision}-${i}`}>
            <Table.Td>{v.revision}</Table.Td>
            <Table.Td>{formatInstant(v.receivedAt, zone, true)}</Table.Td>
            <Table.Td>
              <StatusBadge status={v.status} />
            </Table.Td>
            <Table.Td>{i === 0 ? 'first version' : revisionChange(versions[i - 1]!, v)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}

/**
 * What changed since the version before. A call keeps its first version and its last 20, so
 * after a gap the comparison is with the last version kept, and the row says so.
 */
function revisionChange(before: CallRevision, v: CallRevision): string {
  const changed = changedFields(before, v).join(', ') || '–'
  if (v.revision - before.revision <= 1) return changed
  const gap =
    v.revision - before.revision === 2
      ? `revision ${before.revision + 1}`
      : `revisions ${before.revision + 1}–${v.revision - 1}`
  return `${changed} (since revision ${before.revision}; ${gap} not kept)`
}

function CallerTimeline({
  call,
  onOpen,
}: {
  call: Call
  onOpen: (call: Call) => void
}): React.JSX.Element {
  const zone = useTimezone()
  const [calls, setCalls] = useState<Call[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    let live = true
    api.calls
      .byCaller({ number: call.callerNumber })
      .then((list) => live && setCalls(list))
      .catch((err) => live && setError(errorText(err)))
    return () => {
      live = false
    }
  }, [call.callerNumber])
  if (error)
    return (
      <Text c="red" size="sm">
        {error}
      </Text>
    )
  if (!calls) return <Loader size="sm" aria-label="Loading the caller's calls" />
  return (
    <Stack
      gap={4}
      component="ol"
      style={{ listStyle: 'none', padding: 0, margin: 0 }}
      aria-label="Every call from this number"
    >
      {calls.map((c) => (
        <Group key={c.id} component="li" gap="xs" wrap="nowrap">
          <Text size="sm" w={170} style={{ whiteSpace: 'nowrap' }}>
            {formatInstant(c.startedAt, zone)}
          </Text>
          <StatusBadge status={c.status} />
          <Text size="sm">{formatSeconds(c.talkSeconds)}</Text>
          {c.id === call.id ? (
            <Badge variant="outline" size="sm">
              this call
            </Badge>
          ) : (
            <Anchor
              component="button"
              size="sm"
              onClick={() => onOpen(c)}
              aria-label={`Open the call of ${formatInstant(c.startedAt, zone)}`}
            >
              open
            </Anchor>
          )}
        </Group>
      ))}
    </Stack>
  )
}

/** A call's detail: every field, the recording, its revisions and the caller's timeline. */
export function CallDetail({
  call,
  onClose,
  onOpen,
}: {
  call: Call | null
  onClose: () => void
  onOpen: (call: Call) => void
}): React.JSX.Element {
  return (
    <Drawer
      opened={call !== null}
      onClose={onClose}
      position="right"
      size="xl"
      title={call ? `Call from ${formatPhone(call.callerNumber)}` : ''}
    >
      {call && (
        <Stack gap="md">
          {call.outsideOfficeHours && (
            <Group gap="xs">
              <OutsideHoursFlag />
              <Text size="sm">{OUTSIDE_HOURS_EXPLANATION}</Text>
            </Group>
          )}
          <section aria-label="Recording">
            <Title order={3} size="h5" mb={4}>
              Recording
            </Title>
            <RecordingPlayer key={call.recordingUrl ?? 'none'} url={call.recordingUrl} />
          </section>
          <section aria-label="Fields">
            <Fields call={call} />
            <Tooltip label="Every parameter of the push, exactly as the vendor sent it">
              <Text size="xs" c="dimmed" mt={4}>
                Raw push parameters
              </Text>
            </Tooltip>
            <Code block>
              {Object.entries(call.raw)
                .map(([k, v]) => `${k}=${v}`)
                .join('\n') || '–'}
            </Code>
          </section>
          <section aria-label="Revision history">
            <Title order={3} size="h5" mb={4}>
              Revision history
            </Title>
            <Revisions call={call} />
          </section>
          <section aria-label="Caller's timeline">
            <Title order={3} size="h5" mb={4}>
              Every call from {formatPhone(call.callerNumber)}
            </Title>
            <CallerTimeline call={call} onOpen={onOpen} />
          </section>
        </Stack>
      )}
    </Drawer>
  )
}
