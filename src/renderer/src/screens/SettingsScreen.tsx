import { Title } from '@mantine/core'

export function SettingsScreen(): React.JSX.Element {
  return <Title order={2}>Settings</Title>
}
