import { Alert, Button, Code, Group, List, Stack, Text } from '@mantine/core'
import type { StorageProblem } from '../../../../shared/storage'
import { api } from '../../api'
import { formatInstant } from '../../format'
import { showError } from '../../notify'
import { useApp } from '../../store'
import { useTimezone } from '../../hooks'
import { Can } from '../../can'
import { useAsyncAction } from '../../asyncAction'

const TITLES: Record<StorageProblem['kind'], string> = {
  'records-skipped': 'Damaged records skipped in the call journal',
  'month-set-aside': 'A damaged month of calls was set aside and rebuilt',
  'document-set-aside': 'A damaged file was set aside',
  'checkpoint-failed': 'Saving the call history fails',
  'write-refused': 'The disk refuses to store calls',
  'lock-lost': 'Another program took over the data folder',
  'database-unreachable': 'The database cannot be reached',
  'file-missing': 'A file of the data folder is missing',
  'file-mismatch': 'A file of the data folder was replaced',
}

function Problem({ p, timezone }: { p: StorageProblem; timezone: string }): React.JSX.Element {
  return (
    <Stack gap={4}>
      <Text fw={600}>
        {TITLES[p.kind]}
        {p.ongoing ? ' (still happening)' : ''}
      </Text>
      <Text size="sm">{p.summary}</Text>
      <Text size="sm">
        <b>What you can do:</b> {p.advice}
      </Text>
      {p.lost && p.lost.count > 0 && (
        <Text size="sm">
          <b>Calls lost: {p.lost.count.toLocaleString('en')}</b>
          {p.lost.ids.length > 0 && (
            <>
              {' '}
              (<Code>{p.lost.ids.join(', ')}</Code>
              {p.lost.count > p.lost.ids.length
                ? ` and ${(p.lost.count - p.lost.ids.length).toLocaleString('en')} not named`
                : ''}
              )
            </>
          )}
        </Text>
      )}
      <Text size="xs" c="dimmed">
        File: {p.file}
        {p.keptAt ? ` · damaged bytes kept in ${p.keptAt}` : ''} · first seen{' '}
        {formatInstant(p.firstAt, timezone)}
        {p.count > 1 ? ` · seen ${p.count} times` : ''}
      </Text>
    </Stack>
  )
}

/**
 * Storage problems not acknowledged yet (from `health.storage`): what was affected and what the
 * user can do. It stays until acknowledged; a problem still going on cannot be acknowledged away.
 */
export function StorageBanner(): React.JSX.Element | null {
  const problems = useApp((s) => s.health?.storage?.problems)
  const timezone = useTimezone()
  const { busy, run: acknowledge } = useAsyncAction(
    // The banner follows health:changed, which main publishes after the acknowledgement.
    (ids: string[]) => api.storage.acknowledge({ ids }),
    (err) => showError('Could not acknowledge', err),
  )
  if (!problems || problems.length === 0) return null
  const ongoing = problems.some((p) => p.ongoing)
  return (
    <Alert color="red" title="Storage problem" role="alert" aria-label="Storage problem">
      <Stack gap="sm">
        <List spacing="sm" listStyleType="none">
          {problems.map((p) => (
            <List.Item key={p.id}>
              <Problem p={p} timezone={timezone} />
            </List.Item>
          ))}
        </List>
        <Group>
          <Can channel="storage:acknowledge">
            <Button
              size="compact-sm"
              color="red"
              loading={busy}
              onClick={() => void acknowledge(problems.map((p) => p.id))}
            >
              I have seen this
            </Button>
          </Can>
          {ongoing && (
            <Text size="xs">A problem still happening stays here until it has stopped.</Text>
          )}
        </Group>
      </Stack>
    </Alert>
  )
}
