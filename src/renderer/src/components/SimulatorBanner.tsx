import { Alert } from '@mantine/core'
import { useApp } from '../store'

/** Says plainly, on every screen, when the built-in simulator stands in for the vendor. */
export function SimulatorBanner(): React.JSX.Element | null {
  const simulator = useApp((s) => Boolean(s.health?.simulator || s.settings?.simulator))
  if (!simulator) return null
  return (
    <Alert color="grape" variant="light" mb="md" role="status" title="Simulator">
      The built-in simulator stands in for the vendor: calls, agent switches and holidays go to it,
      not to a real IVR. Enter the vendor URL, API key and customer id in Settings to use the real
      one.
    </Alert>
  )
}
