import { isLosslessNumber, parse as parseJson, stringify as stringifyJson } from 'lossless-json'
import type { RawParams } from '../../shared/domain'
import { decodeEscapeRuns, decodeWindows1252 } from './textDecoding'

/**
 * The parameters of one push as received, in order, before any interpretation: query string
 * and body merged. A list of pairs (not an object) so repeated keys stay visible and keys such
 * as `__proto__` are plain data.
 */
export type ParamPairs = ReadonlyArray<readonly [string, string]>

const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Decodes `%XX` escapes and `+` the way HTML forms encode them. A run of escapes that is not
 * UTF-8 is read in the sender's legacy code page, Windows-1252 (where every byte is a
 * character), the rule a body that is not UTF-8 follows too: a Windows sender's raw `Café` in
 * the query reaches us as `Caf%E9` (see requestLineFront.ts), and means `Café`. A broken escape
 * (`%zz`, a lone `%`) is kept literally rather than failing the push: no byte the vendor sent is
 * dropped, and normalisation then judges the value.
 */
export function decodeComponent(s: string): string {
  // Most values (ids, numbers, dates) carry neither: skip the regex and the decoder.
  if (s.indexOf('%') === -1 && s.indexOf('+') === -1) return s
  const spaced = s.indexOf('+') === -1 ? s : s.replace(/\+/g, ' ')
  try {
    return decodeURIComponent(spaced)
  } catch {
    return decodeEscapeRuns(spaced, (bytes) => {
      try {
        return utf8.decode(bytes)
      } catch {
        return decodeWindows1252(bytes)
      }
    })
  }
}

/**
 * `a=1&b=2` (query string or form body) → pairs, in order. Empty segments are skipped. `decode`
 * undoes the escapes (UTF-8 by default; a form body may declare another character set).
 */
export function parseUrlEncoded(
  text: string,
  decode: (s: string) => string = decodeComponent,
): [string, string][] {
  const pairs: [string, string][] = []
  // Walks the text by position: no array of segments and no segment string per pair.
  let start = 0
  // The next '=' at or after `start` (-1: none left). Kept across segments, so a long run of
  // segments without '=' does not rescan the rest of the text for each of them.
  let eq = -2
  while (start <= text.length) {
    let end = text.indexOf('&', start)
    if (end === -1) end = text.length
    if (end > start) {
      if (eq !== -1 && eq < start) eq = text.indexOf('=', start)
      const key = eq === -1 || eq > end ? text.slice(start, end) : text.slice(start, eq)
      const value = eq === -1 || eq > end ? '' : text.slice(eq + 1, end)
      pairs.push([decode(key), decode(value)])
    }
    start = end + 1
  }
  return pairs
}

/**
 * A JSON body → pairs, or null when it is not an object; throws a SyntaxError when it is not
 * JSON. Read with lossless-json rather than JSON.parse, so no digit is lost: a number is kept as
 * its source text (`12345678901234567890` stays that, where JSON.parse makes it
 * `12345678901234567000` and three calls would merge into one), in every field. Strings are
 * kept, `true`/`false` become their text, `null` becomes `null` (read as absent later), an array
 * of scalars counts as the key repeated, and anything nested is kept as its JSON text (numbers
 * as sent; normalisation then refuses it if the key matters). A key sent twice counts as sent
 * twice, as in a query string, instead of the last value silently winning.
 */
export function jsonBodyPairs(text: string): [string, string][] | null {
  const repeats = new WeakSet<unknown[]>()
  const body = parseJson(text, null, {
    onDuplicateKey: ({ oldValue, newValue }) => {
      const values = Array.isArray(oldValue) && repeats.has(oldValue) ? oldValue : [oldValue]
      const list = [...values, newValue]
      repeats.add(list)
      return list
    },
  })
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return null
  const pairs: [string, string][] = []
  // Object.keys: lossless-json stores `__proto__` as an own data property, never as a setter.
  for (const sent of Object.keys(body)) {
    const value = (body as Record<string, unknown>)[sent]
    const key = wellFormed(sent)
    if (Array.isArray(value) && value.every(isScalar)) {
      for (const v of value) pairs.push([key, wellFormed(scalarText(v))])
    } else {
      pairs.push([key, wellFormed(scalarText(value))])
    }
  }
  return pairs
}

/**
 * The text with each lone UTF-16 surrogate (only a JSON `\ud800` escape can make one: bytes are
 * decoded to U+FFFD) as U+FFFD, like every other character that cannot be read. No stored form
 * holds a lone surrogate (UTF-8 files, PostgreSQL text): kept as sent, a call id would read back
 * as another id after a restart, and the vendor's retry would be taken for a new call.
 */
const wellFormed = (s: string): string => (s as string & { toWellFormed(): string }).toWellFormed()

const isScalar = (v: unknown): boolean => v === null || typeof v !== 'object' || isLosslessNumber(v)

function scalarText(v: unknown): string {
  if (typeof v === 'string') return v
  if (v === null || v === undefined) return 'null'
  if (isLosslessNumber(v)) return v.value
  if (typeof v === 'object') return stringifyJson(v) ?? 'null'
  return String(v)
}

/**
 * Pairs → the raw record kept with a call or a rejected push. A prototype-less object, so
 * `__proto__` or `constructor` are stored as ordinary keys. A key repeated with the same value
 * is kept once; repeated with different values it holds the JSON array of every distinct value,
 * so nothing is lost (such a push is rejected anyway when the key is a call-log field).
 */
export function toRawParams(pairs: ParamPairs): RawParams {
  // Without a prototype there is no `__proto__` setter: assigning any key makes a data property.
  // Made from `{}` rather than `Object.create(null)`: V8 gives the latter a hash-table store,
  // which cost ~1 µs more to fill, ~0.6 µs more to stringify and several times the bytes the
  // young-generation GC copies for every call kept in memory; this one keeps fast properties.
  const raw = Object.setPrototypeOf({}, null) as RawParams
  // Only keys sent more than once with different values need a list (rare).
  let repeats: Map<string, string[]> | null = null
  for (const [k, v] of pairs) {
    const had = raw[k]
    if (had === undefined) raw[k] = v
    else if (had !== v) {
      repeats ??= new Map()
      const list = repeats.get(k)
      if (!list) repeats.set(k, [had, v])
      else if (!list.includes(v)) list.push(v)
    }
  }
  if (repeats) for (const [k, list] of repeats) raw[k] = JSON.stringify(list)
  return raw
}

/** A record (e.g. from a test or a stored raw) → pairs. */
export function recordToPairs(raw: RawParams): [string, string][] {
  return Object.keys(raw).map((k) => [k, raw[k] as string])
}
