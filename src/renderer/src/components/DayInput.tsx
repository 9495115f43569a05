import '@mantine/dates/styles.css'
import { DateInput } from '@mantine/dates'
import { fromDayMonthYear } from '../../../shared/dateTime'

/**
 * A calendar date typed day first (`29/11/2026`, also `29-11-2026` or `29.11.2026`) or picked from
 * the calendar, whatever the browser's language; the value is `YYYY-MM-DD` in the configured zone.
 */
export function DayInput({
  label,
  value,
  onChange,
  w,
  error,
}: {
  label: string
  value: string | null
  onChange: (date: string | null) => void
  w?: number
  error?: string | null
}): React.JSX.Element {
  return (
    <DateInput
      label={label}
      w={w}
      value={value}
      onChange={onChange}
      valueFormat="DD/MM/YYYY"
      dateParser={fromDayMonthYear}
      placeholder="dd/mm/yyyy"
      clearable
      clearButtonProps={{ 'aria-label': `Clear ${label}` }}
      previousLabel="Previous month"
      nextLabel="Next month"
      error={error}
      popoverProps={{ withinPortal: true }}
    />
  )
}
