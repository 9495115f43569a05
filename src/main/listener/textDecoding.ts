/**
 * Windows-1252, the legacy code page of Windows senders (and what the Encoding Standard reads for
 * `iso-8859-1`, `latin1` and `us-ascii` labels too): Latin-1 but for 0x80-0x9F, which hold `€`,
 * curly quotes, dashes and the like. Written here because Node 20's `TextDecoder('windows-1252')`
 * decodes those 32 bytes as Latin-1 control characters (fixed in later Node versions), so a
 * Windows sender's `“Sales”` became `\u0093Sales\u0094`.
 */
const HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152,
  0x8d, 0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122,
  0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
].map((c) => String.fromCharCode(c))

export function decodeWindows1252(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('latin1')
    .replace(/[\x80-\x9f]/g, (c) => HIGH[c.charCodeAt(0) - 0x80]!)
}

/**
 * A decoder for the character set `label` names (throws RangeError for a label it does not know),
 * with {@link decodeWindows1252} wherever the Encoding Standard reads Windows-1252.
 */
export function decoderFor(label: string): { encoding: string; decode(bytes: Uint8Array): string } {
  const decoder = new TextDecoder(label)
  if (decoder.encoding !== 'windows-1252') return decoder
  return { encoding: decoder.encoding, decode: decodeWindows1252 }
}

/** Each run of `%XX` escapes in `s`, as the text `decode` reads from its bytes. */
export function decodeEscapeRuns(s: string, decode: (bytes: Uint8Array) => string): string {
  return s.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) =>
    decode(Buffer.from(run.replace(/%/g, ''), 'hex')),
  )
}
