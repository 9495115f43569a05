/**
 * Keeps the vendor API key out of everything that leaves the client: log lines, attempt details,
 * error messages. undici errors can carry the request URL (and so `apikey=...`), and a vendor may
 * echo the query back in its answer, so every string is scrubbed before it goes anywhere.
 */

/** Replaces every form of `secret` (raw, URL-encoded, form-encoded) and any `apikey=` value. */
export function redact(text: string, secret: string | null | undefined): string {
  let out = text
  if (secret) {
    const forms = new Set([
      secret,
      encodeURIComponent(secret),
      new URLSearchParams({ k: secret }).toString().slice(2),
    ])
    for (const form of forms) if (form) out = out.split(form).join('[redacted]')
  }
  // Whatever the key was, a query parameter named apikey never passes through in clear.
  return out.replace(/(apikey=)[^&\s"'<>]*/gi, '$1[redacted]')
}

/** Vendor words or error text made safe to show: control characters out, trimmed, capped. */
export function cleanText(text: string, max = 200): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ')
  const trimmed = flat.trim()
  return trimmed.length > max ? `${trimmed.slice(0, max - 1)}…` : trimmed
}
