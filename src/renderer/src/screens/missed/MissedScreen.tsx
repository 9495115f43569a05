import {
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core'
import { useMemo, useState } from 'react'
import type { Call, MissedItem, MissedState } from '../../../../shared/domain'
import {
  MISSED_QUEUE_NAME,
  filterMissed,
  waitingText,
  type MissedFilter,
} from '../../../../shared/missedQueue'
import { formatPhone } from '../../../../shared/phone'
import { api, errorText } from '../../api'
import { useAsyncAction } from '../../asyncAction'
import { CallDetail } from '../../components/callDetail/CallDetail'
import { saveFile } from '../../download'
import { InstantText } from '../../components/InstantText'
import { formatAge, plural } from '../../format'
import { useNow, useTimezone } from '../../hooks'
import { showError, showInfo } from '../../notify'
import { useApp } from '../../store'
import { ResponsiveTable } from '../../components/ResponsiveTable'
import { Can, useCan } from '../../can'
import { AssigneeField, usePeople } from './Assignee'
import { BulkNotice, MissedBulkBar, type LastBulk } from './MissedBulkBar'

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

type Editing =
  { kind: 'mark'; item: MissedItem; state: MissedState } | { kind: 'assign'; item: MissedItem }

/** Marks an item; the queue moves when main sends it again (`missed:updated`). */
async function mark(item: MissedItem, state: MissedState, note?: string): Promise<string | null> {
  try {
    await api.missed.mark({ callerNumber: item.callerNumber, state, ...(note ? { note } : {}) })
    return null
  } catch (err) {
    return errorText(err)
  }
}

/** Who settled it, in words that fit the column. */
function settledText(item: MissedItem): string {
  if (item.state === 'open') return ''
  if (item.settledBy && item.settledBy !== 'user') return 'rang again, answered'
  return 'by supervisor'
}

/** The caller's timeline: the detail of their latest missed call, with every call of the number. */
function useTimeline(): {
  call: Call | null
  open: (item: MissedItem) => void
  set: (call: Call | null) => void
} {
  const [call, setCall] = useState<Call | null>(null)
  const open = (item: MissedItem): void => {
    const last = item.callIds.at(-1)
    if (!last) return
    api.calls
      .get({ id: last })
      .then((c) =>
        c ? setCall(c) : showInfo('Not found', 'That call is no longer stored.', 'gray'),
      )
      .catch((err) => showError(`Could not open ${formatPhone(item.callerNumber)}`, err))
  }
  return { call, open, set: setCall }
}

/**
 * The "Missed & dropped" queue: every caller whose missed or dropped call nobody has answered
 * since, longest waiting first, until someone calls back, a later call from the number is
 * answered, or the supervisor resolves it. Search, department filter, assignment, CSV export of
 * exactly what is shown; a number opens the caller's timeline.
 */
export function MissedScreen(): React.JSX.Element {
  const items = useApp((s) => s.missed)
  const openCount = useApp((s) => s.missedOpenCount)
  const zone = useTimezone()
  const [filter, setFilter] = useState<MissedFilter>({ show: 'open' })
  const [editing, setEditing] = useState<Editing | null>(null)
  const [text, setText] = useState('')
  const [formError, setFormError] = useState<string | null>(null)
  const timeline = useTimeline()
  const now = useNow(15_000)
  const canAssign = useCan('missed:assign')
  const canBulk = useCan('missed:bulk')
  const people = usePeople()
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set())
  const [lastBulk, setLastBulk] = useState<LastBulk | null>(null)

  const departments = useMemo(
    () =>
      [...new Set(items.map((i) => i.department).filter((d): d is string => !!d))].sort((a, b) =>
        a.localeCompare(b),
      ),
    [items],
  )
  const shown = useMemo(() => filterMissed(items, filter), [items, filter])
  // Only callers on screen count as selected: a line the filter hides is never acted on unseen.
  const selected = shown.filter((i) => picked.has(i.callerNumber)).map((i) => i.callerNumber)
  const allShownPicked = shown.length > 0 && selected.length === shown.length
  const pick = (number: string, on: boolean): void =>
    setPicked((p) => {
      const next = new Set(p)
      if (on) next.add(number)
      else next.delete(number)
      return next
    })

  const startEditing = (next: Editing): void => {
    setText((next.kind === 'mark' ? next.item.note : next.item.assignee) ?? '')
    setFormError(null)
    setEditing(next)
  }

  const submit = async (): Promise<void> => {
    if (!editing) return
    const error =
      editing.kind === 'mark'
        ? await mark(editing.item, editing.state, text.trim())
        : await api.missed
            .assign({ callerNumber: editing.item.callerNumber, assignee: text.trim() || null })
            .then(() => null)
            .catch(errorText)
    if (error) setFormError(error)
    else setEditing(null)
  }

  const { busy: exporting, run: exportCsv } = useAsyncAction(
    async () => {
      const r = await api.missed.export(filter)
      saveFile(new Blob([r.csv], { type: 'text/csv' }), r.fileName)
      showInfo('CSV exported', `${plural(r.rows, 'caller')} → ${r.fileName}`)
    },
    (err) => showError('Could not export', err),
  )

  return (
    <section aria-labelledby="missed-title">
      <Group justify="space-between" mb={4} wrap="wrap">
        <Title order={2} id="missed-title">
          {MISSED_QUEUE_NAME}{' '}
          <Badge color={openCount ? 'red' : 'gray'} data-testid="missed-waiting">
            {waitingText(openCount)}
          </Badge>
        </Title>
        <Can channel="missed:export">
          <Button variant="default" loading={exporting} onClick={() => void exportCsv()}>
            Export CSV
          </Button>
        </Can>
      </Group>
      <Text size="sm" c="dimmed" mb="sm">
        One line per caller whose missed or dropped call nobody has answered since, longest waiting
        first. A later answered call from the number settles it by itself.
      </Text>
      <Group mb="sm" gap="sm" align="flex-end" wrap="wrap">
        <TextInput
          label="Search"
          placeholder="Number, name or note"
          data-shortcut="search"
          w={220}
          value={filter.text ?? ''}
          onChange={(e) => setFilter({ ...filter, text: e.currentTarget.value })}
        />
        <Select
          label="Department"
          placeholder="Any"
          w={170}
          clearable
          data={departments}
          value={filter.department ?? null}
          onChange={(v) => setFilter({ ...filter, department: v ?? undefined })}
        />
        <SegmentedControl
          aria-label="Which callers to show"
          value={filter.show}
          onChange={(v) => setFilter({ ...filter, show: v as MissedFilter['show'] })}
          data={[
            { value: 'open', label: 'Waiting' },
            { value: 'all', label: 'All of the last week' },
          ]}
        />
      </Group>
      {lastBulk && <BulkNotice last={lastBulk} onChange={setLastBulk} />}
      {canBulk && selected.length > 0 && (
        <MissedBulkBar
          selected={selected}
          people={people}
          onClear={() => setPicked(new Set())}
          onDone={(r) => {
            setPicked(new Set())
            setLastBulk({ message: r.message, undoId: r.undoId, after: null })
          }}
        />
      )}
      {shown.length === 0 ? (
        <Text c="dimmed">
          {filter.text || filter.department
            ? 'Nobody matches these filters.'
            : filter.show === 'open'
              ? 'Nobody is waiting for a call back.'
              : 'No missed or dropped calls in the last week.'}
        </Text>
      ) : (
        <ResponsiveTable minWidth={760}>
          <Table
            striped
            aria-label={`${MISSED_QUEUE_NAME} queue`}
            verticalSpacing={6}
            horizontalSpacing={6}
          >
            <Table.Thead>
              <Table.Tr>
                {canBulk && (
                  <Table.Th w={36}>
                    <Checkbox
                      aria-label="Select every caller shown"
                      checked={allShownPicked}
                      indeterminate={selected.length > 0 && !allShownPicked}
                      onChange={(e) =>
                        setPicked(
                          e.currentTarget.checked
                            ? new Set(shown.map((i) => i.callerNumber))
                            : new Set(),
                        )
                      }
                    />
                  </Table.Th>
                )}
                <Table.Th>Caller</Table.Th>
                <Table.Th ta="right">Calls</Table.Th>
                <Table.Th>Department</Table.Th>
                <Table.Th>Waiting</Table.Th>
                <Table.Th>Last missed</Table.Th>
                <Table.Th>Assigned to</Table.Th>
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
                    {canBulk && (
                      <Table.Td>
                        <Checkbox
                          aria-label={`Select ${caller}`}
                          checked={picked.has(item.callerNumber)}
                          onChange={(e) => pick(item.callerNumber, e.currentTarget.checked)}
                        />
                      </Table.Td>
                    )}
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Anchor
                        component="button"
                        ff="monospace"
                        size="sm"
                        aria-label={`Every call from ${caller}`}
                        data-shortcut="row"
                        onClick={() => timeline.open(item)}
                      >
                        {caller}
                      </Anchor>
                    </Table.Td>
                    <Table.Td ta="right" data-count>
                      {item.count}
                    </Table.Td>
                    <Table.Td>{item.department ?? '–'}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
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
                    <Table.Td>
                      <InstantText iso={item.lastMissedAt} zone={zone} />
                    </Table.Td>
                    <Table.Td>
                      {canAssign ? (
                        <Anchor
                          component="button"
                          size="sm"
                          c={item.assignee ? undefined : 'dimmed'}
                          aria-label={
                            item.assignee
                              ? `${item.assignee}: change who calls ${caller} back`
                              : `Assign ${caller}`
                          }
                          onClick={() => startEditing({ kind: 'assign', item })}
                        >
                          {item.assignee ?? 'Assign…'}
                        </Anchor>
                      ) : (
                        (item.assignee ?? '–')
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Stack gap={0}>
                        {/* Never cut to "O…" in a narrow (or zoomed) window. */}
                        <Badge color={STATE_COLOR[item.state]} variant="light" miw="max-content">
                          {STATE_LABEL[item.state]}
                        </Badge>
                        {item.state !== 'open' && (
                          <Text size="xs" c="dimmed" data-settled style={{ whiteSpace: 'nowrap' }}>
                            {settledText(item)}
                          </Text>
                        )}
                      </Stack>
                    </Table.Td>
                    <Table.Td maw={180} style={{ overflowWrap: 'anywhere' }}>
                      {item.note ?? ''}
                    </Table.Td>
                    <Table.Td>
                      <Can channel="missed:mark">
                        {item.state === 'open' ? (
                          <Group gap="xs" wrap="nowrap">
                            <Button
                              size="compact-xs"
                              aria-label={`Mark ${caller} called back`}
                              onClick={() =>
                                startEditing({ kind: 'mark', item, state: 'called-back' })
                              }
                            >
                              Called back
                            </Button>
                            <Button
                              size="compact-xs"
                              variant="default"
                              aria-label={`Resolve ${caller}`}
                              onClick={() =>
                                startEditing({ kind: 'mark', item, state: 'resolved' })
                              }
                            >
                              Resolve
                            </Button>
                          </Group>
                        ) : (
                          <Button
                            size="compact-xs"
                            variant="subtle"
                            aria-label={`Reopen ${caller}`}
                            onClick={() =>
                              void mark(item, 'open').then(
                                (e) => e && showError(`Could not reopen ${caller}`, new Error(e)),
                              )
                            }
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
        </ResponsiveTable>
      )}
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={
          editing === null
            ? ''
            : editing.kind === 'mark'
              ? `${STATE_LABEL[editing.state]}: ${formatPhone(editing.item.callerNumber)}`
              : `Who calls ${formatPhone(editing.item.callerNumber)} back?`
        }
      >
        <form
          onSubmit={(e) => {
            e.preventDefault()
            void submit()
          }}
        >
          {editing?.kind === 'assign' ? (
            <AssigneeField
              people={people}
              label={people.length ? 'Who calls back' : 'Name (empty: nobody)'}
              value={text}
              onChange={setText}
              error={formError}
            />
          ) : (
            <TextInput
              label="Note (optional)"
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              maxLength={2000}
              error={formError}
              data-autofocus
            />
          )}
          <Group justify="flex-end" mt="md">
            <Button variant="default" onClick={() => setEditing(null)}>
              Cancel
            </Button>
            <Button type="submit">Save</Button>
          </Group>
        </form>
      </Modal>
      <CallDetail call={timeline.call} onClose={() => timeline.set(null)} onOpen={timeline.set} />
    </section>
  )
}
