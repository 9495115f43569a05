/**
 * The one theme of the renderer. Mantine's default palette puts dimmed text, badges, links and
 * white-on-colour buttons below WCAG AA's 4.5:1 (gray.6 on white is 3.3:1, white on teal.6 2.6:1),
 * so the colour variables every variant reads (`-filled`, `-light-color`, `-outline`, `-text`,
 * dimmed, anchor, error) are chosen here for every palette and both schemes: the palette's own
 * nearest shade that reads on each surface it is drawn on, darkened (or lightened) further only
 * where no shade does. Components keep using plain names (`c="dimmed"`, `color="teal"`).
 */
import {
  Alert,
  Anchor,
  createTheme,
  Drawer,
  Modal,
  DEFAULT_THEME,
  type CSSVariablesResolver,
  type MantineColorsTuple,
} from '@mantine/core'
import { readableOn } from './contrast'

/** WCAG 2.1 AA for text (1.4.3) is 4.5:1; the margin covers anti-aliasing and rounding. */
export const TEXT_RATIO = 4.6
/** Focus rings and control edges (1.4.11) need 3:1 against what is next to them. */
export const EDGE_RATIO = 3

const WHITE = '#ffffff'
const BLACK = '#000000'
const gray = DEFAULT_THEME.colors.gray
const dark = DEFAULT_THEME.colors.dark

/**
 * The surfaces text is drawn on in each scheme: the body, striped and hovered table rows, cards
 * and inputs (dark.6), a highlighted row (yellow's light background).
 */
export const SURFACES = {
  light: [WHITE, gray[0], gray[1]],
  dark: [dark[7], dark[6], dark[5], dark[8]],
} as const

/** Mantine's dark-scheme light background, as `defaultCssVariablesResolver` makes it. */
function darkLight(c: MantineColorsTuple): string {
  const hex = c[9].replace('#', '')
  const half = [0, 2, 4].map((i) => Math.round(parseInt(hex.slice(i, i + 2), 16) * 0.5))
  return `#${half.map((v) => v.toString(16).padStart(2, '0')).join('')}`
}

/** The variables of one palette in one scheme (the others keep Mantine's values). */
function paletteVariables(
  name: string,
  c: MantineColorsTuple,
  scheme: 'light' | 'dark',
): Record<string, string> {
  if (scheme === 'light') {
    const text = readableOn(
      [c[6], c[7], c[8], c[9]],
      [...SURFACES.light, c[1], c[2]],
      BLACK,
      TEXT_RATIO,
    )
    const filled = readableOn([c[6], c[7], c[8], c[9]], [WHITE], BLACK, TEXT_RATIO)
    return {
      [`--mantine-color-${name}-filled`]: filled,
      [`--mantine-color-${name}-filled-hover`]: readableOn(
        [filled],
        [WHITE],
        BLACK,
        TEXT_RATIO + 1,
      ),
      [`--mantine-color-${name}-light-color`]: text,
      [`--mantine-color-${name}-outline`]: text,
      [`--mantine-color-${name}-text`]: text,
    }
  }
  const onDark = [...SURFACES.dark, darkLight(c)]
  const text = readableOn([c[4], c[3], c[2], c[1], c[0]], onDark, WHITE, TEXT_RATIO)
  const filled = readableOn([c[8], c[9]], [WHITE], BLACK, TEXT_RATIO)
  return {
    [`--mantine-color-${name}-filled`]: filled,
    [`--mantine-color-${name}-filled-hover`]: readableOn([filled], [WHITE], BLACK, TEXT_RATIO + 1),
    [`--mantine-color-${name}-light-color`]: readableOn([c[0]], onDark, WHITE, TEXT_RATIO),
    [`--mantine-color-${name}-outline`]: text,
    [`--mantine-color-${name}-text`]: text,
  }
}

/**
 * Mantine merges these over its own variables. Besides the palettes: dimmed and placeholder text
 * (a placeholder such as "Any" carries meaning here), links, errors, the border of every input and
 * check box, and the focus ring.
 */
export const cssVariablesResolver: CSSVariablesResolver = (theme) => {
  const scheme = (
    which: 'light' | 'dark',
    dimmed: string,
    edge: [string, string],
  ): Record<string, string> => {
    const vars: Record<string, string> = {}
    for (const [name, palette] of Object.entries(theme.colors))
      Object.assign(vars, paletteVariables(name, palette, which))
    const extreme = which === 'light' ? BLACK : WHITE
    const primaryText = vars[`--mantine-color-${theme.primaryColor}-text`]!
    return {
      ...vars,
      '--mantine-color-dimmed': dimmed,
      '--mantine-color-placeholder': dimmed,
      '--mantine-color-anchor': primaryText,
      '--mantine-color-error': vars['--mantine-color-red-text']!,
      '--ivrs-control-border': readableOn(edge, SURFACES[which], extreme, EDGE_RATIO),
      '--ivrs-focus': primaryText,
    }
  }
  return {
    variables: {},
    light: scheme(
      'light',
      readableOn([gray[6]], [...SURFACES.light, theme.colors.yellow[1]], BLACK, TEXT_RATIO),
      [gray[5], gray[6]],
    ),
    dark: scheme('dark', readableOn([dark[2]], SURFACES.dark, WHITE, TEXT_RATIO), [
      dark[3],
      dark[2],
    ]),
  }
}

export const theme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'md',
  // Transitions and animations off when the system asks for reduced motion.
  respectReducedMotion: true,
  components: {
    // A link in a line of text is told apart by its underline, not by its colour alone.
    Anchor: Anchor.extend({ defaultProps: { underline: 'always' } }),
    // Every dialog's × has a name.
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
    Drawer: Drawer.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
    Alert: Alert.extend({ defaultProps: { closeButtonLabel: 'Close' } }),
  },
})
