import { Alert, Anchor, Button, Group, Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import { useMemo, useState } from 'react'
import type { PeriodFigures } from '../../../../shared/dashboard'
import { formatClock, formatDate } from '../../../../shared/dateTime'
import { localDateTime, localToday } from '../../../../shared/localTime'
import { MISSED_QUEUE_NAME, waitingText } from '../../../../shared/missedQueue'
import { chosenRange, type PeriodPreset } from '../../../../shared/periods'
import type { DashboardRequest } from '../../../../shared/schemas'
import { api } from '../../api'
import { DayInput } from '../../components/DayInput'
import { PeriodPicker } from '../../components/PeriodPicker'
import { UpdatedAgo } from '../../components/UpdatedAgo'
import { useTimezone } from '../../hooks'
import { hashFor } from '../../routing'
import { appStore, useApp } from '../../store'
import { AgentTable } from './AgentTable'
import { DropoffChart, StatusChart } from './Charts'
import { loadDashboard } from './loader'
import { useDashboardFollowingCalls } from './refresh'
import { ServiceLevelTarget } from './ServiceLevelTarget'
import { StatCards } from './StatCards'

const deps = { store: appStore, api }

/** `1 Dec 2026 to 7 Dec 2026`, or one date; `until 3:42 pm` when cut at a time of day. */
export function periodText(p: Pick<PeriodFigures, 'from' | 'to' | 'until'>, zone: string): string {
  const days = p.from === p.to ? formatDate(p.from) : `${formatDate(p.from)} to ${formatDate(p.to)}`
  if (!p.until) return days
  return `${days} until ${formatClock(localDateTime(Date.parse(p.until), zone).time)}`
}

/** From and To of a chosen range, checked as they are typed by the rule main applies. */
function RangeForm({ onShow }: { onShow: (from: string, to: string) => void }): React.JSX.Element {
  const zone = useTimezone()
  const shown = useApp((s) => s.dashboard)
  const [from, setFrom] = useState<string | null>(shown?.from ?? null)
  const [to, setTo] = useState<string | null>(shown?.to ?? null)
  const [error, setError] = useState<string | null>(null)
  const submit = (): void => {
    if (!from || !to) return setError('Choose the first and the last day.')
    const checked = chosenRange(from, to, localToday(Date.now(), zone))
    if ('error' in checked) return setError(checked.error)
    setError(null)
    onShow(from, to)
  }
  return (
    <form
      aria-label="Chosen range"
      onSubmit={(e) => {
        e.preventDefault()
        submit()
      }}
    >
      <Group gap="xs" align="flex-start" wrap="wrap">
        <DayInput label="First day" w={150} value={from} onChange={setFrom} error={error} />
        <DayInput label="Last day" w={150} value={to} onChange={setTo} />
        <Button type="submit" mt={25}>
          Show
        </Button>
      </Group>
    </form>
  )
}

/**
 * Dashboard: stat cards beside the period before, the service level, the agents' table and charts
 * for today, yesterday, 7 or 30 days or a chosen range (days in the configured zone), followed live.
 */
export function DashboardScreen(): React.JSX.Element {
  const period = useApp((s) => s.dashboardPeriod)
  const dashboard = useApp((s) => s.dashboard)
  const loadedAt = useApp((s) => s.dashboardLoadedAt)
  const loading = useApp((s) => s.dashboardLoading)
  const error = useApp((s) => s.dashboardError)
  const waiting = useApp((s) => s.missedOpenCount)
  const directory = useApp((s) => s.agents)
  const [choosing, setChoosing] = useState(period.range === 'custom')
  useDashboardFollowingCalls()

  const perAgent = useMemo(
    () => (dashboard?.perAgent ?? []).map((a) => ({ ...a, agent: a.name ?? a.agentNumber })),
    [dashboard],
  )
  const shown = dashboard && dashboard.range === period.range ? dashboard : null
  const choose = (next: DashboardRequest): void => void loadDashboard(deps, next)

  return (
    <Stack gap="sm">
      <Group justify="space-between" gap="sm">
        <Group gap="sm">
          <Title order={2}>Dashboard</Title>
          {loading && <Loader size="xs" aria-label="Loading the dashboard" />}
        </Group>
        <Group gap="sm" wrap="wrap">
          <PeriodPicker<PeriodPreset | 'custom'>
            label="Period"
            value={choosing ? 'custom' : period.range}
            range={{ value: 'custom', label: 'Range…' }}
            onChange={(v) => {
              setChoosing(v === 'custom')
              if (v !== 'custom') choose({ range: v })
            }}
          />
          <Button variant="default" size="xs" onClick={() => choose(period)}>
            Refresh
          </Button>
          <Anchor href={hashFor('wallboard')} size="sm">
            Open the wallboard
          </Anchor>
        </Group>
      </Group>
      {choosing && <RangeForm onShow={(from, to) => choose({ range: 'custom', from, to })} />}
      {error && (
        <Alert color="red" title="Could not load the dashboard">
          {error}
        </Alert>
      )}
      {shown && (
        <>
          <Group justify="space-between" gap="xs">
            <Text size="sm" data-testid="dashboard-period">
              {periodText(shown, shown.timezone)} ({shown.timezone}), beside{' '}
              <span data-testid="dashboard-previous">
                {periodText(shown.previous, shown.timezone)}
              </span>
            </Text>
            <Group gap="md">
              <UpdatedAgo at={loadedAt} />
              <Anchor href={hashFor('missed')} size="sm" data-testid="dashboard-waiting">
                {MISSED_QUEUE_NAME} now: {waitingText(waiting)}
              </Anchor>
            </Group>
          </Group>
          <Text size="sm">
            Calls are counted when they end: the vendor reports each call once it is over.
          </Text>
          <StatCards dashboard={shown} beside={{ serviceLevel: <ServiceLevelTarget /> }} />
          <AgentTable perAgent={shown.perAgent} directory={directory} timezone={shown.timezone} />
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
            <StatusChart title="Calls per hour" data={shown.perHour} category="hour" />
            <DropoffChart data={shown.ivrDropoff} />
            <StatusChart
              title="Per agent"
              data={perAgent}
              category="agent"
              horizontal
              height={Math.max(200, perAgent.length * 28 + 60)}
            />
            <StatusChart
              title="Per department"
              data={shown.perDepartment}
              category="department"
              horizontal
              height={Math.max(200, shown.perDepartment.length * 28 + 60)}
            />
            <StatusChart
              title="Per circle"
              data={shown.perCircle}
              category="circle"
              horizontal
              height={Math.max(200, shown.perCircle.length * 28 + 60)}
            />
          </SimpleGrid>
        </>
      )}
    </Stack>
  )
}
