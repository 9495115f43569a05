import { Button, Group, Stack, Table, Text } from '@mantine/core'
import { TimePicker } from '@mantine/dates'
import { useState } from 'react'
import type { OfficeDay, OfficeHours } from '../../../../shared/domain'
import { api, errorText } from '../../api'
import { showInfo } from '../../notify'
import { ChangeStateBadge, VendorWords } from '../../components/ChangeState'
import { displayTime, officeTimeError } from '../../../../shared/officeTime'
import { pickerToHHMM } from './time'
import { useCan } from '../../can'
import { useAsyncAction } from '../../asyncAction'

/**
 * One row of the weekly editor: 12-hour pickers (the API gets 24-hour HH:MM), the vendor's
 * own check before anything is sent, and the state of what was last sent for that day.
 */
export function DayEditor({
  day,
  label,
  current,
  initial = current,
}: {
  day: OfficeDay
  label: string
  /** What we last sent for this day (null: never set). */
  current: OfficeHours | null
  /** What the pickers start from when the day has no hours of its own (e.g. Daily's). */
  initial?: OfficeHours | null
}): React.JSX.Element {
  const [start, setStart] = useState(initial?.start ?? '09:30')
  const [end, setEnd] = useState(initial?.end ?? '18:00')
  const [error, setError] = useState<string | null>(null)
  const [sendError, setSendError] = useState<string | null>(null)
  const canSet = useCan('officeHours:set')
  // The row shows what went wrong (the vendor's refusal in its words).
  const { busy, run: send } = useAsyncAction(
    async () => {
      // The row's state follows main's `officeHours:updated`; the reply is for the message.
      const result = await api.officeHours.set({ day, start, end })
      const state = result.change.state
      if (state === 'refused')
        setSendError(`Refused by the vendor: ${result.change.vendorAnswer ?? result.message}`)
      else showInfo(`${day}: ${state === 'confirmed' ? 'confirmed' : 'sent'}`, result.message)
    },
    (err) => setSendError(errorText(err)),
  )

  const save = (): void => {
    const problem = officeTimeError(start, end)
    setError(problem)
    setSendError(null)
    if (problem) return
    void send()
  }

  return (
    <Table.Tr data-day={day}>
      <Table.Th scope="row">{label}</Table.Th>
      <Table.Td>
        <TimePicker
          format="12h"
          w={150}
          aria-label={`${label} opens at`}
          hoursInputLabel={`${label} opening hour`}
          minutesInputLabel={`${label} opening minutes`}
          amPmInputLabel={`${label} opening AM or PM`}
          value={start}
          disabled={!canSet}
          onChange={(v) => setStart(pickerToHHMM(v))}
        />
      </Table.Td>
      <Table.Td>
        <TimePicker
          format="12h"
          w={150}
          aria-label={`${label} closes at`}
          hoursInputLabel={`${label} closing hour`}
          minutesInputLabel={`${label} closing minutes`}
          amPmInputLabel={`${label} closing AM or PM`}
          value={end}
          disabled={!canSet}
          onChange={(v) => setEnd(pickerToHHMM(v))}
        />
      </Table.Td>
      <Table.Td>
        {canSet && (
          <Button size="xs" onClick={save} loading={busy} aria-label={`Save ${label} hours`}>
            Save
          </Button>
        )}
      </Table.Td>
      <Table.Td>
        <Stack gap={2}>
          {error && (
            <Text size="sm" c="red" role="alert">
              {error}: the opening time must be before the closing time. Nothing was sent.
            </Text>
          )}
          {sendError && (
            <Text size="sm" c="red" role="alert">
              {sendError}
            </Text>
          )}
          {current ? (
            <Group gap="xs">
              <ChangeStateBadge state={current.state} />
              <Text size="xs" c="dimmed">
                {displayTime(current.start)} – {displayTime(current.end)}
              </Text>
            </Group>
          ) : (
            <Text size="xs" c="dimmed">
              Not set
            </Text>
          )}
          {current && <VendorWords state={current.state} answer={current.vendorAnswer} />}
        </Stack>
      </Table.Td>
    </Table.Tr>
  )
}
