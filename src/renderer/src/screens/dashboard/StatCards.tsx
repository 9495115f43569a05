import { Card, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import type { Dashboard, HoursSplit } from '../../../../shared/dashboard'
import { formatSeconds } from '../../format'

/** `0.8765` → `87.7%`; null → `–`. */
export function formatRate(rate: number | null): string {
  return rate === null ? '–' : `${(rate * 100).toFixed(1)}%`
}

/** Minutes → `42 min`, `1 h 5 min`, `under 1 min`; null → `–` (never `0 min` for none). */
export function formatMinutes(minutes: number | null): string {
  if (minutes === null || !Number.isFinite(minutes)) return '–'
  if (minutes < 1) return 'under 1 min'
  const m = Math.round(minutes)
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`
}

export interface StatCard {
  label: string
  value: string
  hint?: string
}

const unanswered = (p: HoursSplit): number => p.missed + p.dropped

/** The stat cards in groups, in reading order: label, shown value, and a hint. */
export function statGroups(d: Dashboard): { title: string; cards: StatCard[] }[] {
  const t = d.totals
  return [
    {
      title: 'Calls',
      cards: [
        { label: 'Calls', value: String(t.total) },
        { label: 'Answered', value: String(t.answered) },
        { label: 'Missed', value: String(t.missed), hint: 'No agent took the call' },
        { label: 'Dropped', value: String(t.dropped), hint: 'Hung up in the IVR' },
        { label: 'Answer rate', value: formatRate(t.answerRate), hint: 'All calls' },
        { label: 'Average IVR wait', value: formatSeconds(t.avgIvrSeconds) },
        { label: 'Average talk time', value: formatSeconds(t.avgTalkSeconds) },
      ],
    },
    {
      title: 'In and after office hours',
      cards: [
        {
          label: 'Answer rate in hours',
          value: formatRate(d.inHours.answerRate),
          hint: `${d.inHours.answered} of ${d.inHours.total} calls`,
        },
        {
          label: 'Missed & dropped in hours',
          value: String(unanswered(d.inHours)),
          hint: `${d.inHours.missed} missed, ${d.inHours.dropped} dropped`,
        },
        {
          label: 'Answer rate after hours',
          value: formatRate(d.afterHours.answerRate),
          hint: `${d.afterHours.answered} of ${d.afterHours.total} calls`,
        },
        {
          label: 'Missed & dropped after hours',
          value: String(unanswered(d.afterHours)),
          hint: `${d.afterHours.missed} missed, ${d.afterHours.dropped} dropped`,
        },
      ],
    },
    {
      title: 'Call-backs of missed & dropped callers',
      cards: [
        {
          label: 'Called back by us',
          value: String(t.calledBackByUs),
          hint: 'Marked "called back" in the queue',
        },
        {
          label: 'Rang again and got through',
          value: String(t.rangAgainAnswered),
          hint: 'A later call from the number was answered',
        },
        {
          label: 'Median time to call back',
          value: formatMinutes(t.medianCallbackMinutes),
          hint:
            t.calledBackByUs === 0 ? 'No call-backs marked yet' : 'From the last miss to our mark',
        },
      ],
    },
  ]
}

/** The stat cards; labels wrap instead of being cut, at any window width. */
export function StatCards({ dashboard }: { dashboard: Dashboard }): React.JSX.Element {
  return (
    <Stack gap="xs">
      {statGroups(dashboard).map((g) => (
        <section key={g.title} aria-label={g.title}>
          <Title order={3} size="h6" c="dimmed" mb={4}>
            {g.title}
          </Title>
          <SimpleGrid cols={{ base: 2, xs: 3, md: 4, lg: 7 }} spacing="xs">
            {g.cards.map((s) => (
              <Card key={s.label} withBorder padding="sm" role="group" aria-label={s.label}>
                <Text size="xs" c="dimmed">
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
        </section>
      ))}
    </Stack>
  )
}
