import '@mantine/dates/styles.css'
import { ActionIcon, Popover, TextInput } from '@mantine/core'
import { DatePicker } from '@mantine/dates'
import { useId, useState } from 'react'
import { formatDate, parseDateInput } from '../../../shared/dateTime'
import { localToday } from '../../../shared/localTime'
import { useNow, useTimezone } from '../hooks'

/**
 * A calendar date, typed or picked from a calendar, read one way whatever the browser's language
 * (day first, `25/12`, `29 Nov 2026`, or `2026-12-25`: see `parseDateInput`) and shown in the
 * app's one format, `29 Nov 2026`. What was typed is never wiped: a text that is no date stays
 * as typed, with why under it (`31/02/2026 is not a date: February 2026 has 28 days.`), and the
 * value is then null. The value is `YYYY-MM-DD` in the configured zone.
 */
export function DayInput({
  label,
  value,
  onChange,
  w,
  error,
  onTextError,
}: {
  label: string
  value: string | null
  onChange: (date: string | null) => void
  w?: number
  error?: string | null
  /** Told whenever the field's text is (or stops being) something other than a date. */
  onTextError?: (error: string | null) => void
}): React.JSX.Element {
  const zone = useTimezone()
  // Today in the configured zone: the year of a date typed without one.
  const today = localToday(useNow(60_000), zone)
  const [text, setText] = useState(value ? formatDate(value) : '')
  const [problem, setProblem] = useState<string | null>(null)
  const [picking, setPicking] = useState(false)
  const id = useId()
  // Follows a value set from outside (a preset, "Clear filters"), unless it is what the text says.
  const [shownValue, setShownValue] = useState(value)
  if (value !== shownValue) {
    setShownValue(value)
    const typed = parseDateInput(text, today)
    const says = 'date' in typed ? typed.date : null
    if (says !== value && !(value === null && 'error' in typed)) {
      setText(value ? formatDate(value) : '')
      setProblem(null)
    }
  }

  const commit = (typedText: string): void => {
    const read = parseDateInput(typedText, today)
    if ('date' in read) {
      setText(formatDate(read.date))
      setProblem(null)
      onTextError?.(null)
      if (read.date !== value) onChange(read.date)
    } else if ('empty' in read) {
      setProblem(null)
      onTextError?.(null)
      if (value !== null) onChange(null)
    } else {
      // Kept as typed, with why: nothing the person wrote is thrown away.
      setProblem(read.error)
      onTextError?.(read.error)
      if (value !== null) onChange(null)
    }
  }

  const pick = (date: string | null): void => {
    setPicking(false)
    if (!date) return
    setText(formatDate(date))
    setProblem(null)
    onTextError?.(null)
    if (date !== value) onChange(date)
  }

  return (
    <TextInput
      id={id}
      label={label}
      w={w}
      value={text}
      placeholder="29 Nov 2026"
      autoComplete="off"
      error={problem ?? error ?? undefined}
      // Announced as it appears: the person learns why without leaving the field.
      errorProps={{ role: 'alert' }}
      onChange={(e) => setText(e.currentTarget.value)}
      onBlur={(e) => commit(e.currentTarget.value)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit(e.currentTarget.value)
      }}
      rightSectionWidth={34}
      rightSection={
        <Popover
          opened={picking}
          onChange={setPicking}
          position="bottom-end"
          withinPortal
          trapFocus
          returnFocus
        >
          <Popover.Target>
            {/* Named "Calendar", described by the field's label: a search for the field by its
                label finds the field alone. */}
            <ActionIcon
              variant="subtle"
              color="gray"
              aria-label="Calendar"
              aria-describedby={`${id}-label`}
              onClick={() => setPicking((o) => !o)}
            >
              <span aria-hidden="true">▦</span>
            </ActionIcon>
          </Popover.Target>
          <Popover.Dropdown>
            <DatePicker
              value={value}
              defaultDate={value ?? today}
              onChange={pick}
              firstDayOfWeek={1}
              previousLabel="Previous month"
              nextLabel="Next month"
            />
          </Popover.Dropdown>
        </Popover>
      }
    />
  )
}
