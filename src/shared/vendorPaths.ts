/**
 * The two paths of the vendor's document, written once for everything that serves, calls or
 * shows them: the webhook the vendor pushes call logs to, and its own settings handler.
 */

/** The vendor pushes to `<public address><WEBHOOK_PATH>/<token>/` (the document's name). */
export const WEBHOOK_PATH = '/api/PostCallLogs'

/** The webhook path with its secret token, with the trailing slash the document's sample shows. */
export function webhookPath(token: string): string {
  return `${WEBHOOK_PATH}/${token}/`
}

/** The vendor's settings endpoint, under the vendor's base URL. */
export const VENDOR_HANDLER_PATH = '/settings/handler.ashx'
