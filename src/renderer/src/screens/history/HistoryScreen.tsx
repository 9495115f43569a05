import { Alert, Button, Group, Loader, Stack, Text, Title } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { useCallback, useEffect, useMemo, useState } from 'react'
import type { Call } from '../../../../shared/domain'
import { localToday } from '../../../../shared/localTime'
import { presetDates, presetOf } from '../../../../shared/periods'
import { PeriodPicker } from '../../components/PeriodPicker'
import { useNow, useTimezone } from '../../hooks'
import { useAgentName } from '../../agentNames'
import { api } from '../../api'
import { useAsyncAction } from '../../asyncAction'
import { showError, showInfo } from '../../notify'
import { plural } from '../../format'
import { appStore, useApp } from '../../store'
import { HISTORY_MAX_ROWS } from '../../store/historySlice'
import { CallDetail } from '../../components/callDetail/CallDetail'
import { EMPTY_FILTERS, filtersFromQuery, queryFromFilters, type HistoryFilters } from './filters'
import { HistoryFiltersBar, type FilterOptions } from './HistoryFiltersBar'
import { HistoryTable } from './HistoryTable'
import { loadMoreHistory, searchHistory } from './loader'

const deps = { store: appStore, api }

function useFilterOptions(calls: Call[]): FilterOptions {
  const agents = useApp((s) => s.agents)
  return useMemo(() => {
    const departments = new Set<string>()
    const circles = new Set<string>()
    for (const a of agents) if (a.department) departments.add(a.department)
    // Values seen in the first rows loaded are good suggestions; any text is accepted.
    for (const c of calls.slice(0, 2000)) {
      if (c.department) departments.add(c.department)
      if (c.circle) circles.add(c.circle)
    }
    return {
      agents: agents.map((a) => ({ value: a.number, label: a.name })),
      departments: [...departments].sort(),
      circles: [...circles].sort(),
    }
  }, [agents, calls])
}

/**
 * Call history: date presets and filters → pages from main → a virtualised table, call detail,
 * CSV export.
 */
export function HistoryScreen(): React.JSX.Element {
  const calls = useApp((s) => s.historyCalls)
  const total = useApp((s) => s.historyTotal)
  const loading = useApp((s) => s.historyLoading)
  const error = useApp((s) => s.historyError)
  const unreadable = useApp((s) => s.historyUnreadable)
  const [filters, setFilters] = useState<HistoryFilters>(() =>
    filtersFromQuery(appStore.getState().historyQuery),
  )
  const [debounced] = useDebouncedValue(filters, 300)
  const [open, setOpen] = useState<Call | null>(null)
  const agentName = useAgentName()
  const options = useFilterOptions(calls)
  const today = localToday(useNow(60_000), useTimezone())

  useEffect(() => {
    const query = queryFromFilters(debounced)
    const s = appStore.getState()
    const same = JSON.stringify(query) === JSON.stringify(s.historyQuery)
    if (!same || (s.historyTotal === null && !s.historyLoading)) void searchHistory(deps, query)
  }, [debounced])

  const onNearEnd = useCallback(() => void loadMoreHistory(deps), [])
  const refresh = (): void => void searchHistory(deps, { ...appStore.getState().historyQuery })

  const exportCsv = useAsyncAction(
    async () => {
      // Exactly the filters on screen (the debounced ones the table shows).
      const r = await api.calls.exportCsv(appStore.getState().historyQuery)
      if (r.saved)
        showInfo('CSV exported', `${plural(r.rows, 'call')}${r.path ? ` → ${r.path}` : ''}`)
    },
    (err) => showError('Could not export', err),
  )

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={2}>History</Title>
        <Group gap="xs">
          <Button variant="default" onClick={refresh}>
            Refresh
          </Button>
          <Button onClick={() => void exportCsv.run()} loading={exportCsv.busy}>
            Export CSV
          </Button>
        </Group>
      </Group>
      <PeriodPicker
        label="Dates"
        value={presetOf(filters.from, filters.to, today)}
        onChange={(preset) => setFilters({ ...filters, ...presetDates(preset, today) })}
      />
      <HistoryFiltersBar
        filters={filters}
        options={options}
        onChange={setFilters}
        onClear={() => setFilters(EMPTY_FILTERS)}
      />
      <Group gap="xs" aria-live="polite">
        <Text size="sm" c="dimmed" data-testid="history-count" data-total={total ?? undefined}>
          {total === null
            ? 'Loading…'
            : `${total.toLocaleString('en-IN')} ${total === 1 ? 'call matches' : 'calls match'}`}
          {total !== null &&
            calls.length < total &&
            ` · ${calls.length.toLocaleString('en-IN')} loaded`}
        </Text>
        {loading && <Loader size="xs" aria-label="Loading more calls" />}
      </Group>
      {unreadable.length > 0 && (
        <Alert color="red" title="Some calls could not be read" role="alert">
          {unreadable.map((u) => `${u.calls} of ${u.month}`).join(', ')}: their month file was
          damaged and set aside. Every readable call is listed; the Connection screen says what to
          do.
        </Alert>
      )}
      {error && (
        <Alert color="red" title="Could not load the history">
          {error}
        </Alert>
      )}
      {calls.length >= HISTORY_MAX_ROWS && total !== null && total > calls.length && (
        <Alert color="yellow" variant="light">
          Showing the first {HISTORY_MAX_ROWS.toLocaleString('en-IN')} calls. Narrow the filters to
          see older ones; the CSV export holds every matching call.
        </Alert>
      )}
      {total === 0 ? (
        <Text c="dimmed">No calls match these filters.</Text>
      ) : (
        <HistoryTable
          calls={calls}
          total={total}
          agentName={agentName}
          onOpen={setOpen}
          onNearEnd={onNearEnd}
        />
      )}
      <CallDetail call={open} onClose={() => setOpen(null)} onOpen={setOpen} />
    </Stack>
  )
}
