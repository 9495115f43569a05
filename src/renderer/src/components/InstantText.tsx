import { formatInstant } from '../format'

/**
 * An instant in the one date-time format (`11 Jan 2028, 3:51 pm`) that a narrow table may break
 * after the comma, never inside the date or the time: a date on the 10th to the 31st is a
 * character wider than one on the 1st to the 9th, and must not push a table sideways.
 */
export function InstantText({ iso, zone }: { iso: string; zone: string }): React.JSX.Element {
  const text = formatInstant(iso, zone)
  const comma = text.indexOf(', ')
  if (comma < 0) return <span style={{ whiteSpace: 'nowrap' }}>{text}</span>
  return (
    <>
      <span style={{ whiteSpace: 'nowrap' }}>{text.slice(0, comma + 1)}</span>{' '}
      <span style={{ whiteSpace: 'nowrap' }}>{text.slice(comma + 2)}</span>
    </>
  )
}
