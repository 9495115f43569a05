import { Badge, Box, Card, Group, Stack, Text, Title, Tooltip } from '@mantine/core'
import { useMemo } from 'react'
import type { Holiday, OfficeHours } from '../../../../shared/domain'
import { localToday } from '../../../../shared/localTime'
import { displayTime, parseHourMinute } from '../../../../shared/officeTime'
import { useNow } from '../../hooks'
import { OpenStateBadge } from '../../components/OpenStateBadge'
import { formatDate } from '../../../../shared/dateTime'
import { weekTimeline, type DayPlan } from './week'

const DAY_MIN = 24 * 60

function describe(plan: DayPlan): string {
  if (plan.kind === 'holiday')
    return `Holiday${plan.holidayName ? ` (${plan.holidayName})` : ''}: the holiday message all day${plan.state === 'pending' ? ', once the vendor confirms it' : ''}`
  if (plan.kind === 'unrestricted') return 'No office hours set: calls are routed all day'
  return `Open ${displayTime(plan.start!)} – ${displayTime(plan.end!)}; the closed message outside those hours`
}

/** A 24-hour bar: the open span filled, holidays striped. */
function DayBar({ plan }: { plan: DayPlan }): React.JSX.Element {
  const start = plan.start ? (parseHourMinute(plan.start) ?? 0) : 0
  const end = plan.end ? (parseHourMinute(plan.end) ?? 0) : DAY_MIN
  const open = plan.kind !== 'holiday'
  return (
    <Box
      aria-hidden="true"
      pos="relative"
      h={14}
      style={{
        borderRadius: 4,
        background:
          plan.kind === 'holiday'
            ? 'repeating-linear-gradient(45deg, var(--mantine-color-grape-light), var(--mantine-color-grape-light) 6px, transparent 6px, transparent 12px)'
            : 'var(--mantine-color-default-border)',
      }}
    >
      {open && (
        <Box
          pos="absolute"
          top={0}
          bottom={0}
          style={{
            left: `${(start / DAY_MIN) * 100}%`,
            width: `${((end - start) / DAY_MIN) * 100}%`,
            borderRadius: 4,
            background:
              plan.state === 'pending'
                ? 'var(--mantine-color-yellow-filled)'
                : 'var(--mantine-color-teal-filled)',
          }}
        />
      )}
    </Box>
  )
}

/**
 * "What callers hear" over the next seven days in the configured zone, and whether the office
 * is open now (main's answer from the same model: office hours and holidays).
 */
export function WhatCallersHear({
  hours,
  holidays,
  timezone,
}: {
  hours: OfficeHours[]
  holidays: Holiday[]
  timezone: string
}): React.JSX.Element {
  const now = useNow(60_000)
  const today = localToday(now, timezone)
  const plans = useMemo(() => weekTimeline(today, hours, holidays), [today, hours, holidays])
  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h4">
          What callers hear
        </Title>
        <OpenStateBadge />
      </Group>
      <Text size="xs" c="dimmed" mb="xs">
        Next 7 days in {timezone}. Bars run from midnight to midnight.
      </Text>
      <Stack gap="xs" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {plans.map((plan) => (
          <li
            key={plan.date}
            aria-label={`${plan.weekday} ${formatDate(plan.date)}: ${describe(plan)}`}
          >
            <Group gap="sm" wrap="nowrap" align="center">
              <Text size="sm" w={170} fw={plan.date === today ? 700 : 400}>
                {plan.weekday.slice(0, 3)} {formatDate(plan.date)}
              </Text>
              <Box style={{ flex: 1 }}>
                <DayBar plan={plan} />
              </Box>
              <Text size="sm" w={330} lineClamp={1} title={describe(plan)}>
                {plan.kind === 'holiday'
                  ? `Holiday${plan.holidayName ? `: ${plan.holidayName}` : ''}`
                  : plan.kind === 'unrestricted'
                    ? 'No hours set (routed all day)'
                    : `${displayTime(plan.start!)} – ${displayTime(plan.end!)}`}
                {plan.state === 'pending' ? ' (pending)' : ''}
              </Text>
              {plan.refusedHoliday && (
                <Tooltip
                  label={`Holiday refused by the vendor: ${plan.refusedHoliday.vendorAnswer ?? 'no reason given'}`}
                >
                  <Badge color="red" variant="light">
                    Holiday refused
                  </Badge>
                </Tooltip>
              )}
            </Group>
          </li>
        ))}
      </Stack>
    </Card>
  )
}
