/**
 * The one place that wires the contract to the store: subscribes to every push and loads the
 * first data. Main is the only writer of the store's facts: they change here, on main's events
 * (and on the first load); replies to the screens' requests feed toasts and form errors only.
 * Returns the function that undoes it (React strict mode, tests).
 */
import type { StoreApi } from 'zustand/vanilla'
import { mayUse, type ContractApi } from '../../shared/contract'
import type { Call } from '../../shared/domain'
import { errorText } from './api/errors'
import type { StreamState } from './api/http'
import type { AppState } from './store'

/** The feed's first page size. */
export const FIRST_PAGE = 200

export interface BootstrapOptions {
  store: StoreApi<AppState>
  api: ContractApi
  /** Follows the event stream (browser mode), for the header to show it. */
  onStreamState?: (listener: (state: StreamState) => void) => () => void
  /** Shows a toast for a call that was just stored. */
  toast?: (call: Call) => void
}

/** Loads everything the screens show from main's events. Failures end up in `loadError`. */
export async function loadAll(store: StoreApi<AppState>, api: ContractApi): Promise<void> {
  const s = store.getState()
  const results = await Promise.allSettled([
    api.health.get().then(s.healthChanged),
    api.settings.get().then(s.settingsChanged),
    api.calls.list({ limit: FIRST_PAGE }).then((p) => s.feedLoadedFrom(p.calls)),
    api.missed.list().then(s.missedQueueChanged),
    api.agents.list().then(s.agentsLoadedFrom),
    api.changes.list().then(s.changesLoadedFrom),
    api.pushes.rejected({ limit: 100 }).then(s.rejectedLoadedFrom),
    api.holidays.list().then(s.holidaysLoaded),
    api.officeHours.list().then(s.officeHoursLoaded),
    api.schedule.status().then(s.openStateLoaded),
    api.team.get().then(s.teamChanged),
    api.session.get().then(async (session) => {
      s.sessionLoaded(session)
      if (mayUse(session.role, 'accounts:list')) s.accountsLoaded(await api.accounts.list())
    }),
  ])
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
  s.loadFailed(failed ? errorText(failed.reason) : null)
}

export function startBootstrap(options: BootstrapOptions): () => void {
  const { store, api } = options
  const s = store.getState()
  const offs = [
    api.on('call:stored', ({ call, outcome }) => {
      store.getState().callReceived(call, outcome)
      if (outcome === 'created') options.toast?.(call)
    }),
    api.on('agent:updated', s.agentUpdated),
    api.on('agent:removed', ({ number }) => s.agentRemoved(number)),
    api.on('change:updated', s.changeUpdated),
    api.on('missed:updated', s.missedQueueChanged),
    api.on('health:changed', s.healthChanged),
    api.on('push:rejected', s.pushRejected),
    api.on('holidays:updated', s.holidaysLoaded),
    api.on('officeHours:updated', s.officeHoursLoaded),
    api.on('schedule:updated', s.openStateLoaded),
    api.on('settings:updated', s.settingsChanged),
    api.on('app:openCall', ({ id }) => {
      s.callOpenRequested(id)
      s.navigated('live')
    }),
    api.on('accounts:updated', s.accountsLoaded),
    api.on('team:updated', s.teamChanged),
    // A reconnect gets what it missed replayed; past the server's window, after a restart or a
    // change of role, main says to load everything again.
    api.on('app:reload', () => void loadAll(store, api)),
  ]
  if (options.onStreamState) {
    offs.push(options.onStreamState((state) => store.getState().streamStateChanged(state)))
  } else {
    s.streamStateChanged('open')
  }
  void loadAll(store, api)
  return () => offs.forEach((off) => off())
}
