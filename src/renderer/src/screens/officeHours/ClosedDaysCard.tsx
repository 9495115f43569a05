import { Alert, Card, Checkbox, Group, Text, Title } from '@mantine/core'
import { useState } from 'react'
import { WEEKDAYS, type Weekday } from '../../../../shared/domain'
import { api, errorText } from '../../api'
import { useApp } from '../../store'
import { useCan } from '../../can'
import { useAsyncAction } from '../../asyncAction'
import { useHolidaySender } from '../holidays/useHolidaySender'

/**
 * "Closed every Sunday": the vendor's API has no closed day and refuses equal opening and closing
 * times (`Invalid Time`), so a weekday closed every week is sent as a holiday on each of its
 * dates over the next twelve months, and each new date is sent as time passes. The editor says so.
 * Those who may not change the schedule see the boxes, not tickable.
 */
export function ClosedDaysCard(): React.JSX.Element {
  const closed = useApp((s) => s.weeklyClosed)
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null)
  const canClose = useCan('holidays:add')
  const canReopen = useCan('holidays:removeWeekly')
  const sender = useHolidaySender()

  const { busy, run: send } = useAsyncAction(
    async (day: Weekday, close: boolean) => {
      // The boxes follow main's `holidays:updated`; the reply is the report below.
      // Closing a weekday that is today or tomorrow asks first (it cannot be undone at the vendor).
      const r = close
        ? await sender.send({ weekly: day })
        : await api.holidays.removeWeekly({ day })
      if (r) setResult({ ok: true, text: r.message })
    },
    (err) => setResult({ ok: false, text: errorText(err) }),
  )
  const toggle = async (day: Weekday, close: boolean): Promise<void> => {
    setResult(null)
    await send(day, close)
  }

  return (
    <Card withBorder aria-labelledby="closed-days">
      <Title order={3} size="h4" id="closed-days" mb="xs">
        Closed all day, every week
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        The vendor's API has no "closed" day and refuses a day whose opening equals its closing. A
        weekday ticked here is sent as a holiday on each of its dates over the next twelve months
        (one request per date), and every new date is sent as time passes. Callers hear the holiday
        message on those days. Unticking stops new dates; dates already sent stay holidays at the
        vendor, which cannot remove them.
      </Text>
      <Group gap="md" role="group" aria-label="Closed every">
        <Text size="sm" fw={600}>
          Closed every
        </Text>
        {WEEKDAYS.map((day) => (
          <Checkbox
            key={day}
            label={day}
            aria-label={`Closed every ${day}`}
            checked={closed.includes(day)}
            disabled={busy || !(closed.includes(day) ? canReopen : canClose)}
            onChange={(e) => void toggle(day, e.currentTarget.checked)}
          />
        ))}
      </Group>
      {sender.dialog}
      {result && (
        <Alert
          mt="sm"
          color={result.ok ? 'blue' : 'red'}
          variant="light"
          withCloseButton
          onClose={() => setResult(null)}
          role={result.ok ? 'status' : 'alert'}
        >
          {!busy && result.text}
        </Alert>
      )}
    </Card>
  )
}
