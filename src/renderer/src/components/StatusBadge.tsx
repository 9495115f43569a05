import { Badge } from '@mantine/core'
import type { CallStatus } from '../../../shared/domain'
import { STATUS_COLOR, STATUS_LABEL } from '../format'

export function StatusBadge({ status }: { status: CallStatus }): React.JSX.Element {
  return (
    <Badge color={STATUS_COLOR[status]} variant="light">
      {STATUS_LABEL[status]}
    </Badge>
  )
}
