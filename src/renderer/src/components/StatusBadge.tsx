import { Badge } from '@mantine/core'
import type { CallStatus } from '../../../shared/domain'
import { STATUS_COLOR, STATUS_LABEL } from '../format'

export function StatusBadge({ status }: { status: CallStatus }): React.JSX.Element {
  return (
    // Never narrower than its word: a table squeezing its columns (a wide date on the 10th to the
    // 31st) would otherwise cut "Answered" to "ANSWE…".
    <Badge color={STATUS_COLOR[status]} variant="light" miw="max-content">
      {STATUS_LABEL[status]}
    </Badge>
  )
}
