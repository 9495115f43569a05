/**
 * The keyboard shortcuts: one table for the handler and for the help dialog that lists them.
 * They are single characters, so (WCAG 2.1.4) they never fire while typing in a field, never with
 * Ctrl, Alt or Cmd held, and the help dialog turns them off.
 */
import { SCREENS, type ScreenId } from '../store/uiSlice'

/** What a key does; `null` for a key that is not a shortcut. */
export type ShortcutAction =
  | { kind: 'screen'; screen: ScreenId }
  | { kind: 'search' }
  | { kind: 'row'; step: 1 | -1 }
  | { kind: 'help' }

/** Screens in tab order get the digits 1 to 9, then 0. */
const SCREEN_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0']

export function screenKey(screen: ScreenId): string | null {
  const i = SCREENS.findIndex((s) => s.id === screen)
  return i >= 0 && i < SCREEN_KEYS.length ? SCREEN_KEYS[i]! : null
}

/** The action of a key (`KeyboardEvent.key`, so `?` whatever the keyboard layout). */
export function actionFor(key: string): ShortcutAction | null {
  const digit = SCREEN_KEYS.indexOf(key)
  if (digit >= 0) {
    const screen = SCREENS[digit]
    return screen ? { kind: 'screen', screen: screen.id } : null
  }
  if (key === '/') return { kind: 'search' }
  if (key === 'j') return { kind: 'row', step: 1 }
  if (key === 'k') return { kind: 'row', step: -1 }
  if (key === '?') return { kind: 'help' }
  return null
}

/** The rows of the help dialog, from the same table. */
export function shortcutList(): { keys: string; what: string }[] {
  return [
    ...SCREENS.flatMap((s) => {
      const key = screenKey(s.id)
      return key ? [{ keys: key, what: `Go to ${s.label}` }] : []
    }),
    { keys: '/', what: 'Search (the queue or the history; History on other screens)' },
    { keys: 'j', what: 'Next caller (the queue) or call (History)' },
    { keys: 'k', what: 'Previous caller or call' },
    { keys: '?', what: 'This list' },
    { keys: 'Esc', what: 'Close a dialog or a list' },
  ]
}

/** Roles and elements that take typed characters: a shortcut there would eat a letter. */
const TYPING_ROLES = new Set(['textbox', 'combobox', 'searchbox', 'spinbutton', 'slider'])

/** True when the key belongs to what has focus (typing, or a modifier combination). */
export function belongsToTarget(e: {
  ctrlKey: boolean
  metaKey: boolean
  altKey: boolean
  target: EventTarget | null
}): boolean {
  if (e.ctrlKey || e.metaKey || e.altKey) return true
  const el = e.target as HTMLElement | null
  if (!el || typeof el.tagName !== 'string') return false
  const tag = el.tagName.toLowerCase()
  if (tag === 'textarea' || tag === 'select') return true
  if (tag === 'input') {
    const type = (el.getAttribute('type') ?? 'text').toLowerCase()
    return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(type)
  }
  if (el.isContentEditable) return true
  return TYPING_ROLES.has(el.getAttribute('role') ?? '')
}
