import { Card, Text } from '@mantine/core'
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
 * re-rendering; recharts passes them through to SVG `fill`/`stroke`, which accept `var()`.
 */
export const CHART_COLORS = {
  answered: 'var(--mantine-color-teal-6)',
  missed: 'var(--mantine-color-red-6)',
  dropped: 'var(--mantine-color-orange-6)',
  axis: 'var(--mantine-color-dimmed)',
  grid: 'var(--mantine-color-default-border)',
}

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
  return (
    <Card withBorder padding="sm" component="figure" m={0} aria-label={title}>
      <Text component="figcaption" fw={600} size="sm" mb="xs">
        {title}
      </Text>
      <Text className="sr-only" style={{ position: 'absolute', left: -10000 }}>
        {summary}
      </Text>
      <div style={{ width: '100%', height }}>
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </div>
    </Card>
  )
}

function statusBars(stackId: string): React.JSX.Element[] {
  return [
    <Bar
      key="a"
      dataKey="answered"
      name="Answered"
      stackId={stackId}
      fill={CHART_COLORS.answered}
      isAnimationActive={false}
    />,
    <Bar
      key="m"
      dataKey="missed"
      name="Missed"
      stackId={stackId}
      fill={CHART_COLORS.missed}
      isAnimationActive={false}
    />,
    <Bar
      key="d"
      dataKey="dropped"
      name="Dropped"
      stackId={stackId}
      fill={CHART_COLORS.dropped}
      isAnimationActive={false}
    />,
  ]
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
          <Legend />
          {statusBars('s')}
        </BarChart>
      ) : (
        <BarChart data={data} margin={{ right: 8 }}>
          <CartesianGrid stroke={CHART_COLORS.grid} strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey={category as string} tick={tick} stroke={CHART_COLORS.grid} />
          <YAxis allowDecimals={false} tick={tick} stroke={CHART_COLORS.grid} width={40} />
          <Tooltip {...tooltipStyle} />
          <Legend />
          {statusBars('s')}
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
  const summary = data.map((d) => `${d.bucket}: ${d.dropped}`).join('; ') || 'No dropped calls.'
  return (
    <ChartCard title="IVR drop-off (dropped calls by time in the IVR)" summary={summary}>
      <BarChart data={data} margin={{ right: 8 }}>
        <CartesianGrid stroke={CHART_COLORS.grid} strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="bucket" tick={tick} stroke={CHART_COLORS.grid} />
        <YAxis allowDecimals={false} tick={tick} stroke={CHART_COLORS.grid} width={40} />
        <Tooltip {...tooltipStyle} />
        <Bar
          dataKey="dropped"
          name="Dropped"
          fill={CHART_COLORS.dropped}
          isAnimationActive={false}
        />
      </BarChart>
    </ChartCard>
  )
}
