import { beforeEach, describe, expect, it } from 'vitest'
import type { ContractApi } from '../../../../src/shared/contract'
import type { Dashboard, DashboardRange } from '../../../../src/shared/dashboard'
import type { CallPage, CallQuery, Holiday } from '../../../../src/shared/domain'
import type { DashboardRequest } from '../../../../src/shared/schemas'
import { createAppStore, resetAppStore } from '../../../../src/renderer/src/store'
import {
  HISTORY_PAGE_SIZE,
  loadMoreHistory,
  searchHistory,
} from '../../../../src/renderer/src/screens/history/loader'
import { loadDashboard } from '../../../../src/renderer/src/screens/dashboard/loader'
import { call, dashboardOf, periodFigures } from '../fixtures'

const store = createAppStore()
beforeEach(() => resetAppStore(store))

/** A deferred promise, so a test decides when each answer arrives. */
function deferred<T>(): {
  promise: Promise<T>
  resolve: (v: T) => void
  reject: (e: unknown) => void
} {
  let resolve!: (v: T) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<T>((a, b) => ((resolve = a), (reject = b)))
  return { promise, resolve, reject }
}

function page(ids: string[], total: number, nextCursor: string | null): CallPage {
  return { calls: ids.map((id) => call(id)), total, nextCursor }
}

describe('history slice and loader', () => {
  it('sends the filters with a page size, then the cursor; appends pages', async () => {
    const asked: CallQuery[] = []
    const pages = [page(['a', 'b'], 3, 'c1'), page(['c'], 3, null)]
    const api = { calls: { list: async (q: CallQuery) => (asked.push(q), pages.shift()!) } }
    await searchHistory({ store, api: api as unknown as ContractApi }, { status: 'MISSED' })
    expect(asked[0]).toEqual({ status: 'MISSED', limit: HISTORY_PAGE_SIZE })
    expect(store.getState().historyCalls.map((c) => c.id)).toEqual(['a', 'b'])
    expect(store.getState().historyNextCursor).toBe('c1')

    await loadMoreHistory({ store, api: api as unknown as ContractApi })
    expect(asked[1]).toEqual({ status: 'MISSED', limit: HISTORY_PAGE_SIZE, cursor: 'c1' })
    const s = store.getState()
    expect(s.historyCalls.map((c) => c.id)).toEqual(['a', 'b', 'c'])
    expect(s.historyTotal).toBe(3)
    expect(s.historyNextCursor).toBeNull()

    // No cursor left: nothing more is asked.
    await loadMoreHistory({ store, api: api as unknown as ContractApi })
    expect(asked).toHaveLength(2)
  })

  it('asks for one next page at a time even when scrolling calls it repeatedly', async () => {
    const d = deferred<CallPage>()
    let calls = 0
    const api = { calls: { list: () => (calls++, d.promise) } } as unknown as ContractApi
    store.getState().historyQueryChanged({})
    store.getState().historyPageLoaded(store.getState().historyQuery, page(['a'], 5, 'n'), false)
    void loadMoreHistory({ store, api })
    void loadMoreHistory({ store, api })
    void loadMoreHistory({ store, api })
    expect(calls).toBe(1)
    d.resolve(page(['b', 'a'], 5, null))
    await d.promise
    await Promise.resolve()
    // The same call twice (pages shifted by a new call) is shown once.
    expect(store.getState().historyCalls.map((c) => c.id)).toEqual(['a', 'b'])
  })

  it('drops a page that answers filters the user has since changed', async () => {
    const first = deferred<CallPage>()
    const second = deferred<CallPage>()
    const answers = [first.promise, second.promise]
    const api = { calls: { list: () => answers.shift()! } } as unknown as ContractApi
    const a = searchHistory({ store, api }, { status: 'ANSWER' })
    const b = searchHistory({ store, api }, { status: 'MISSED' })
    second.resolve(page(['missed'], 1, null))
    await b
    first.resolve(page(['answered'], 1, null))
    await a
    expect(store.getState().historyQuery).toEqual({ status: 'MISSED' })
    expect(store.getState().historyCalls.map((c) => c.id)).toEqual(['missed'])
  })

  it('keeps what the last page says it could not read (a damaged month)', () => {
    store.getState().historyQueryChanged({})
    const damaged = { ...page(['a'], 1, null), unreadable: [{ month: '2026-01', calls: 3 }] }
    store.getState().historyPageLoaded(store.getState().historyQuery, damaged, false)
    expect(store.getState().historyUnreadable).toEqual([{ month: '2026-01', calls: 3 }])
    store.getState().historyPageLoaded(store.getState().historyQuery, page(['a'], 1, null), false)
    expect(store.getState().historyUnreadable).toEqual([])
  })

  it('resets the pages on new filters and keeps the error of a failed page', async () => {
    store.getState().historyQueryChanged({})
    store.getState().historyPageLoaded(store.getState().historyQuery, page(['a'], 1, null), false)
    const api = {
      calls: {
        list: async () => {
          throw new Error('Cannot reach the IVR Supervisor service.')
        },
      },
    } as unknown as ContractApi
    await searchHistory({ store, api }, { q: 'x' })
    const s = store.getState()
    expect(s.historyCalls).toEqual([])
    expect(s.historyLoading).toBe(false)
    expect(s.historyError).toMatch(/Cannot reach/)
  })
})

function dashboard(range: DashboardRange, total: number): Dashboard {
  return dashboardOf(range, periodFigures(total))
}

describe('dashboard slice and loader', () => {
  it('loads the chosen period and says when', async () => {
    const asked: DashboardRequest[] = []
    const api = {
      dashboard: {
        get: async (r: DashboardRequest) => (asked.push(r), dashboard(r.range, 7)),
      },
    } as unknown as ContractApi
    const range = { range: 'custom', from: '2026-01-01', to: '2026-01-05' } as const
    await loadDashboard({ store, api, now: () => 1234 }, range)
    expect(asked).toEqual([range])
    expect(store.getState().dashboard?.totals.total).toBe(7)
    expect(store.getState().dashboardLoadedAt).toBe(1234)
    expect(store.getState().dashboardLoading).toBe(false)
  })

  it('ignores a late answer for a period the user has left', async () => {
    const slow = deferred<Dashboard>()
    const answers: Record<string, Promise<Dashboard>> = {
      '30d': slow.promise,
      today: Promise.resolve(dashboard('today', 3)),
    }
    const api = {
      dashboard: { get: ({ range }: DashboardRequest) => answers[range]! },
    } as unknown as ContractApi
    const a = loadDashboard({ store, api }, { range: '30d' })
    await loadDashboard({ store, api }, { range: 'today' })
    slow.resolve(dashboard('30d', 900))
    await a
    expect(store.getState().dashboardPeriod).toEqual({ range: 'today' })
    expect(store.getState().dashboard?.totals.total).toBe(3)
  })

  it('shows why it failed', async () => {
    const api = {
      dashboard: { get: async () => Promise.reject(new Error('boom')) },
    } as unknown as ContractApi
    await loadDashboard({ store, api }, { range: 'today' })
    expect(store.getState().dashboardError).toBe('boom')
  })
})

describe('schedule slice', () => {
  const h = (date: string, over: Partial<Holiday> = {}): Holiday => ({
    date,
    name: null,
    source: 'range',
    rule: null,
    state: 'pending',
    vendorAnswer: null,
    changeId: `c-${date}`,
    ...over,
  })
  it('sorts what it loads (first load and each holidays:updated)', () => {
    store.getState().holidaysLoaded({
      holidays: [h('2026-12-25'), h('2026-12-24')],
      rules: [],
      weekly: ['Sunday'],
    })
    expect(store.getState().holidays.map((x) => x.date)).toEqual(['2026-12-24', '2026-12-25'])
    expect(store.getState().weeklyClosed).toEqual(['Sunday'])
  })
})
