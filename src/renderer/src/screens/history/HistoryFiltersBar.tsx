import { Autocomplete, Button, Group, Select, TextInput } from '@mantine/core'
import type { CallStatus } from '../../../../shared/domain'
import { STATUS_LABEL } from '../../format'
import { DayInput } from '../../components/DayInput'
import type { HistoryFilters } from './filters'

export interface FilterOptions {
  agents: { value: string; label: string }[]
  departments: string[]
  circles: string[]
}

/** Date range (local dates), status, agent, department, circle and free text. */
export function HistoryFiltersBar({
  filters,
  options,
  onChange,
  onClear,
}: {
  filters: HistoryFilters
  options: FilterOptions
  onChange: (next: HistoryFilters) => void
  onClear: () => void
}): React.JSX.Element {
  const set = <K extends keyof HistoryFilters>(key: K, value: HistoryFilters[K]): void =>
    onChange({ ...filters, [key]: value })
  return (
    <Group align="flex-end" gap={6} wrap="wrap">
      <DayInput label="From" w={130} value={filters.from} onChange={(v) => set('from', v)} />
      <DayInput label="To" w={130} value={filters.to} onChange={(v) => set('to', v)} />
      <Select
        label="Status"
        w={115}
        placeholder="Any"
        clearable
        data={(Object.keys(STATUS_LABEL) as CallStatus[]).map((s) => ({
          value: s,
          label: STATUS_LABEL[s],
        }))}
        value={filters.status}
        onChange={(v) => set('status', (v as CallStatus | null) ?? null)}
      />
      <Select
        label="Agent"
        w={150}
        placeholder="Any"
        clearable
        searchable
        data={options.agents}
        value={filters.agent}
        onChange={(v) => set('agent', v)}
      />
      <Autocomplete
        label="Department"
        w={125}
        placeholder="Any"
        data={options.departments}
        value={filters.department ?? ''}
        onChange={(v) => set('department', v || null)}
      />
      <Autocomplete
        label="Circle"
        w={125}
        placeholder="Any"
        data={options.circles}
        value={filters.circle ?? ''}
        onChange={(v) => set('circle', v || null)}
      />
      <TextInput
        label="Number, agent or text"
        w={170}
        placeholder="98765…, Asha, call id"
        data-shortcut="search"
        value={filters.text}
        onChange={(e) => set('text', e.currentTarget.value)}
      />
      <Button variant="default" onClick={onClear}>
        Clear filters
      </Button>
    </Group>
  )
}
