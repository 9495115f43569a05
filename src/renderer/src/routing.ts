import { isScreenId, type ScreenId } from './store/uiSlice'

/** Where an address leads: a screen of the app, or the wallboard (full screen, no tabs). */
export type Route = ScreenId | 'wallboard'

/**
 * `#/missed` → `missed`; anything else (including `#token=…` and `#/`) → the first screen:
 * the Live feed, or on a phone the Missed & dropped queue (`fallback`).
 */
export function screenFromHash(hash: string, fallback: ScreenId = 'live'): ScreenId {
  const id = hash.replace(/^#\/?/, '')
  return isScreenId(id) ? id : fallback
}

/** `#/wallboard`: the read-only wall screen instead of the app. */
export function isWallboardHash(hash: string): boolean {
  return hash.replace(/^#\/?/, '') === 'wallboard'
}

export function hashFor(route: Route): string {
  return `#/${route}`
}
