import { Title } from '@mantine/core'

export function LiveScreen(): React.JSX.Element {
  return <Title order={2}>Live</Title>
}
