import '@mantine/dates/styles.css'
import {
  Alert,
  Card,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core'
import { useState } from 'react'
import { WEEKDAYS } from '../../../../shared/domain'
import { useApp } from '../../store'
import { useTimezone } from '../../hooks'
import { ClosedDaysCard } from './ClosedDaysCard'
import { DayEditor } from './DayEditor'
import { WhatCallersHear } from './WhatCallersHear'

/** Office hours: the weekly editor (Daily or per weekday) and what callers hear this week. */
export function OfficeHoursScreen(): React.JSX.Element {
  const hours = useApp((s) => s.officeHours)
  const holidays = useApp((s) => s.holidays)
  const timezone = useTimezone()
  const hasWeekday = hours.some((h) => h.day !== 'Daily')
  const [mode, setMode] = useState<'daily' | 'weekday' | null>(null)
  const shown = mode ?? (hasWeekday ? 'weekday' : 'daily')

  const daily = hours.find((h) => h.day === 'Daily') ?? null
  return (
    <Stack>
      <Title order={2}>Office hours</Title>
      <Card withBorder>
        <SegmentedControl
          aria-label="Edit hours"
          mb="sm"
          value={shown}
          onChange={(v) => setMode(v as 'daily' | 'weekday')}
          data={[
            { value: 'daily', label: 'Same hours every day (Daily)' },
            { value: 'weekday', label: 'Per weekday' },
          ]}
        />
        <Text size="sm" c="dimmed" mb="sm">
          Outside these hours callers hear the vendor's closed message. The vendor refuses a day
          whose opening is not before its closing (<em>Invalid Time</em>); that is checked here
          before anything is sent. Daily sets all seven days at the vendor.
        </Text>
        <Table aria-label="Office hours" verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Day</Table.Th>
              <Table.Th>Opens</Table.Th>
              <Table.Th>Closes</Table.Th>
              <Table.Th>
                <VisuallyHidden>Save</VisuallyHidden>
              </Table.Th>
              <Table.Th>State</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown === 'daily' ? (
              <DayEditor
                key={`Daily:${daily?.start}-${daily?.end}`}
                day="Daily"
                label="Every day"
                current={daily}
              />
            ) : (
              WEEKDAYS.map((day) => {
                const own = hours.find((h) => h.day === day) ?? null
                return (
                  <DayEditor
                    key={`${day}:${own?.start}-${own?.end}`}
                    day={day}
                    label={day}
                    current={own}
                    initial={own ?? daily}
                  />
                )
              })
            )}
          </Table.Tbody>
        </Table>
        {shown === 'weekday' && daily && (
          <Alert color="blue" mt="sm" variant="light">
            Days without their own hours follow the Daily hours.
          </Alert>
        )}
      </Card>
      <ClosedDaysCard />
      <WhatCallersHear hours={hours} holidays={holidays} timezone={timezone} />
    </Stack>
  )
}
