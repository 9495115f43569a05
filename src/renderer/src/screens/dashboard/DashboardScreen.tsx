import {
  Alert,
  Anchor,
  Button,
  Group,
  Loader,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core'
import { useEffect, useMemo } from 'react'
import type { DashboardRange } from '../../../../shared/dashboard'
import { formatDate } from '../../../../shared/dateTime'
import { MISSED_QUEUE_NAME, waitingText } from '../../../../shared/missedQueue'
import { hashFor } from '../../routing'
import { api } from '../../api'
import { appStore, useApp } from '../../store'
import { DropoffChart, StatusChart } from './Charts'
import { loadDashboard } from './loader'
import { StatCards } from './StatCards'

const deps = { store: appStore, api }
/** The figures move with every call; refresh while the screen is shown. */
const REFRESH_MS = 60_000

const RANGES: { value: DashboardRange; label: string }[] = [
  { value: 'today', label: 'Today' },
  { value: '7d', label: '7 days' },
  { value: '30d', label: '30 days' },
]

/** Dashboard: stat cards and charts for today, 7 or 30 days (days in the configured zone). */
export function DashboardScreen(): React.JSX.Element {
  const range = useApp((s) => s.dashboardRange)
  const dashboard = useApp((s) => s.dashboard)
  const loading = useApp((s) => s.dashboardLoading)
  const error = useApp((s) => s.dashboardError)
  const waiting = useApp((s) => s.missedOpenCount)

  useEffect(() => {
    void loadDashboard(deps, appStore.getState().dashboardRange)
    const t = setInterval(
      () => void loadDashboard(deps, appStore.getState().dashboardRange),
      REFRESH_MS,
    )
    return () => clearInterval(t)
  }, [])

  const perAgent = useMemo(
    () => (dashboard?.perAgent ?? []).map((a) => ({ ...a, agent: a.name ?? a.agentNumber })),
    [dashboard],
  )
  const shown = dashboard && dashboard.range === range ? dashboard : null

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Group gap="sm">
          <Title order={2}>Dashboard</Title>
          {loading && <Loader size="xs" aria-label="Loading the dashboard" />}
        </Group>
        <Group gap="sm">
          <SegmentedControl
            aria-label="Period"
            value={range}
            onChange={(v) => void loadDashboard(deps, v as DashboardRange)}
            data={RANGES}
          />
          <Button variant="default" onClick={() => void loadDashboard(deps, range)}>
            Refresh
          </Button>
        </Group>
      </Group>
      {error && (
        <Alert color="red" title="Could not load the dashboard">
          {error}
        </Alert>
      )}
      {shown && (
        <>
          <Group justify="space-between" gap="xs">
            <Text size="sm" c="dimmed" data-testid="dashboard-period">
              {shown.from === shown.to
                ? formatDate(shown.from)
                : `${formatDate(shown.from)} to ${formatDate(shown.to)}`}{' '}
              ({shown.timezone})
            </Text>
            <Anchor href={hashFor('missed')} size="sm" data-testid="dashboard-waiting">
              {MISSED_QUEUE_NAME} now: {waitingText(waiting)}
            </Anchor>
          </Group>
          <StatCards dashboard={shown} />
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
