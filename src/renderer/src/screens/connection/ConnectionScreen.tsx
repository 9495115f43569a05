import {
  Alert,
  Badge,
  Button,
  Card,
  Code,
  CopyButton,
  Group,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core'
import { useState } from 'react'
import type { TestResult } from '../../../../shared/contract'
import type { ListenerState } from '../../../../shared/domain'
import { readPublicUrl } from '../../../../shared/publicUrl'
import { api, errorText } from '../../api'
import { useAsyncAction } from '../../asyncAction'
import { formatAge, formatInstant } from '../../format'
import { useNow, useTimezone } from '../../hooks'
import { showInfo } from '../../notify'
import { useApp } from '../../store'
import { StorageBanner } from './StorageBanner'
import { quietLine } from './quietLine'
import { Can } from '../../can'

const LISTENER_COLOR: Record<ListenerState, string> = {
  listening: 'teal',
  starting: 'yellow',
  stopped: 'gray',
  failed: 'red',
}

/**
 * The tunnel's address, read by the rule main saves it with (`shared/publicUrl.ts`): a bare host
 * or a pasted webhook URL is accepted and what will be saved is said as it is typed; plain http is
 * accepted with a warning; what was changed is said again once saved.
 */
function PublicUrlForm({
  saved,
  onSaved,
}: {
  saved: string
  onSaved: (saved: { url: string | null; notes: string[] }) => void
}): React.JSX.Element {
  const [value, setValue] = useState(saved)
  const [error, setError] = useState<string | null>(null)
  const reading = readPublicUrl(value)
  const changed = !('error' in reading) && reading.url !== (value.trim() || null)
  const { busy, run: send } = useAsyncAction(
    async (read: { url: string | null; notes: string[] }) => {
      // The webhook URL above changes when main announces the settings and health again.
      await api.settings.update({ publicUrl: read.url })
      onSaved({ url: read.url, notes: read.notes })
      showInfo('Public address saved', 'Give the vendor the new webhook URL above.')
    },
    // A refused address shows under the field, not in a toast.
    (err) => setError(errorText(err)),
  )
  const save = async (): Promise<void> => {
    setError(null)
    if ('error' in reading) {
      setError(reading.error)
      return
    }
    await send(reading)
  }
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        void save()
      }}
    >
      <Group align="flex-end" gap="xs">
        <TextInput
          label="Public tunnel address"
          description="If the vendor reaches this PC through a tunnel: its address, e.g. https://abc.trycloudflare.com (a pasted webhook URL is fine too)"
          placeholder="https://…"
          value={value}
          onChange={(e) => {
            setValue(e.currentTarget.value)
            setError(null)
          }}
          error={error !== null}
          aria-describedby={error ? 'public-url-error' : undefined}
          style={{ flex: 1 }}
        />
        <Button type="submit" loading={busy} variant="default">
          Save address
        </Button>
      </Group>
      {error && (
        <Text id="public-url-error" c="red" size="sm" mt={4} role="alert">
          {error}
        </Text>
      )}
      {!error && !('error' in reading) && (changed || reading.warning) && (
        <Stack gap={2} mt={4} aria-live="polite">
          {changed && reading.url && (
            <Text size="sm" data-testid="public-url-reading">
              Will be saved as <Code>{reading.url}</Code>. {reading.notes.join(' ')}
            </Text>
          )}
          {reading.warning && (
            <Text size="sm" c="orange.9" fw={600} role="alert">
              {reading.warning}
            </Text>
          )}
        </Stack>
      )}
    </form>
  )
}

function RejectedLog(): React.JSX.Element {
  const rejected = useApp((s) => s.rejected)
  const timezone = useTimezone()
  if (rejected.length === 0) return <Text c="dimmed">No push has been rejected.</Text>
  return (
    <Table.ScrollContainer minWidth={800}>
      <Table striped aria-label="Rejected pushes">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Received</Table.Th>
            <Table.Th>Reason</Table.Th>
            <Table.Th>Parameters as sent</Table.Th>
            <Table.Th>From</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rejected.slice(0, 50).map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td>{formatInstant(r.receivedAt, timezone)}</Table.Td>
              <Table.Td>{r.reason}</Table.Td>
              <Table.Td>
                <Code
                  block
                  style={{ maxWidth: 480, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}
                >
                  {Object.entries(r.params)
                    .map(([k, v]) => `${k}=${v}`)
                    .join('\n')}
                </Code>
              </Table.Td>
              <Table.Td>{r.remoteAddress ?? '–'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  )
}

function ago(age: string): string {
  return age === 'just now' ? age : `${age} ago`
}

/** Is the vendor reaching us? Listener, webhook URL, last push, rejected pushes, a test push. */
export function ConnectionScreen(): React.JSX.Element {
  const health = useApp((s) => s.health)
  const openState = useApp((s) => s.openState)
  const publicUrl = useApp((s) => s.settings?.publicUrl ?? '')
  const now = useNow(5_000)
  const [pushed, setPushed] = useState<TestResult | null>(null)
  // What was changed from the text last saved here, shown while that address stands.
  const [saved, setSaved] = useState<{ url: string | null; notes: string[] } | null>(null)
  const savedNotes = saved && (saved.url ?? '') === publicUrl ? saved.notes : []

  /** The answer shows here whole, however long (a tunnel's error page included). */
  const { busy: testing, run: testPush } = useAsyncAction(
    async () => {
      setPushed(null)
      setPushed(await api.connection.testPush())
    },
    (err) => setPushed({ ok: false, message: errorText(err) }),
  )

  if (!health) return <Text c="dimmed">Loading…</Text>
  const quiet = quietLine(health.lastPushAt, now, openState)

  return (
    <Stack>
      <Title order={2}>Connection</Title>
      <StorageBanner />
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Text fw={600} mb="xs">
            Listener
          </Text>
          <Group gap="xs">
            <Badge
              color={LISTENER_COLOR[health.listener.state]}
              size="lg"
              aria-label={`Listener ${health.listener.state}`}
            >
              {health.listener.state}
            </Badge>
            <Text size="sm">
              on {health.listener.host}:{health.listener.port}
            </Text>
          </Group>
          {health.listener.error && (
            <Text c="red" size="sm" mt="xs">
              {health.listener.error}
            </Text>
          )}
        </Card>
        <Card withBorder>
          <Text fw={600} mb="xs">
            Last push
          </Text>
          <Text size="xl" fw={700} aria-label="Time since the last push">
            {health.lastPushAt ? ago(formatAge(health.lastPushAt, now)) : 'none yet'}
          </Text>
          <Text size="sm" c="dimmed">
            Today: {health.today.total} calls, {health.rejectedCount} rejected pushes in the log
          </Text>
        </Card>
      </SimpleGrid>
      {quiet.warn && (
        <Alert color="yellow" title="No push for a while" role="alert">
          {health.lastPushAt
            ? `Nothing has arrived for ${formatAge(health.lastPushAt, now)}`
            : 'Nothing has arrived yet'}
          {quiet.duringOfficeHours ? ' during office hours' : ''}. If a tunnel restarted, its
          address may have changed: check the public address below and give the vendor the webhook
          URL again.
        </Alert>
      )}
      <Card withBorder>
        <Text fw={600} mb="xs">
          Webhook URL to give the vendor
        </Text>
        <Group gap="xs" wrap="nowrap">
          <Code style={{ flex: 1, wordBreak: 'break-all' }} aria-label="Webhook URL">
            {health.webhookUrl}
          </Code>
          <CopyButton value={health.webhookUrl}>
            {({ copied, copy }) => (
              <Button
                size="compact-sm"
                color={copied ? 'teal' : undefined}
                onClick={copy}
                aria-label="Copy webhook URL"
              >
                {copied ? 'Copied' : 'Copy'}
              </Button>
            )}
          </CopyButton>
        </Group>
        <Text size="xs" c="dimmed" mt={4}>
          It contains a secret token: share it only with the vendor.
        </Text>
        <Can channel="settings:update">
          <div style={{ marginTop: 12 }}>
            <PublicUrlForm key={publicUrl} saved={publicUrl} onSaved={setSaved} />
            {savedNotes.length > 0 && (
              <Alert
                mt="xs"
                color="blue"
                variant="light"
                withCloseButton
                closeButtonLabel="Close this note"
                onClose={() => setSaved(null)}
              >
                Saved as {publicUrl}. {savedNotes.join(' ')}
              </Alert>
            )}
          </div>
        </Can>
        <Can channel="connection:testPush">
          <Group mt="md">
            <Button onClick={() => void testPush()} loading={testing}>
              Send a test push
            </Button>
            <Text size="sm">
              Sends a call through the {publicUrl ? 'tunnel and the ' : ''}listener the way the
              vendor would.
            </Text>
          </Group>
          {pushed && (
            <Alert
              mt="sm"
              color={pushed.ok ? 'teal' : 'red'}
              title={pushed.ok ? 'The test push arrived' : 'The test push failed'}
              role={pushed.ok ? 'status' : 'alert'}
              withCloseButton
              closeButtonLabel="Close the test push result"
              onClose={() => setPushed(null)}
            >
              {pushed.tested && (
                <Text size="sm" mb={4} style={{ overflowWrap: 'anywhere' }}>
                  Sent to {pushed.tested}
                </Text>
              )}
              <Text
                size="sm"
                data-testid="test-push-message"
                style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
              >
                {pushed.message}
              </Text>
            </Alert>
          )}
        </Can>
      </Card>
      <Title order={3}>Rejected pushes</Title>
      <RejectedLog />
    </Stack>
  )
}
