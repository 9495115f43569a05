import { Title } from '@mantine/core'

export function ConnectionScreen(): React.JSX.Element {
  return <Title order={2}>Connection</Title>
}
