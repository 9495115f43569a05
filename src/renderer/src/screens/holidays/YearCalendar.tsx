import { Box, Card, Group, SimpleGrid, Text } from '@mantine/core'
import { memo, useMemo } from 'react'
import type { ChangeState, Holiday } from '../../../../shared/domain'
import { formatDate } from '../../../../shared/dateTime'
import { monthName } from '../../dates'
import { holidaysByDate, monthGrid } from './calendar'

/**
 * A holiday's state by its look as well as its colour (WCAG 1.4.1): confirmed is a filled day,
 * pending a dashed frame, refused a filled day struck through. The legend says so.
 */
const CELL_STYLE: Record<ChangeState, React.CSSProperties> = {
  confirmed: {
    background: 'var(--mantine-color-teal-filled)',
    color: 'var(--mantine-color-white)',
  },
  pending: {
    border: '2px dashed var(--mantine-color-yellow-text)',
    color: 'var(--mantine-color-yellow-text)',
    lineHeight: '16px',
  },
  refused: {
    background: 'var(--mantine-color-red-filled)',
    color: 'var(--mantine-color-white)',
    textDecoration: 'line-through',
  },
}
const STATE_WORD: Record<ChangeState, string> = {
  confirmed: 'confirmed',
  pending: 'pending',
  refused: 'refused',
}
const WEEK_HEAD = ['M', 'T', 'W', 'T', 'F', 'S', 'S']

function cellLabel(date: string, h: Holiday | undefined): string {
  if (!h) return formatDate(date)
  const words = h.state === 'refused' ? `, vendor said ${h.vendorAnswer ?? 'no reason'}` : ''
  return `${formatDate(date)}: ${h.name ?? 'holiday'}, ${h.state}${words}`
}

const Month = memo(function Month({
  year,
  month,
  byDate,
  today,
}: {
  year: number
  month: number
  byDate: Map<string, Holiday>
  today: string
}): React.JSX.Element {
  const weeks = monthGrid(year, month)
  return (
    <Card withBorder padding="xs">
      <Text fw={600} size="sm" mb={4} id={`cal-${year}-${month}`}>
        {monthName(month)}
      </Text>
      <Box
        role="grid"
        aria-labelledby={`cal-${year}-${month}`}
        style={{ display: 'grid', gridTemplateColumns: 'repeat(7, 1fr)', gap: 2 }}
      >
        <Box role="row" style={{ display: 'contents' }}>
          {WEEK_HEAD.map((d, i) => (
            <Text key={i} role="columnheader" size="xs" c="dimmed" ta="center">
              {d}
            </Text>
          ))}
        </Box>
        {weeks.map((week, w) => (
          <Box key={w} role="row" style={{ display: 'contents' }}>
            {week.map((date, i) => {
              if (!date) return <span key={i} role="gridcell" />
              const h = byDate.get(date)
              return (
                <Text
                  key={date}
                  role="gridcell"
                  size="xs"
                  ta="center"
                  aria-label={cellLabel(date, h)}
                  title={cellLabel(date, h)}
                  data-holiday-state={h?.state}
                  style={{
                    borderRadius: 4,
                    lineHeight: '20px',
                    outline:
                      date === today ? '1px solid var(--mantine-primary-color-filled)' : undefined,
                    fontWeight: h ? 700 : undefined,
                    ...(h ? CELL_STYLE[h.state] : {}),
                  }}
                >
                  {Number(date.slice(8))}
                </Text>
              )
            })}
          </Box>
        ))}
      </Box>
    </Card>
  )
})

/** Twelve month grids; holiday days coloured by state (confirmed, pending, refused). */
export function YearCalendar({
  year,
  holidays,
  today,
}: {
  year: number
  holidays: Holiday[]
  today: string
}): React.JSX.Element {
  const byDate = useMemo(() => holidaysByDate(holidays), [holidays])
  return (
    <div>
      <Group gap="md" mb={4} aria-hidden="true" data-testid="calendar-legend">
        {(Object.keys(CELL_STYLE) as ChangeState[]).map((state) => (
          <Group key={state} gap={4}>
            <Text
              span
              size="xs"
              fw={700}
              ta="center"
              w={22}
              style={{ borderRadius: 4, lineHeight: '20px', ...CELL_STYLE[state] }}
            >
              15
            </Text>
            <Text span size="xs">
              {STATE_WORD[state]}
            </Text>
          </Group>
        ))}
      </Group>
      <SimpleGrid cols={{ base: 2, sm: 3, md: 4, lg: 6 }} spacing="xs">
        {Array.from({ length: 12 }, (_, i) => (
          <Month key={i} year={year} month={i + 1} byDate={byDate} today={today} />
        ))}
      </SimpleGrid>
    </div>
  )
}
