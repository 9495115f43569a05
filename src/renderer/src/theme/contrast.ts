/**
 * WCAG 2.1 contrast arithmetic on hex colours, for the theme: the theme asks for the nearest
 * colour of a palette that reads on every surface it is used on, instead of fixing elements one by
 * one. Pure functions (no DOM), so a unit test checks the theme's every pair.
 */

export type Rgb = [number, number, number]

export function parseHex(hex: string): Rgb {
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex.trim())
  if (!m) throw new Error(`not a hex colour: ${hex}`)
  const h = m[1]!.length === 3 ? [...m[1]!].map((c) => c + c).join('') : m[1]!
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as Rgb
}

export function toHex([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`
}

/** Relative luminance (WCAG 2.1, § 1.4.3). */
export function luminance(hex: string): number {
  const [r, g, b] = parseHex(hex).map((v) => {
    const c = v / 255
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }) as Rgb
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

/** Contrast ratio between two colours, 1 to 21. */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
  return (hi + 0.05) / (lo + 0.05)
}

/** `color` mixed with `toward` by `amount` (0: itself, 1: `toward`). */
export function mix(color: string, toward: string, amount: number): string {
  const a = parseHex(color)
  const b = parseHex(toward)
  return toHex(a.map((v, i) => v + (b[i]! - v) * amount) as Rgb)
}

/** The lowest contrast of `color` against any of `surfaces`. */
export function worstContrast(color: string, surfaces: readonly string[]): number {
  return Math.min(...surfaces.map((s) => contrast(color, s)))
}

/**
 * The first of `candidates` (a palette's shades, in the order to try) that reaches `ratio`
 * against every surface; failing all, the last one mixed toward `extreme` (black on light
 * surfaces, white on dark ones) in small steps until it does. The result is never lighter (or
 * darker) than it needs to be, so the palette's look is kept where it already reads.
 */
export function readableOn(
  candidates: readonly string[],
  surfaces: readonly string[],
  extreme: '#000000' | '#ffffff',
  ratio: number,
): string {
  for (const c of candidates) if (worstContrast(c, surfaces) >= ratio) return c
  const last = candidates.at(-1)!
  for (let step = 1; step <= 50; step++) {
    const next = mix(last, extreme, step / 50)
    if (worstContrast(next, surfaces) >= ratio) return next
  }
  return extreme
}
