import { isScreenId, type ScreenId } from './store/uiSlice'

/** `#/missed` → `missed`; anything else (including `#token=…`) → the Live feed. */
export function screenFromHash(hash: string): ScreenId {
  const id = hash.replace(/^#\/?/, '')
  return isScreenId(id) ? id : 'live'
}

export function hashFor(screen: ScreenId): string {
  return `#/${screen}`
}
