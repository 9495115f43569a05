/** Loads holidays, office hours and the open/closed indicator into the schedule slice. */
import type { StoreApi } from 'zustand/vanilla'
import type { ContractApi } from '../../../../shared/contract'
import type { Change } from '../../../../shared/domain'
import type { AppState } from '../../store'

type Deps = {
  store: StoreApi<AppState>
  api: Pick<ContractApi, 'holidays' | 'officeHours' | 'schedule'>
}

export async function reloadHolidays({ store, api }: Deps): Promise<void> {
  store.getState().holidaysLoaded(await api.holidays.list())
}

export async function reloadOfficeHours({ store, api }: Deps): Promise<void> {
  const [hours, open] = await Promise.all([api.officeHours.list(), api.schedule.status()])
  store.getState().officeHoursLoaded(hours)
  store.getState().openStateLoaded(open)
}

/** Per store and list: a reload running, and whether another was asked for meanwhile. */
const reloads = new WeakMap<object, Map<string, { again: boolean }>>()

/** Runs `fn` now, or once more after the running one when called again meanwhile. */
function coalesced(owner: object, key: string, fn: () => Promise<void>): Promise<void> {
  let byKey = reloads.get(owner)
  if (!byKey) reloads.set(owner, (byKey = new Map()))
  const running = byKey.get(key)
  if (running) {
    running.again = true
    return Promise.resolve()
  }
  const state = { again: false }
  byKey.set(key, state)
  const loop = async (): Promise<void> => {
    try {
      do {
        state.again = false
        await fn().catch(() => undefined)
      } while (state.again)
    } finally {
      byKey.delete(key)
    }
  }
  return loop()
}

/**
 * Follows a `change:updated` push: the item's state is updated at once, then the list is
 * fetched again (a range of holidays sends many changes: reloads are coalesced).
 */
export function followScheduleChange(deps: Deps, change: Change): Promise<void> {
  deps.store.getState().scheduleChangeProgressed(change)
  if (change.kind === 'holiday')
    return coalesced(deps.store, 'holidays', async () => {
      await reloadHolidays(deps)
      deps.store.getState().openStateLoaded(await deps.api.schedule.status())
    })
  if (change.kind === 'office-time')
    return coalesced(deps.store, 'officeHours', () => reloadOfficeHours(deps))
  return Promise.resolve()
}
