import { Badge, Text } from '@mantine/core'
import type { ChangeState } from '../../../shared/domain'

const LABEL: Record<ChangeState, string> = {
  confirmed: 'Confirmed',
  pending: 'Pending',
  refused: 'Refused',
}
const COLOR: Record<ChangeState, string> = { confirmed: 'teal', pending: 'yellow', refused: 'red' }
const TITLE: Record<ChangeState, string> = {
  confirmed: 'The vendor answered Success',
  pending: 'Sent or queued; the vendor has not confirmed it yet',
  refused: 'The vendor refused it',
}

/** Where a change to the vendor stands: confirmed, pending or refused. */
export function ChangeStateBadge({ state }: { state: ChangeState }): React.JSX.Element {
  return (
    <Badge color={COLOR[state]} variant="light" title={TITLE[state]}>
      {LABEL[state]}
    </Badge>
  )
}

/** The vendor's words for a refusal, quoted as they came. */
export function VendorWords({
  state,
  answer,
}: {
  state: ChangeState
  answer: string | null
}): React.JSX.Element | null {
  if (state !== 'refused') return null
  return (
    <Text size="xs" c="red">
      Vendor said: <strong>{answer ?? 'no reason given'}</strong>
    </Text>
  )
}
