import { Badge } from '@mantine/core'
import { useApp } from '../store'

/**
 * Whether the office is open now, as main says it (office hours and holidays, the configured
 * zone): `Open now, closes at 6:00 PM`, `Closed (holiday: Diwali), opens Monday 9:30 AM`.
 */
export function OpenStateBadge(): React.JSX.Element | null {
  const openState = useApp((s) => s.openState)
  if (!openState) return null
  return (
    <Badge
      size="lg"
      color={openState.open ? 'teal' : 'gray'}
      variant="light"
      tt="none"
      role="status"
      aria-label={openState.text}
    >
      {openState.text}
    </Badge>
  )
}
