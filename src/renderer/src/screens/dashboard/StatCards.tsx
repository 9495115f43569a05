import { Card, SimpleGrid, Text } from '@mantine/core'
import type { Dashboard } from '../../../../shared/dashboard'
import { formatSeconds } from '../../format'

/** `0.8765` → `87.7%`; null → `–`. */
export function formatRate(rate: number | null): string {
  return rate === null ? '–' : `${(rate * 100).toFixed(1)}%`
}

/** Minutes → `42 min`, `1 h 5 min`; null → `–`. */
export function formatMinutes(minutes: number | null): string {
  if (minutes === null || !Number.isFinite(minutes)) return '–'
  const m = Math.round(minutes)
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`
}

/** The stat cards, in reading order: label, shown value, and a hint. */
export function statCards(d: Dashboard): { label: string; value: string; hint?: string }[] {
  const t = d.totals
  return [
    { label: 'Calls', value: String(t.total) },
    { label: 'Answered', value: String(t.answered) },
    { label: 'Missed', value: String(t.missed) },
    { label: 'Dropped', value: String(t.dropped), hint: 'Hung up in the IVR' },
    { label: 'Answer rate', value: formatRate(t.answerRate) },
    { label: 'Average IVR wait', value: formatSeconds(t.avgIvrSeconds) },
    { label: 'Average talk time', value: formatSeconds(t.avgTalkSeconds) },
    { label: 'Missed calls called back', value: String(t.calledBack) },
    { label: 'Median time to call back', value: formatMinutes(t.medianCallbackMinutes) },
  ]
}

export function StatCards({ dashboard }: { dashboard: Dashboard }): React.JSX.Element {
  return (
    <SimpleGrid cols={{ base: 3, md: 5, xl: 9 }} spacing="xs">
      {statCards(dashboard).map((s) => (
        <Card key={s.label} withBorder padding="sm" role="group" aria-label={s.label}>
          <Text size="xs" c="dimmed" lineClamp={1} title={s.label}>
            {s.label}
          </Text>
          <Text size="xl" fw={700} data-stat-value>
            {s.value}
          </Text>
          {s.hint && (
            <Text size="xs" c="dimmed">
              {s.hint}
            </Text>
          )}
        </Card>
      ))}
    </SimpleGrid>
  )
}
