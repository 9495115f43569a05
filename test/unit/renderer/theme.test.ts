/**
 * Every colour pair the theme draws, checked with WCAG's arithmetic: for each palette and each
 * variant Mantine resolves (filled, light, outline, subtle, default), the text against its own
 * background or, when the background is transparent, against every surface of the scheme; dimmed
 * text, placeholders, links and errors on every surface; control edges and the focus ring at
 * 3:1. The variables are resolved the way Mantine merges them (its defaults, then ours).
 */
import {
  DEFAULT_THEME,
  defaultCssVariablesResolver,
  defaultVariantColorsResolver,
  mergeMantineTheme,
  toRgba,
  type MantineTheme,
} from '@mantine/core'
import { describe, expect, it } from 'vitest'
import { contrast, mix, readableOn, toHex } from '../../../src/renderer/src/theme/contrast'
import { cssVariablesResolver, SURFACES, theme } from '../../../src/renderer/src/theme'

type Scheme = 'light' | 'dark'
type Vars = Record<string, string>

const merged: MantineTheme = mergeMantineTheme(DEFAULT_THEME, theme)

function variablesOf(withOurs: boolean): Record<Scheme, Vars> {
  const base = defaultCssVariablesResolver(merged)
  const ours = withOurs ? cssVariablesResolver(merged) : { variables: {}, light: {}, dark: {} }
  const shared = { ...base.variables, ...ours.variables } as Vars
  return {
    light: { ...shared, ...base.light, ...ours.light } as Vars,
    dark: { ...shared, ...base.dark, ...ours.dark } as Vars,
  }
}

/** A CSS colour value as hex over `under` (alpha composited); null when transparent. */
function resolve(value: string, vars: Vars, under: string): string | null {
  const v = value.trim()
  const ref = /^var\((--[\w-]+)\)$/.exec(v)
  if (ref) {
    const next = vars[ref[1]!]
    if (next === undefined) throw new Error(`no variable ${ref[1]}`)
    return resolve(next, vars, under)
  }
  if (v === 'transparent') return null
  const { r, g, b, a } = toRgba(v)
  return mix(under, toHex([r, g, b]), a)
}

interface Pair {
  what: string
  ratio: number
}

/** The lowest contrast of each pair the theme draws in one scheme. */
function pairs(vars: Vars, scheme: Scheme): Pair[] {
  const surfaces = SURFACES[scheme]
  const body = surfaces[0]
  const out: Pair[] = []
  const onSurfaces = (what: string, value: string, min = 4.5): void => {
    for (const s of surfaces)
      out.push({ what: `${what} on ${s}`, ratio: contrast(resolve(value, vars, s)!, s) / min })
  }
  for (const color of Object.keys(merged.colors)) {
    for (const variant of ['filled', 'light', 'outline', 'subtle', 'default'] as const) {
      const r = defaultVariantColorsResolver({ color, theme: merged, variant })
      const bg = resolve(r.background!, vars, body)
      if (bg) {
        const fg = resolve(r.color!, vars, bg)!
        out.push({ what: `${color} ${variant}`, ratio: contrast(fg, bg) / 4.5 })
      } else onSurfaces(`${color} ${variant}`, r.color!)
    }
    onSurfaces(`c="${color}" text`, `var(--mantine-color-${color}-text)`)
  }
  onSurfaces('dimmed', 'var(--mantine-color-dimmed)')
  onSurfaces('placeholder', 'var(--mantine-color-placeholder)')
  onSurfaces('link', 'var(--mantine-color-anchor)')
  onSurfaces('error', 'var(--mantine-color-error)')
  if (vars['--ivrs-control-border']) {
    onSurfaces('control edge', 'var(--ivrs-control-border)', 3)
    onSurfaces('focus ring', 'var(--ivrs-focus)', 3)
  }
  if (scheme === 'light') {
    // A highlighted row (the call a notification opened) is yellow's light background.
    const row = resolve('var(--mantine-color-yellow-light)', vars, body)!
    out.push({
      what: 'dimmed on a highlighted row',
      ratio: contrast(resolve('var(--mantine-color-dimmed)', vars, row)!, row) / 4.5,
    })
  }
  return out
}

const failing = (ps: Pair[]): string[] =>
  ps.filter((p) => p.ratio < 1).map((p) => `${p.what}: ${(p.ratio * 4.5).toFixed(2)}`)

describe('contrast arithmetic', () => {
  it('matches WCAG for known pairs', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5)
    expect(contrast('#868e96', '#ffffff')).toBeCloseTo(3.32, 2)
    expect(contrast('#ffffff', '#ffffff')).toBe(1)
  })

  it('keeps a palette shade that already reads, and darkens only when none does', () => {
    expect(readableOn(['#495057'], ['#ffffff'], '#000000', 4.5)).toBe('#495057')
    expect(readableOn(['#868e96', '#495057'], ['#ffffff'], '#000000', 4.5)).toBe('#495057')
    const darker = readableOn(['#fab005'], ['#ffffff'], '#000000', 4.5)
    expect(contrast(darker, '#ffffff')).toBeGreaterThanOrEqual(4.5)
    expect(contrast(darker, '#ffffff')).toBeLessThan(5.2)
  })
})

describe('the theme', () => {
  for (const scheme of ['light', 'dark'] as const) {
    it(`draws every variant, text and edge readably in ${scheme} mode`, () => {
      const ps = pairs(variablesOf(true)[scheme], scheme)
      expect(ps.length).toBeGreaterThan(100)
      expect(failing(ps)).toEqual([])
    })
  }

  it("fixes what Mantine's own variables get wrong (dimmed, teal badges, white on orange)", () => {
    const before = [
      ...failing(pairs(variablesOf(false).light, 'light')),
      ...failing(pairs(variablesOf(false).dark, 'dark')),
    ]
    expect(before).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^dimmed on #ffffff: 3\.3/),
        expect.stringMatching(/^teal light: 4\.3/),
        expect.stringMatching(/^orange filled: 2\.5/),
        expect.stringMatching(/^dimmed on #2e2e2e: 3\.5/),
      ]),
    )
  })
})
