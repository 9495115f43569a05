import { Badge, Tooltip } from '@mantine/core'

export const OUTSIDE_HOURS_EXPLANATION =
  "This call arrived while our office hours say the office was closed. The vendor should have played the closed message, so the vendor's settings probably differ from ours: check the office hours and holidays there."

/** Flags a call that arrived while our model says the office was closed. */
export function OutsideHoursFlag(): React.JSX.Element {
  return (
    <Tooltip label={OUTSIDE_HOURS_EXPLANATION} multiline w={320} withArrow>
      <Badge
        color="grape"
        variant="light"
        tabIndex={0}
        aria-label={`Outside office hours. ${OUTSIDE_HOURS_EXPLANATION}`}
      >
        Outside hours
      </Badge>
    </Tooltip>
  )
}
