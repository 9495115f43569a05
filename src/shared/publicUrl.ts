/**
 * The tunnel's public address, as people paste it: a bare host (`abc.trycloudflare.com`), the
 * origin, or the whole webhook URL copied from somewhere (`…/api/PostCallLogs/<token>/`). The app
 * builds the webhook URL on the address, so the path is taken off, with a word, instead of
 * building `…/api/PostCallLogs/x/api/PostCallLogs/<token>/`. The screen reads it as it is typed
 * and main once more when it is saved: one rule for both.
 */
import { WEBHOOK_PATH } from './vendorPaths'

export type PublicUrlReading =
  | {
      /** What is saved: `https://host[:port][/prefix]`, no trailing slash; null to clear. */
      url: string | null
      /** What was changed from the text, in words. */
      notes: string[]
      /** Accepted, but worth a second thought (plain http). */
      warning: string | null
    }
  | { error: string }

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i

export function readPublicUrl(text: string): PublicUrlReading {
  const typed = text.trim()
  if (typed === '') return { url: null, notes: [], warning: null }
  const notes: string[] = []
  let withScheme = typed
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(typed)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(typed) && !/^[^:/]+:\d/.test(typed))
      return {
        error: `The public address must start with https:// (or http://), not "${typed.split(':')[0]}:"`,
      }
    withScheme = `https://${typed}`
    notes.push('https:// was put in front: a tunnel’s address starts so.')
  }
  let url: URL
  try {
    url = new URL(withScheme)
  } catch {
    return { error: 'The public address must be a web address, e.g. https://abc.trycloudflare.com' }
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return { error: 'The public address must start with https:// (or http://)' }
  // A public address has a dotted name (or is this machine, for a tunnel's own tests).
  if (!url.hostname.includes('.') && !url.hostname.includes(':') && !LOOPBACK.test(url.hostname))
    return {
      error: `"${typed}" is not a web address: give the tunnel's address, e.g. https://abc.trycloudflare.com`,
    }
  if (url.username || url.password)
    return { error: 'The public address cannot carry a user name or password' }
  let path = url.pathname
  const at = path.toLowerCase().indexOf(WEBHOOK_PATH.toLowerCase())
  if (at >= 0) {
    notes.push(
      `The webhook path (${WEBHOOK_PATH}/…) was taken off: this field takes the tunnel’s address only, and the app adds the path with its token.`,
    )
    path = path.slice(0, at)
  }
  if (url.search || url.hash) notes.push('What followed ? or # was left out.')
  path = path.replace(/\/+$/, '')
  const warning =
    url.protocol === 'http:' && !LOOPBACK.test(url.hostname)
      ? 'Plain http: the vendor’s pushes, secret token and callers’ numbers included, would cross the internet unencrypted. Use the tunnel’s https:// address.'
      : null
  return { url: url.origin + path, notes, warning }
}
