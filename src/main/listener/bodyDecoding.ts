import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib'
import { decodeEscapeRuns, decodeWindows1252, decoderFor } from './textDecoding'

/**
 * A push body as the vendor meant it: decompressed (`Content-Encoding: gzip`, `deflate`, `br`),
 * decoded in its declared character set (`charset=iso-8859-1`, …), without a UTF-8 byte-order
 * mark (what .NET senders put before JSON). Each step is bounded: a body is at most `limit`
 * bytes once decompressed, so a small compressed bomb never becomes a large body.
 */
export type DecodedBody =
  | { ok: true; text: string; charset: string }
  /** `text`: the bytes as received, for the rejected log (base64 when they are compressed). */
  | { ok: false; reason: string; text: string; tooLarge: boolean }

const BOM = '\ufeff'

/** The `charset` parameter of a Content-Type, lower case, or null. */
export function charsetOf(contentType: string | undefined): string | null {
  const m = /;\s*charset\s*=\s*("?)([^";\s]+)\1/i.exec(contentType ?? '')
  return m ? m[2]!.toLowerCase() : null
}

const isUtf8 = (label: string): boolean => label === 'utf-8' || label === 'utf8'

export function decodeBody(
  contentType: string | undefined,
  contentEncoding: string | undefined,
  body: Buffer,
  limit: number,
): DecodedBody {
  let bytes = body
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity')
  // Applied in the order listed, so undone from the last.
  for (const coding of codings.reverse()) {
    const undone = undo(coding, bytes, limit)
    if (!undone.ok)
      return {
        ok: false,
        reason: undone.reason,
        text: `base64:${body.toString('base64')}`,
        tooLarge: undone.tooLarge,
      }
    bytes = undone.bytes
  }
  const declared = charsetOf(contentType)
  let text: string
  let charset = declared ?? 'utf-8'
  if (declared && !isUtf8(declared)) {
    let decoder: ReturnType<typeof decoderFor>
    try {
      decoder = decoderFor(declared)
    } catch {
      return {
        ok: false,
        reason: `The body declares the character set "${declared}", which the listener does not know; it was not read.`,
        text: bytes.toString('latin1'),
        tooLarge: false,
      }
    }
    text = decoder.decode(bytes)
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    } catch {
      // Not UTF-8 although nothing else was declared: the sender's legacy code page (what
      // Windows senders use), where every byte is a character, rather than a replacement
      // character in place of each.
      text = decodeWindows1252(bytes)
      charset = 'windows-1252'
    }
  }
  if (text.startsWith(BOM)) text = text.slice(1)
  return { ok: true, text, charset }
}

function undo(
  coding: string,
  bytes: Buffer,
  limit: number,
): { ok: true; bytes: Buffer } | { ok: false; reason: string; tooLarge: boolean } {
  const opts = { maxOutputLength: limit }
  const attempts: ((b: Buffer) => Buffer)[] =
    coding === 'gzip' || coding === 'x-gzip'
      ? [(b) => gunzipSync(b, opts)]
      : coding === 'deflate'
        ? // "deflate" is zlib-wrapped by the standard, raw by many senders: either is read.
          [(b) => inflateSync(b, opts), (b) => inflateRawSync(b, opts)]
        : coding === 'br'
          ? [(b) => brotliDecompressSync(b, opts)]
          : []
  if (attempts.length === 0)
    return {
      ok: false,
      reason: `The body is encoded with "${coding}", which the listener does not read; it was not read.`,
      tooLarge: false,
    }
  let last: unknown = null
  for (const attempt of attempts) {
    try {
      return { ok: true, bytes: attempt(bytes) }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
        return {
          ok: false,
          reason: `The body is larger than ${limit / 1024} KiB once decompressed (${coding}); it was not kept.`,
          tooLarge: true,
        }
      last = err
    }
  }
  return {
    ok: false,
    reason: `The body says it is ${coding}-compressed but could not be decompressed (${(last as Error)?.message ?? 'unknown error'}).`,
    tooLarge: false,
  }
}

/**
 * `%XX` escapes and `+` of a form body decoded in a declared character set other than UTF-8
 * (`%E9` is é in iso-8859-1): runs of escapes become bytes, decoded by `decoder`.
 */
export function decodeComponentIn(s: string, decoder: BodyDecoder): string {
  const spaced = s.indexOf('+') === -1 ? s : s.replace(/\+/g, ' ')
  if (spaced.indexOf('%') === -1) return spaced
  return decodeEscapeRuns(spaced, (bytes) => decoder.decode(bytes))
}

/** What decodes a body in its declared character set. */
export type BodyDecoder = ReturnType<typeof decoderFor>
