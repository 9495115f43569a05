import { Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import type { ReactNode } from 'react'
import type { Dashboard, HoursSplit, PeriodFigures } from '../../../../shared/dashboard'
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
  /** The same figure over the period before, as shown. */
  before: string
  /** How it moved since, in words and an arrow (never colour alone): `▲ 3`, `▼ 2.1 pts`, `same`. */
  change: string | null
}

const unanswered = (p: HoursSplit): number => p.missed + p.dropped

/** One figure of a period, shown, and the number it is compared by (null: none to compare). */
interface Figure {
  label: string
  of: (p: PeriodFigures) => number | null
  show: (n: number | null) => string
  /** How a difference reads: a count, percentage points, a duration. */
  diff: (d: number) => string
  hint?: (p: PeriodFigures) => string
}

const count = (d: number): string => String(Math.abs(d))
const points = (d: number): string => `${Math.abs(d * 100).toFixed(1)} pts`
const duration = (d: number): string => formatSeconds(Math.abs(d))
const minutes = (d: number): string => formatMinutes(Math.abs(d))

/** `▲ 3`, `▼ 0:05`, or `same` (also when the difference rounds to none); null without both. */
export function changeText(
  now: number | null,
  before: number | null,
  diff: (d: number) => string,
): string | null {
  if (now === null || before === null) return null
  const d = now - before
  const shown = diff(d)
  if (shown === diff(0)) return 'same'
  return `${d > 0 ? '▲' : '▼'} ${shown}`
}

function cards(d: Dashboard, figures: Figure[]): StatCard[] {
  return figures.map((f) => ({
    label: f.label,
    value: f.show(f.of(d)),
    hint: f.hint?.(d),
    before: f.show(f.of(d.previous)),
    change: changeText(f.of(d), f.of(d.previous), f.diff),
  }))
}

const num = (n: number | null): string => (n === null ? '–' : String(n))

export type StatGroupId = 'calls' | 'serviceLevel' | 'hours' | 'callbacks'

/** The stat cards in groups, in reading order: label, shown value, a hint and the period before. */
export function statGroups(d: Dashboard): { id: StatGroupId; title: string; cards: StatCard[] }[] {
  const seconds = d.serviceLevel.seconds
  return [
    {
      id: 'calls',
      title: 'Calls',
      cards: cards(d, [
        { label: 'Calls', of: (p) => p.totals.total, show: num, diff: count },
        { label: 'Answered', of: (p) => p.totals.answered, show: num, diff: count },
        {
          label: 'Missed',
          of: (p) => p.totals.missed,
          show: num,
          diff: count,
          hint: () => 'No agent took the call',
        },
        {
          label: 'Dropped',
          of: (p) => p.totals.dropped,
          show: num,
          diff: count,
          hint: () => 'Hung up in the IVR',
        },
        {
          label: 'Answer rate',
          of: (p) => p.totals.answerRate,
          show: formatRate,
          diff: points,
          hint: () => 'All calls',
        },
        {
          label: 'Average IVR wait',
          of: (p) => p.totals.avgIvrSeconds,
          show: formatSeconds,
          diff: duration,
        },
        {
          label: 'Average talk time',
          of: (p) => p.totals.avgTalkSeconds,
          show: formatSeconds,
          diff: duration,
        },
      ]),
    },
    {
      id: 'serviceLevel',
      title: `Service level: answered within ${seconds} s`,
      cards: cards(d, [
        {
          label: 'Service level',
          of: (p) => p.serviceLevel.rate,
          show: formatRate,
          diff: points,
          hint: (p) =>
            `${p.serviceLevel.answeredWithin} of ${p.serviceLevel.total} calls answered within ${seconds} s`,
        },
        {
          label: 'Service level in hours',
          of: (p) => p.serviceLevelInHours.rate,
          show: formatRate,
          diff: points,
          hint: (p) =>
            `${p.serviceLevelInHours.answeredWithin} of ${p.serviceLevelInHours.total} calls in office hours, within ${seconds} s`,
        },
      ]),
    },
    {
      id: 'hours',
      title: 'In and after office hours',
      cards: cards(d, [
        {
          label: 'Answer rate in hours',
          of: (p) => p.inHours.answerRate,
          show: formatRate,
          diff: points,
          hint: (p) => `${p.inHours.answered} of ${p.inHours.total} calls`,
        },
        {
          label: 'Missed & dropped in hours',
          of: (p) => unanswered(p.inHours),
          show: num,
          diff: count,
          hint: (p) => `${p.inHours.missed} missed, ${p.inHours.dropped} dropped`,
        },
        {
          label: 'Answer rate after hours',
          of: (p) => p.afterHours.answerRate,
          show: formatRate,
          diff: points,
          hint: (p) => `${p.afterHours.answered} of ${p.afterHours.total} calls`,
        },
        {
          label: 'Missed & dropped after hours',
          of: (p) => unanswered(p.afterHours),
          show: num,
          diff: count,
          hint: (p) => `${p.afterHours.missed} missed, ${p.afterHours.dropped} dropped`,
        },
      ]),
    },
    {
      id: 'callbacks',
      title: 'Call-backs of missed & dropped callers',
      cards: cards(d, [
        {
          label: 'Called back by us',
          of: (p) => p.totals.calledBackByUs,
          show: num,
          diff: count,
          hint: () => 'Marked "called back" in the queue',
        },
        {
          label: 'Rang again and got through',
          of: (p) => p.totals.rangAgainAnswered,
          show: num,
          diff: count,
          hint: () => 'A later call from the number was answered',
        },
        {
          label: 'Median time to call back',
          of: (p) => p.totals.medianCallbackMinutes,
          show: formatMinutes,
          diff: minutes,
          hint: (p) =>
            p.totals.calledBackByUs === 0
              ? 'No call-backs marked yet'
              : 'From the last miss to our mark',
        },
      ]),
    },
  ]
}

/**
 * The stat cards, each with the same figure over the period before; labels wrap instead of being
 * cut, at any window width. `beside` goes beside a group's title (the service-level target).
 */
export function StatCards({
  dashboard,
  beside,
}: {
  dashboard: Dashboard
  beside?: Partial<Record<StatGroupId, ReactNode>>
}): React.JSX.Element {
  return (
    <Stack gap="xs">
      {statGroups(dashboard).map((g) => (
        <section key={g.id} aria-label={g.title}>
          <Group justify="space-between" align="flex-end" gap="xs" mb={4}>
            <Title order={3} size="h6">
              {g.title}
            </Title>
            {beside?.[g.id]}
          </Group>
          <SimpleGrid cols={{ base: 2, xs: 3, md: 4, lg: 7 }} spacing="xs">
            {g.cards.map((s) => (
              <Card key={s.label} withBorder padding="sm" role="group" aria-label={s.label}>
                <Text size="sm">{s.label}</Text>
                <Text size="xl" fw={700} data-stat-value>
                  {s.value}
                </Text>
                {s.hint && (
                  <Text size="xs" c="dimmed">
                    {s.hint}
                  </Text>
                )}
                <Text size="sm" data-stat-before={s.before}>
                  Before: {s.before}
                </Text>
                {s.change && (
                  <Text size="sm" data-stat-change>
                    {s.change === 'same' ? 'The same' : s.change}
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
