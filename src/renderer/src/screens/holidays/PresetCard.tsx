import { Button, Card, Group, Stack, Text, Title } from '@mantine/core'
import { useState } from 'react'
import type { YearlyHolidayRule } from '../../../../shared/domain'
import { api } from '../../api'
import { showError, showInfo } from '../../notify'
import { useApp } from '../../store'
import { monthDayLabel } from '../../dates'
import { presetsToOffer } from './calendar'
import { useAsyncAction } from '../../asyncAction'

const SKIPPED_KEY = 'ivrs.holidayPresets.skipped'

function readSkipped(): string[] {
  try {
    const v = JSON.parse(localStorage.getItem(SKIPPED_KEY) ?? '[]') as unknown
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []
  } catch {
    return []
  }
}

/** Offers India's fixed-date national holidays as yearly rules, one by one: accept or skip. */
export function PresetCard(): React.JSX.Element | null {
  const rules = useApp((s) => s.holidayRules)
  const ready = useApp((s) => s.holidaysReady)
  const [skipped, setSkipped] = useState(readSkipped)
  const offer = presetsToOffer(rules, skipped)
  if (!ready || offer.length === 0) return null

  const skip = (p: YearlyHolidayRule): void => {
    const next = [...skipped, p.monthDay]
    setSkipped(next)
    try {
      localStorage.setItem(SKIPPED_KEY, JSON.stringify(next))
    } catch {
      // Storage full or disabled: skipped for this session only.
    }
  }

  return (
    <Card withBorder aria-labelledby="preset-title">
      <Title order={3} size="h4" id="preset-title">
        India's national holidays
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        Fixed-date national holidays, added as yearly rules. Accept the ones your office keeps.
      </Text>
      <Stack gap="xs">
        {offer.map((p) => (
          <PresetOffer key={p.monthDay} preset={p} onSkip={() => skip(p)} />
        ))}
      </Stack>
    </Card>
  )
}

/** One holiday offered: accept (sent as a yearly rule) or skip. */
function PresetOffer({
  preset: p,
  onSkip,
}: {
  preset: YearlyHolidayRule
  onSkip: () => void
}): React.JSX.Element {
  const accept = useAsyncAction(
    async () => {
      const r = await api.holidays.add({ yearly: p.monthDay, name: p.name })
      showInfo(p.name, r.message)
    },
    (err) => showError(`Could not add ${p.name}`, err),
  )
  return (
    <Group justify="space-between">
      <Text size="sm">
        {p.name} ({monthDayLabel(p.monthDay)})
      </Text>
      <Group gap="xs">
        <Button
          size="xs"
          loading={accept.busy}
          onClick={() => void accept.run()}
          aria-label={`Accept ${p.name}`}
        >
          Accept
        </Button>
        <Button size="xs" variant="default" onClick={onSkip} aria-label={`Skip ${p.name}`}>
          Skip
        </Button>
      </Group>
    </Group>
  )
}
