import { Title } from '@mantine/core'

/** History (issue 5). */
export function HistoryScreen(): React.JSX.Element {
  return <Title order={2}>History</Title>
}
