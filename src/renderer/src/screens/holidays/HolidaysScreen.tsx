import { ActionIcon, Alert, Grid, Group, Stack, Text, Title } from '@mantine/core'
import { useState } from 'react'
import { useNow, useTimezone } from '../../hooks'
import { useApp } from '../../store'
import { Can } from '../../can'
import { AddHolidayForm } from './AddHolidayForm'
import { HolidayList } from './HolidayList'
import { PresetCard } from './PresetCard'
import { YearCalendar } from './YearCalendar'
import { localToday } from '../../../../shared/localTime'

/** Holidays: the year calendar with each date's state, adding, the national preset, removal. */
export function HolidaysScreen(): React.JSX.Element {
  const holidays = useApp((s) => s.holidays)
  const rules = useApp((s) => s.holidayRules)
  const timezone = useTimezone()
  const now = useNow(60_000)
  const today = localToday(now, timezone)
  const [year, setYear] = useState(() => Number(today.slice(0, 4)))

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Holidays</Title>
        <Group gap="xs">
          <ActionIcon
            variant="default"
            aria-label="Previous year"
            onClick={() => setYear(year - 1)}
          >
            ‹
          </ActionIcon>
          <Text fw={600} aria-live="polite" aria-label={`Year ${year}`}>
            {year}
          </Text>
          <ActionIcon variant="default" aria-label="Next year" onClick={() => setYear(year + 1)}>
            ›
          </ActionIcon>
        </Group>
      </Group>
      <Alert color="gray" variant="light">
        On a holiday callers hear the vendor's holiday message all day. Each date is sent to the
        vendor separately and shows its state: <strong>confirmed</strong> by the vendor,{' '}
        <strong>pending</strong>, or <strong>refused</strong> with the vendor's words. The vendor's
        API cannot remove a holiday: removing one here only removes it from this list.
      </Alert>
      <Can channel="holidays:add">
        <Grid>
          <Grid.Col span={{ base: 12, lg: 8 }}>
            <AddHolidayForm />
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 4 }}>
            <PresetCard />
          </Grid.Col>
        </Grid>
      </Can>
      <YearCalendar year={year} holidays={holidays} today={today} />
      <HolidayList year={year} holidays={holidays} rules={rules} />
    </Stack>
  )
}
