import { notifications } from '@mantine/notifications'
import type { Call } from '../../shared/domain'
import { formatPhone } from '../../shared/phone'
import { STATUS_COLOR, STATUS_LABEL } from './format'

/** A short toast for each call just stored. */
export function toastCall(call: Call): void {
  notifications.show({
    title: `${STATUS_LABEL[call.status]}: ${formatPhone(call.callerNumber)}`,
    message: [call.department, call.circle, call.time].filter(Boolean).join(' · '),
    color: STATUS_COLOR[call.status],
  })
}
