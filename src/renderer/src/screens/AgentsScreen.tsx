import { Title } from '@mantine/core'

export function AgentsScreen(): React.JSX.Element {
  return <Title order={2}>Agents</Title>
}
