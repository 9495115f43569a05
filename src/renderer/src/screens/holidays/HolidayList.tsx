import {
  Alert,
  Button,
  Group,
  Modal,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core'
import { useState } from 'react'
import type { RemovalResult } from '../../../../shared/contract'
import type { Holiday, YearlyHolidayRule } from '../../../../shared/domain'
import { api, errorText } from '../../api'
import { useAsyncAction } from '../../asyncAction'
import { formatDate } from '../../../../shared/dateTime'
import { monthDayLabel, monthName } from '../../dates'
import { ChangeStateBadge, VendorWords } from '../../components/ChangeState'
import { ResponsiveTable } from '../../components/ResponsiveTable'
import { holidaysByMonth } from './calendar'
import { Can } from '../../can'

type Target = { kind: 'date'; holiday: Holiday } | { kind: 'rule'; rule: YearlyHolidayRule }

const SOURCE: Record<Holiday['source'], string> = {
  single: 'One date',
  range: 'Range',
  yearly: 'Every year',
  weekly: 'Every week',
}

/** `(15 August)` for a yearly rule, `(Sunday)` for a weekday closed every week. */
function ruleLabel(h: Holiday): string {
  if (!h.rule) return ''
  return ` (${h.source === 'yearly' ? monthDayLabel(h.rule) : h.rule})`
}

/** What removing does and does not do, said before it is done. */
function RemovalMeaning({ target }: { target: Target | null }): React.JSX.Element | null {
  if (!target) return null
  const does =
    target.kind === 'date'
      ? `Takes ${formatDate(target.holiday.date)} off this app's list: the app no longer counts it as closed (open now, calls flagged outside hours, the dashboard).`
      : `Stops sending new dates of “${target.rule.name}” (${monthDayLabel(target.rule.monthDay)}). Dates already sent stay in the list; remove them one by one to stop counting them as closed here.`
  const doesNot =
    target.kind === 'date'
      ? `Remove it at the vendor. The vendor's API has no way to remove a holiday: ${target.holiday.state === 'refused' ? 'this one was refused there, so nothing is set at the vendor.' : `callers still hear the holiday message on ${formatDate(target.holiday.date)} unless the vendor removes it (ask the vendor's support, or change it in their portal).`}`
      : "Remove any date already sent at the vendor: the vendor's API has no way to remove a holiday."
  return (
    <Stack gap="xs" mb="md">
      <Text size="sm">
        <strong>What this does:</strong> {does}
      </Text>
      <Text size="sm">
        <strong>What it does not do:</strong> {doesNot}
      </Text>
    </Stack>
  )
}

/** One column layout for the year's table and the yearly rules', so they line up. */
const COLUMNS = ['26%', '28%', '18%', '18%', '10%']

/** A row's Remove, for those who may: it opens the dialog that says what removal does. */
function RemoveButton({
  channel,
  label,
  onClick,
}: {
  channel: 'holidays:remove' | 'holidays:removeRule'
  label: string
  onClick: () => void
}): React.JSX.Element {
  return (
    <Can channel={channel}>
      <Button size="compact-xs" variant="subtle" color="red" aria-label={label} onClick={onClick}>
        Remove
      </Button>
    </Can>
  )
}

/**
 * The year's holidays by month with their state, the yearly rules, and removal. Removal is
 * local only: the vendor API has no call to undo a holiday, and the screen says so.
 */
export function HolidayList({
  year,
  holidays,
  rules,
}: {
  year: number
  holidays: Holiday[]
  rules: YearlyHolidayRule[]
}): React.JSX.Element {
  const [target, setTarget] = useState<Target | null>(null)
  const [removed, setRemoved] = useState<RemovalResult | null>(null)
  const [removeError, setRemoveError] = useState<string | null>(null)
  const months = holidaysByMonth(holidays, year)

  const { busy, run: removeTarget } = useAsyncAction(
    async (t: Target) => {
      const r =
        t.kind === 'date'
          ? await api.holidays.remove({ date: t.holiday.date })
          : await api.holidays.removeRule({ monthDay: t.rule.monthDay })
      setRemoved(r)
      setTarget(null)
    },
    (err) => setRemoveError(errorText(err)),
  )
  const remove = async (): Promise<void> => {
    if (target) await removeTarget(target)
  }

  return (
    <Stack>
      {removed && (
        <Alert
          color={removed.removed ? 'orange' : 'gray'}
          title="Removed here only"
          withCloseButton
          onClose={() => setRemoved(null)}
          role="status"
        >
          {removed.message}
        </Alert>
      )}
      <ResponsiveTable minWidth={640}>
        <Table aria-label={`Holidays in ${year}`} verticalSpacing={4} striped layout="fixed">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={COLUMNS[0]}>Date</Table.Th>
              <Table.Th w={COLUMNS[1]}>Name</Table.Th>
              <Table.Th w={COLUMNS[2]}>Added as</Table.Th>
              <Table.Th w={COLUMNS[3]}>State</Table.Th>
              <Table.Th w={COLUMNS[4]}>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {months.size === 0 && (
              <Table.Tr>
                <Table.Td colSpan={5}>
                  <Text c="dimmed" size="sm">
                    No holidays in {year}.
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {[...months].map(([month, list]) => [
              <Table.Tr key={`m${month}`}>
                <Table.Th colSpan={5} scope="colgroup">
                  {monthName(month)}
                </Table.Th>
              </Table.Tr>,
              ...list.map((h) => (
                <Table.Tr key={h.date} data-holiday={h.date} data-state={h.state}>
                  <Table.Td>{formatDate(h.date)}</Table.Td>
                  <Table.Td>{h.name ?? '–'}</Table.Td>
                  <Table.Td>
                    {SOURCE[h.source]}
                    {ruleLabel(h)}
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="wrap">
                      <ChangeStateBadge state={h.state} />
                      <VendorWords state={h.state} answer={h.vendorAnswer} />
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <RemoveButton
                      channel="holidays:remove"
                      label={`Remove holiday ${formatDate(h.date)}`}
                      onClick={() => setTarget({ kind: 'date', holiday: h })}
                    />
                  </Table.Td>
                </Table.Tr>
              )),
            ])}
          </Table.Tbody>
        </Table>
      </ResponsiveTable>
      <div>
        <Title order={3} size="h5" mb={4}>
          Every year
        </Title>
        {rules.length === 0 ? (
          <Text size="sm" c="dimmed">
            No yearly holidays.
          </Text>
        ) : (
          <ResponsiveTable minWidth={640}>
            <Table aria-label="Yearly holidays" verticalSpacing={4} layout="fixed">
              <Table.Tbody>
                {rules.map((r) => (
                  <Table.Tr key={r.monthDay}>
                    <Table.Td w={COLUMNS[0]}>{monthDayLabel(r.monthDay)}</Table.Td>
                    <Table.Td w={COLUMNS[1]}>{r.name}</Table.Td>
                    <Table.Td w={COLUMNS[2]}>Every year</Table.Td>
                    <Table.Td w={COLUMNS[3]} />
                    <Table.Td w={COLUMNS[4]}>
                      <RemoveButton
                        channel="holidays:removeRule"
                        label={`Remove yearly holiday ${r.name}`}
                        onClick={() => setTarget({ kind: 'rule', rule: r })}
                      />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ResponsiveTable>
        )}
      </div>
      <Modal
        opened={target !== null}
        onClose={() => {
          setTarget(null)
          setRemoveError(null)
        }}
        title={
          target?.kind === 'date'
            ? `Remove ${formatDate(target.holiday.date)}?`
            : `Remove the yearly holiday ${target?.kind === 'rule' ? target.rule.name : ''}?`
        }
      >
        {removeError && (
          <Text size="sm" c="red" mb="sm" role="alert">
            {removeError}
          </Text>
        )}
        <RemovalMeaning target={target} />
        <Group justify="flex-end">
          <Button variant="default" onClick={() => setTarget(null)}>
            Keep it
          </Button>
          <Button color="red" loading={busy} onClick={() => void remove()}>
            {target?.kind === 'rule' ? 'Stop this yearly holiday' : 'Remove from this list only'}
          </Button>
        </Group>
      </Modal>
    </Stack>
  )
}
