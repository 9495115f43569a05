/** Fetches history pages from main for the filters in the store (first page, then more). */
import type { StoreApi } from 'zustand/vanilla'
import type { ContractApi } from '../../../../shared/contract'
import type { CallQuery } from '../../../../shared/domain'
import { errorText } from '../../api/errors'
import type { AppState } from '../../store'
import { HISTORY_MAX_ROWS } from '../../store/historySlice'

export const HISTORY_PAGE_SIZE = 100

type Deps = { store: StoreApi<AppState>; api: Pick<ContractApi, 'calls'> }

async function fetchPage(deps: Deps, query: CallQuery, cursor: string | null): Promise<void> {
  const { store, api } = deps
  try {
    const page = await api.calls.list({
      ...query,
      limit: HISTORY_PAGE_SIZE,
      ...(cursor ? { cursor } : {}),
    })
    store.getState().historyPageLoaded(query, page, cursor !== null)
  } catch (err) {
    store.getState().historyPageFailed(query, errorText(err))
  }
}

/** New filters (or a refresh): drops the pages held and loads the first one. */
export function searchHistory(deps: Deps, query: CallQuery): Promise<void> {
  deps.store.getState().historyQueryChanged(query)
  return fetchPage(deps, deps.store.getState().historyQuery, null)
}

/**
 * The next page, when there is one and none is on its way (scrolling near the end calls this
 * often; only the first call fetches).
 */
export function loadMoreHistory(deps: Deps): Promise<void> {
  const s = deps.store.getState()
  if (s.historyLoading || !s.historyNextCursor || s.historyCalls.length >= HISTORY_MAX_ROWS)
    return Promise.resolve()
  s.historyMoreRequested()
  return fetchPage(deps, s.historyQuery, s.historyNextCursor)
}
