import { Button, Group } from '@mantine/core'
import { PERIOD_PRESETS, type PeriodPreset } from '../../../shared/periods'

/**
 * The periods a supervisor picks (Today, Yesterday, 7 days, 30 days, and on the Dashboard a chosen
 * range): toggle buttons named by their words, the one in force pressed. They wrap on a narrow
 * window instead of running off it.
 */
export function PeriodPicker<V extends string = PeriodPreset>({
  label,
  value,
  onChange,
  range,
}: {
  /** The group's name, e.g. `Period`. */
  label: string
  value: V | null
  onChange: (value: V) => void
  /** The chosen-range button: its value and words. */
  range?: { value: V; label: string }
}): React.JSX.Element {
  // The presets are values of V: V is PeriodPreset, or PeriodPreset and the range's value.
  const options = [...(PERIOD_PRESETS as readonly { value: string; label: string }[])] as {
    value: V
    label: string
  }[]
  if (range) options.push(range)
  return (
    <Group gap={4} role="group" aria-label={label} wrap="wrap">
      {options.map((o) => (
        <Button
          key={o.value}
          size="xs"
          variant={value === o.value ? 'filled' : 'default'}
          aria-pressed={value === o.value}
          onClick={() => onChange(o.value)}
        >
          {o.label}
        </Button>
      ))}
    </Group>
  )
}
