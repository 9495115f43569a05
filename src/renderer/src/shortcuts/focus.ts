/**
 * Where the shortcuts move focus. Screens mark their search field `data-shortcut="search"` and
 * the one control of each row `data-shortcut="row"`; only the user's own key moves focus, never a
 * pushed event.
 */

const SEARCH = '[data-shortcut="search"]'
const ROW = '[data-shortcut="row"]'

/** Focuses the screen's search field; false when the screen has none. */
export function focusSearch(root: ParentNode = document): boolean {
  const field = root.querySelector<HTMLElement>(SEARCH)
  if (!field) return false
  field.focus()
  if (field instanceof HTMLInputElement) field.select()
  return true
}

/**
 * Calls `then` once the screen's search field is there (a screen opened by the shortcut loads
 * first); gives up after `attempts` animation frames.
 */
export function whenSearchReady(then: () => void, attempts = 120): void {
  if (document.querySelector(SEARCH)) return then()
  if (attempts > 0) requestAnimationFrame(() => whenSearchReady(then, attempts - 1))
}

/** Moves focus to the next (1) or previous (-1) row from the focused one, or to the first. */
export function focusRow(step: 1 | -1, root: ParentNode = document): boolean {
  const rows = [...root.querySelectorAll<HTMLElement>(ROW)]
  if (rows.length === 0) return false
  const active = document.activeElement
  const at = rows.findIndex((r) => r === active || r.contains(active))
  const next = at < 0 ? (step === 1 ? 0 : rows.length - 1) : at + step
  const target = rows[Math.min(rows.length - 1, Math.max(0, next))]!
  target.focus()
  target.scrollIntoView({ block: 'nearest' })
  return true
}
