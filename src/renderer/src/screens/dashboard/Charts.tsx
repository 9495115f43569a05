import { Card, Text, VisuallyHidden } from '@mantine/core'
import { useId } from 'react'
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts'
import type { StatusBreakdown } from '../../../../shared/dashboard'

/**
 * Colours are Mantine CSS variables, so the charts follow the light/dark scheme without
 * re-rendering; recharts passes them through to SVG `fill`/`stroke`, which accept `var()`. The
 * `-text` shades are the theme's readable ones (theme/index.ts): a bar stands 4.5:1 off the card in
 * either scheme, and the axis labels are the theme's dimmed text.
 */
export const CHART_COLORS = {
  answered: 'var(--mantine-color-teal-text)',
  missed: 'var(--mantine-color-red-text)',
  dropped: 'var(--mantine-color-orange-text)',
  axis: 'var(--mantine-color-dimmed)',
  grid: 'var(--mantine-color-default-border)',
  /** Pattern lines and the gap between stacked segments: the card's own colour. */
  gap: 'var(--mantine-color-body)',
}

type Series = 'answered' | 'missed' | 'dropped'

/**
 * Each status has a pattern as well as a colour, so the bars and the legend read without colour
 * (WCAG 1.4.1): answered solid, missed striped, dropped dotted. Ids are per chart: several
 * charts share the page.
 */
function Patterns({ id }: { id: string }): React.JSX.Element {
  return (
    <defs>
      <pattern
        id={`${id}-missed`}
        width="6"
        height="6"
        patternUnits="userSpaceOnUse"
        patternTransform="rotate(45)"
      >
        <rect width="6" height="6" fill={CHART_COLORS.missed} />
        <line x1="1" y1="0" x2="1" y2="6" stroke={CHART_COLORS.gap} strokeWidth="1.5" />
      </pattern>
      <pattern id={`${id}-dropped`} width="6" height="6" patternUnits="userSpaceOnUse">
        <rect width="6" height="6" fill={CHART_COLORS.dropped} />
        <circle cx="3" cy="3" r="1.3" fill={CHART_COLORS.gap} />
      </pattern>
    </defs>
  )
}

function fillOf(id: string, series: Series): string {
  return series === 'answered' ? CHART_COLORS.answered : `url(#${id}-${series})`
}

/** Legend words in the text colour (recharts colours them like their series by default). */
const legendText = (value: string): React.JSX.Element => (
  <span style={{ color: 'var(--mantine-color-text)' }}>{value}</span>
)

const tooltipStyle = {
  contentStyle: {
    background: 'var(--mantine-color-body)',
    border: '1px solid var(--mantine-color-default-border)',
    color: 'var(--mantine-color-text)',
  },
  labelStyle: { color: 'var(--mantine-color-text)' },
  cursor: { fill: 'var(--mantine-color-default-hover)' },
}
const tick = { fill: CHART_COLORS.axis, fontSize: 12 }

function ChartCard({
  title,
  summary,
  height = 240,
  children,
}: {
  title: string
  summary: string
  height?: number
  children: React.ReactElement
}): React.JSX.Element {
  const summaryId = useId()
  return (
    <Card
      withBorder
      padding="sm"
      component="figure"
      m={0}
      aria-label={title}
      aria-describedby={summaryId}
    >
      <Text component="figcaption" fw={600} size="sm" mb="xs">
        {title}
      </Text>
      {/* The figures in words, for whoever does not see the bars. */}
      <VisuallyHidden id={summaryId}>{summary}</VisuallyHidden>
      <div style={{ width: '100%', height }}>
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </div>
    </Card>
  )
}

const STATUS_SERIES: { key: Series; name: string }[] = [
  { key: 'answered', name: 'Answered' },
  { key: 'missed', name: 'Missed' },
  { key: 'dropped', name: 'Dropped' },
]

function statusBars(id: string, stackId: string): React.JSX.Element[] {
  return STATUS_SERIES.map((s) => (
    <Bar
      key={s.key}
      dataKey={s.key}
      name={s.name}
      stackId={stackId}
      fill={fillOf(id, s.key)}
      stroke={CHART_COLORS.gap}
      isAnimationActive={false}
    />
  ))
}

/** Calls stacked by status, one bar per category (hour, agent, department, circle). */
export function StatusChart<T extends StatusBreakdown>({
  title,
  data,
  category,
  horizontal = false,
  height,
}: {
  title: string
  data: T[]
  category: keyof T & string
  horizontal?: boolean
  height?: number
}): React.JSX.Element {
  const id = useId().replace(/:/g, '')
  const summary =
    data.length === 0
      ? 'No calls.'
      : data
          .map(
            (d) =>
              `${String(d[category])}: ${d.answered} answered, ${d.missed} missed, ${d.dropped} dropped`,
          )
          .join('; ')
  return (
    <ChartCard title={title} summary={summary} height={height}>
      {horizontal ? (
        <BarChart data={data} layout="vertical" margin={{ left: 8, right: 16 }}>
          <Patterns id={id} />
          <CartesianGrid stroke={CHART_COLORS.grid} strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" allowDecimals={false} tick={tick} stroke={CHART_COLORS.grid} />
          <YAxis
            type="category"
            dataKey={category as string}
            width={120}
            tick={tick}
            stroke={CHART_COLORS.grid}
          />
          <Tooltip {...tooltipStyle} />
          <Legend formatter={legendText} />
          {statusBars(id, 's')}
        </BarChart>
      ) : (
        <BarChart data={data} margin={{ right: 8 }}>
          <Patterns id={id} />
          <CartesianGrid stroke={CHART_COLORS.grid} strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey={category as string} tick={tick} stroke={CHART_COLORS.grid} />
          <YAxis allowDecimals={false} tick={tick} stroke={CHART_COLORS.grid} width={40} />
          <Tooltip {...tooltipStyle} />
          <Legend formatter={legendText} />
          {statusBars(id, 's')}
        </BarChart>
      )}
    </ChartCard>
  )
}

/** DROPPED calls by time spent in the IVR: where callers give up. */
export function DropoffChart({
  data,
}: {
  data: { bucket: string; dropped: number }[]
}): React.JSX.Element {
  const id = useId().replace(/:/g, '')
  const summary = data.map((d) => `${d.bucket}: ${d.dropped}`).join('; ') || 'No dropped calls.'
  return (
    <ChartCard title="IVR drop-off (dropped calls by time in the IVR)" summary={summary}>
      <BarChart data={data} margin={{ right: 8 }}>
        <Patterns id={id} />
        <CartesianGrid stroke={CHART_COLORS.grid} strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="bucket" tick={tick} stroke={CHART_COLORS.grid} />
        <YAxis allowDecimals={false} tick={tick} stroke={CHART_COLORS.grid} width={40} />
        <Tooltip {...tooltipStyle} />
        <Bar
          dataKey="dropped"
          name="Dropped"
          fill={fillOf(id, 'dropped')}
          stroke={CHART_COLORS.gap}
          isAnimationActive={false}
        />
      </BarChart>
    </ChartCard>
  )
}
