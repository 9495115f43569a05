import { Button, Group, Modal, Text } from '@mantine/core'
import { useState } from 'react'
import { closingSoonWarning, datesClosingSoon } from '../../../../shared/closingSoon'
import type { HolidayAddResult } from '../../../../shared/contract'
import { formatDate } from '../../../../shared/dateTime'
import { localToday } from '../../../../shared/localTime'
import type { HolidayAdd } from '../../../../shared/schemas'
import { api, ApiError } from '../../api'
import { useAsyncAction } from '../../asyncAction'
import { useNow, useTimezone } from '../../hooks'
import { useApp } from '../../store'

interface Asking {
  req: HolidayAdd
  dates: string[]
  /** Main's own words when it refused a request the screen thought needed none (midnight). */
  text: string
  done: (result: HolidayAddResult | null) => void
  fail: (err: unknown) => void
}

/**
 * Sends a holiday request, asking first when it closes the office today or tomorrow (the rule of
 * `shared/closingSoon.ts`, which main enforces too): what it means, and that the vendor's API
 * cannot remove a holiday. `send` answers null when the person did not confirm; it rejects with
 * the service's error otherwise. Render `dialog` once.
 */
export function useHolidaySender(): {
  send: (req: HolidayAdd) => Promise<HolidayAddResult | null>
  dialog: React.JSX.Element
} {
  const zone = useTimezone()
  const today = localToday(useNow(60_000), zone)
  const holidays = useApp((s) => s.holidays)
  const [asking, setAsking] = useState<Asking | null>(null)

  const ask = (req: HolidayAdd, dates: string[], text: string) =>
    new Promise<HolidayAddResult | null>((done, fail) =>
      setAsking({ req, dates, text, done, fail }),
    )

  const send = async (req: HolidayAdd): Promise<HolidayAddResult | null> => {
    const set = new Set(holidays.filter((h) => h.state !== 'refused').map((h) => h.date))
    const soon = datesClosingSoon(req, today).filter((d) => !set.has(d))
    if (soon.length > 0) return ask(req, soon, closingSoonWarning(soon, today))
    try {
      return await api.holidays.add(req)
    } catch (err) {
      if (err instanceof ApiError && err.fields.includes('confirmed'))
        return ask(req, [], err.message.replace(/ Confirm to send it; nothing was sent\.$/, ''))
      throw err
    }
  }

  const close = (result: HolidayAddResult | null): void => {
    asking?.done(result)
    setAsking(null)
  }
  const { busy, run: sendConfirmed } = useAsyncAction(
    async (req: HolidayAdd) => close(await api.holidays.add({ ...req, confirmed: true })),
    (err) => {
      // The form that asked shows it, next to what was typed.
      asking?.fail(err)
      setAsking(null)
    },
  )
  const confirm = async (): Promise<void> => {
    if (asking) await sendConfirmed(asking.req)
  }

  const first = asking?.dates[0]
  const title =
    first === undefined
      ? 'Close the office now?'
      : `Close the office ${first === today ? 'today' : 'tomorrow'}, ${formatDate(first)}?`
  const dialog = (
    <Modal opened={asking !== null} onClose={() => close(null)} title={title}>
      <Text size="sm" mb="md">
        {asking?.text}
      </Text>
      <Group justify="flex-end">
        <Button variant="default" onClick={() => close(null)}>
          Cancel: send nothing
        </Button>
        <Button color="red" loading={busy} onClick={() => void confirm()}>
          {first === undefined ? 'Send the holiday' : `Close on ${formatDate(first)}`}
        </Button>
      </Group>
    </Modal>
  )
  return { send, dialog }
}
