import type { StoreApi } from 'zustand/vanilla'
import type { ContractApi } from '../../../../shared/contract'
import type { DashboardRange } from '../../../../shared/dashboard'
import { errorText } from '../../api/errors'
import type { AppState } from '../../store'

/** Chooses a range and loads its aggregates; a late answer for another range is dropped. */
export async function loadDashboard(
  deps: { store: StoreApi<AppState>; api: Pick<ContractApi, 'dashboard'> },
  range: DashboardRange,
): Promise<void> {
  deps.store.getState().dashboardRangeChosen(range)
  try {
    deps.store.getState().dashboardLoaded(await deps.api.dashboard.get({ range }))
  } catch (err) {
    deps.store.getState().dashboardFailed(range, errorText(err))
  }
}
