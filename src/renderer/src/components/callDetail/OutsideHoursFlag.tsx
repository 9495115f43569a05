import { Badge, Tooltip } from '@mantine/core'

export const OUTSIDE_HOURS_EXPLANATION =
  "This call arrived while the office hours and holidays set here at that time said closed. If the vendor had them too, the caller would have heard the closed message: evidence that the vendor's settings differ from ours. Check the office hours and holidays there."

/** Flags a call that arrived while the schedule in force then said closed (never without one). */
export function OutsideHoursFlag(): React.JSX.Element {
  return (
    <Tooltip label={OUTSIDE_HOURS_EXPLANATION} multiline w={320} withArrow>
      <Badge
        color="grape"
        variant="light"
        size="sm"
        tabIndex={0}
        style={{ flexShrink: 0, overflow: 'visible' }}
        aria-label={`Outside office hours. ${OUTSIDE_HOURS_EXPLANATION}`}
      >
        Outside hours
      </Badge>
    </Tooltip>
  )
}
