import { Title } from '@mantine/core'

export function MissedScreen(): React.JSX.Element {
  return <Title order={2}>Missed</Title>
}
