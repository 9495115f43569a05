import { Button, Group, NumberInput, Text } from '@mantine/core'
import { useState } from 'react'
import { useCan } from '../../can'
import { useApp } from '../../store'
import { saveOrError } from '../settings/saveSetting'

/**
 * The team's service-level target (seconds of IVR wait within which a call counts as answered in
 * time): a team setting, so an admin changes it here where its figures are; others read it.
 */
export function ServiceLevelTarget(): React.JSX.Element | null {
  const seconds = useApp((s) => s.settings?.serviceLevelSeconds ?? null)
  const canSet = useCan('settings:update')
  const [typed, setTyped] = useState<string | number>('')
  const [error, setError] = useState<string | null>(null)
  if (seconds === null) return null
  if (!canSet) return <Text size="sm">The team&apos;s target is {seconds} s, set by an admin.</Text>
  const save = async (): Promise<void> => {
    const n = typeof typed === 'number' ? typed : Number(typed)
    if (!Number.isInteger(n) || n < 1 || n > 600) {
      setError('A whole number of seconds from 1 to 600.')
      return
    }
    const failed = await saveOrError({ serviceLevelSeconds: n }, `Service-level target: ${n} s`)
    setError(failed)
    if (!failed) setTyped('')
  }
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        void save()
      }}
    >
      <Group gap="xs" align="flex-end" wrap="wrap">
        <NumberInput
          label="Team target in seconds"
          size="xs"
          placeholder={String(seconds)}
          value={typed}
          onChange={setTyped}
          min={1}
          max={600}
          allowDecimal={false}
          w={170}
          error={error}
        />
        <Button type="submit" size="xs" variant="default" disabled={typed === ''}>
          Set target
        </Button>
      </Group>
    </form>
  )
}
