import {
  Badge,
  Button,
  Group,
  Modal,
  SegmentedControl,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core'
import { useState } from 'react'
import type { MissedItem, MissedState } from '../../../../shared/domain'
import { formatPhone } from '../../../../shared/phone'
import { api } from '../../api'
import { formatAge, formatInstant } from '../../format'
import { useNow } from '../../hooks'
import { showError } from '../../notify'
import { useApp } from '../../store'
import { Can } from '../../can'

const STATE_LABEL: Record<MissedState, string> = {
  open: 'Open',
  'called-back': 'Called back',
  resolved: 'Resolved',
}
const STATE_COLOR: Record<MissedState, string> = {
  open: 'red',
  'called-back': 'teal',
  resolved: 'gray',
}

interface Marking {
  item: MissedItem
  state: MissedState
}

async function mark(item: MissedItem, state: MissedState, note?: string): Promise<void> {
  try {
    // The queue moves when main sends it again (`missed:updated`).
    await api.missed.mark({ callerNumber: item.callerNumber, state, ...(note ? { note } : {}) })
  } catch (err) {
    showError(`Could not mark ${formatPhone(item.callerNumber)}`, err)
  }
}

function settledText(item: MissedItem): string {
  if (item.state === 'open') return ''
  if (item.settledBy && item.settledBy !== 'user') return 'answered a later call'
  return 'by supervisor'
}

/** Missed and dropped calls grouped by caller, until someone calls back or resolves them. */
export function MissedScreen(): React.JSX.Element {
  const items = useApp((s) => s.missed)
  const openCount = useApp((s) => s.missedOpenCount)
  const timezone = useApp((s) => s.health?.timezone)
  const [filter, setFilter] = useState<'open' | 'all'>('open')
  const [marking, setMarking] = useState<Marking | null>(null)
  const [note, setNote] = useState('')
  const now = useNow(15_000)

  const shown = items
    .filter((i) => filter === 'all' || i.state === 'open')
    .sort((a, b) => (a.firstMissedAt < b.firstMissedAt ? -1 : 1))

  const startMarking = (item: MissedItem, state: MissedState): void => {
    setNote(item.note ?? '')
    setMarking({ item, state })
  }

  return (
    <section aria-labelledby="missed-title">
      <Group justify="space-between" mb="sm">
        <Title order={2} id="missed-title">
          Missed calls <Badge color={openCount ? 'red' : 'gray'}>{openCount} open</Badge>
        </Title>
        <SegmentedControl
          aria-label="Which items to show"
          value={filter}
          onChange={(v) => setFilter(v as 'open' | 'all')}
          data={[
            { value: 'open', label: 'Open' },
            { value: 'all', label: 'All' },
          ]}
        />
      </Group>
      {shown.length === 0 ? (
        <Text c="dimmed">
          {filter === 'open' ? 'Nobody is waiting for a call back.' : 'No missed calls yet.'}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={800}>
          <Table striped aria-label="Missed-call queue">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Caller</Table.Th>
                <Table.Th ta="right">Calls</Table.Th>
                <Table.Th>Waiting</Table.Th>
                <Table.Th>Last missed</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th>Note</Table.Th>
                <Table.Th>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((item) => {
                const caller = formatPhone(item.callerNumber)
                return (
                  <Table.Tr
                    key={item.callerNumber}
                    data-caller={item.callerNumber}
                    data-state={item.state}
                  >
                    <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                      {caller}
                    </Table.Td>
                    <Table.Td ta="right">{item.count}</Table.Td>
                    <Table.Td>
                      {item.state === 'open' ? (
                        <Text
                          size="sm"
                          fw={600}
                          aria-label={`Waiting ${formatAge(item.firstMissedAt, now)}`}
                        >
                          {formatAge(item.firstMissedAt, now)}
                        </Text>
                      ) : (
                        '–'
                      )}
                    </Table.Td>
                    <Table.Td>{formatInstant(item.lastMissedAt, timezone)}</Table.Td>
                    <Table.Td>
                      <Badge color={STATE_COLOR[item.state]} variant="light">
                        {STATE_LABEL[item.state]}
                      </Badge>{' '}
                      <Text span size="xs" c="dimmed">
                        {settledText(item)}
                      </Text>
                    </Table.Td>
                    <Table.Td>{item.note ?? ''}</Table.Td>
                    <Table.Td>
                      <Can channel="missed:mark">
                        {item.state === 'open' ? (
                          <Group gap="xs" wrap="nowrap">
                            <Button
                              size="compact-sm"
                              aria-label={`Mark ${caller} called back`}
                              onClick={() => startMarking(item, 'called-back')}
                            >
                              Called back
                            </Button>
                            <Button
                              size="compact-sm"
                              variant="default"
                              aria-label={`Resolve ${caller}`}
                              onClick={() => startMarking(item, 'resolved')}
                            >
                              Resolve
                            </Button>
                          </Group>
                        ) : (
                          <Button
                            size="compact-sm"
                            variant="subtle"
                            aria-label={`Reopen ${caller}`}
                            onClick={() => void mark(item, 'open')}
                          >
                            Reopen
                          </Button>
                        )}
                      </Can>
                    </Table.Td>
                  </Table.Tr>
                )
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Modal
        opened={marking !== null}
        onClose={() => setMarking(null)}
        title={
          marking ? `${STATE_LABEL[marking.state]}: ${formatPhone(marking.item.callerNumber)}` : ''
        }
      >
        <form
          onSubmit={(e) => {
            e.preventDefault()
            if (marking) void mark(marking.item, marking.state, note.trim())
            setMarking(null)
          }}
        >
          <TextInput
            label="Note (optional)"
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            maxLength={2000}
            data-autofocus
          />
          <Group justify="flex-end" mt="md">
            <Button variant="default" onClick={() => setMarking(null)}>
              Cancel
            </Button>
            <Button type="submit">Save</Button>
          </Group>
        </form>
      </Modal>
    </section>
  )
}
