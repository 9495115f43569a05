import { Title } from '@mantine/core'

/** Holidays (issue 5). */
export function HolidaysScreen(): React.JSX.Element {
  return <Title order={2}>Holidays</Title>
}
