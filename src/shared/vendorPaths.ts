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

/** What stands for the token where a webhook URL is shown to someone who may not push. */
export const TOKEN_MASK = '<token>'

/** The webhook URL with its secret token masked. */
export function maskWebhookUrl(url: string): string {
  const at = url.indexOf(`${WEBHOOK_PATH}/`)
  if (at < 0) return url
  const start = at + WEBHOOK_PATH.length + 1
  const end = url.indexOf('/', start)
  return url.slice(0, start) + TOKEN_MASK + (end < 0 ? '' : url.slice(end))
}

/** The vendor's settings endpoint, under the vendor's base URL. */
export const VENDOR_HANDLER_PATH = '/settings/handler.ashx'
