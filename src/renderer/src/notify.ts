import { errorText } from './api/errors'
import { pushMessage } from './toast'

/**
 * Shows what went wrong, in the service's words, in the alert strip. For a form, show the error
 * next to the form instead (`formErrors.ts`); this is for actions without one.
 */
export function showError(title: string, err: unknown): void {
  pushMessage({ kind: 'error', title, message: errorText(err), color: 'red' })
}

export function showInfo(title: string, message: string, color = 'teal'): void {
  pushMessage({ kind: 'info', title, message, color })
}
