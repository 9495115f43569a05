import type { StoreApi } from 'zustand/vanilla'
import type { ContractApi } from '../../../../shared/contract'
import type { DashboardRequest } from '../../../../shared/schemas'
import { errorText } from '../../api/errors'
import type { AppState } from '../../store'

/**
 * Chooses a period and loads its aggregates; a late answer for another period is dropped. Called
 * again with the period in force (the same object), it refreshes the figures in place.
 */
export async function loadDashboard(
  deps: { store: StoreApi<AppState>; api: Pick<ContractApi, 'dashboard'>; now?: () => number },
  period: DashboardRequest,
): Promise<void> {
  deps.store.getState().dashboardPeriodChosen(period)
  try {
    const dashboard = await deps.api.dashboard.get(period)
    deps.store.getState().dashboardLoaded(period, dashboard, (deps.now ?? Date.now)())
  } catch (err) {
    deps.store.getState().dashboardFailed(period, errorText(err))
  }
}
