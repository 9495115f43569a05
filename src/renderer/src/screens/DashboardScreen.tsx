import { Title } from '@mantine/core'

/** Dashboard (issue 5). */
export function DashboardScreen(): React.JSX.Element {
  return <Title order={2}>Dashboard</Title>
}
