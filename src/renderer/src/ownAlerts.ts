/**
 * Alert choices that belong to the person looking, in this browser: which calls alert, quiet
 * outside office hours, pause and sound. The team's settings are everyone's defaults (an admin's
 * to change); each person, viewer and supervisor included, may choose otherwise for themselves,
 * and one person pausing alerts pauses nobody else's. Kept in the browser's storage, by person,
 * since a browser is one person's screen at a time. The desktop app keeps its own in its own
 * settings instead (see the team client): there, the settings are already the desktop's.
 */
import { useStore } from 'zustand'
import { createJSONStorage, persist, type StateStorage } from 'zustand/middleware'
import { createStore, type StoreApi } from 'zustand/vanilla'
import type { Settings } from '../../shared/domain'
import type { Session } from '../../shared/team'
import { transportKind } from './api'
import { appStore, useApp } from './store'

/** The choices a person may make for themselves. */
export const ALERT_CHOICES = [
  'notify',
  'quietOutsideOfficeHours',
  'alertsPaused',
  'alertSound',
] as const satisfies readonly (keyof Settings)[]

export type AlertChoices = Pick<Settings, (typeof ALERT_CHOICES)[number]>

export interface OwnAlertsState {
  /** Each person's own choices, by {@link personKey}; what they did not choose is the team's. */
  byPerson: Record<string, Partial<AlertChoices>>
  chose: (person: string, choice: Partial<AlertChoices>) => void
  /** Back to the team's defaults. */
  reset: (person: string) => void
}

/** Who the choices belong to: an account by its name, or the owner (the launch token's holder). */
export function personKey(session: Pick<Session, 'name' | 'owner'> | null): string | null {
  if (!session) return null
  return session.owner ? '(owner)' : `person:${session.name}`
}

/** The settings with a person's own choices over the team's defaults. */
export function withOwnAlerts(
  settings: Settings | null,
  own: Partial<AlertChoices> | undefined,
): Settings | null {
  if (!settings || !own) return settings
  const picked = Object.fromEntries(
    ALERT_CHOICES.filter((k) => own[k] !== undefined).map((k) => [k, own[k]]),
  )
  return { ...settings, ...picked }
}

/** The browser's storage, when it has one (not in tests on Node, nor with storage blocked). */
function browserStorage(): StateStorage {
  try {
    if (typeof localStorage !== 'undefined') return localStorage
  } catch {
    // Storage blocked: the choices last as long as the page.
  }
  const memory = new Map<string, string>()
  return {
    getItem: (k) => memory.get(k) ?? null,
    setItem: (k, v) => void memory.set(k, v),
    removeItem: (k) => void memory.delete(k),
  }
}

export function createOwnAlertsStore(
  storage: StateStorage = browserStorage(),
): StoreApi<OwnAlertsState> {
  return createStore<OwnAlertsState>()(
    persist(
      (set) => ({
        byPerson: {},
        chose: (person, choice) =>
          set((s) => ({
            byPerson: { ...s.byPerson, [person]: { ...s.byPerson[person], ...choice } },
          })),
        reset: (person) =>
          set((s) => {
            const { [person]: _gone, ...rest } = s.byPerson
            return { byPerson: rest }
          }),
      }),
      {
        name: 'ivrs.alerts',
        storage: createJSONStorage(() => storage),
        partialize: (s) => ({ byPerson: s.byPerson }),
      },
    ),
  )
}

/** This browser's choices. */
export const ownAlertsStore = createOwnAlertsStore()

export function useOwnAlerts<T>(selector: (state: OwnAlertsState) => T): T {
  return useStore(ownAlertsStore, selector)
}

/** Whose choices apply in this window: the person's own in a browser; a desktop's are its settings. */
function ownChoicesApply(): boolean {
  return transportKind() === 'http'
}

/** The settings alerts follow right now (for the alerting code, outside React). */
export function alertSettingsNow(): Settings | null {
  const { settings, session } = appStore.getState()
  if (!ownChoicesApply()) return settings
  const key = personKey(session)
  return withOwnAlerts(settings, key ? ownAlertsStore.getState().byPerson[key] : undefined)
}

/** The settings alerts follow, for a screen (the alert strip, Settings). */
export function useAlertSettings(): Settings | null {
  const settings = useApp((s) => s.settings)
  const key = useApp((s) => personKey(s.session))
  const own = useOwnAlerts((s) => (key ? s.byPerson[key] : undefined))
  return ownChoicesApply() ? withOwnAlerts(settings, own) : settings
}
