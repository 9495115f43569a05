import { Title } from '@mantine/core'

/** Office hours (issue 5). */
export function OfficeHoursScreen(): React.JSX.Element {
  return <Title order={2}>Office hours</Title>
}
