import { notifications } from '@mantine/notifications'
import { errorText } from './api/errors'

/** Shows what went wrong, in the service's words. */
export function showError(title: string, err: unknown): void {
  notifications.show({ title, message: errorText(err), color: 'red', autoClose: 8000 })
}

export function showInfo(title: string, message: string, color = 'teal'): void {
  notifications.show({ title, message, color })
}
