import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  PasswordInput,
  Stack,
  Tabs,
  Text,
  TextInput,
  Title,
} from '@mantine/core'
import { useState } from 'react'
import type { TestResult } from '../../../../shared/contract'
import type { Settings, SettingsUpdate } from '../../../../shared/domain'
import { VENDOR_HANDLER_PATH } from '../../../../shared/vendorPaths'
import { api, transportKind } from '../../api'
import { useAsyncAction } from '../../asyncAction'
import { fieldErrors, type FieldErrors } from '../../formErrors'
import { showError, showInfo } from '../../notify'
import { useApp } from '../../store'
import { DataFolderCard } from './DataFolderCard'
import { saveOrError } from './saveSetting'
import { TimeAndAlertsCard } from './TimeAndAlertsCard'
import { Can, useCan } from '../../can'
import { AccountsTab } from './AccountsTab'
import { TeamServerTab } from './TeamServerTab'

const STORAGE_TEXT: Record<Settings['secretStorage'], string> = {
  encrypted: 'Encrypted with the operating system’s keychain.',
  'plain-text':
    'Plain text: this system offers no keychain, so the API key and webhook token are kept unencrypted in the data folder.',
  env: 'Taken from environment variables (not stored by the app).',
}

async function save(update: SettingsUpdate, what: string): Promise<boolean> {
  const error = await saveOrError(update, what)
  if (error) showError(`Could not save ${what.toLowerCase()}`, new Error(error))
  return error === null
}

function VendorCard({ settings }: { settings: Settings }): React.JSX.Element {
  const [vendorUrl, setVendorUrl] = useState(settings.vendorUrl ?? '')
  const [custId, setCustId] = useState(settings.custId ?? '')
  const [apiKey, setApiKey] = useState('')
  const [test, setTest] = useState<TestResult | null>(null)
  const [errors, setErrors] = useState<FieldErrors<'vendorUrl' | 'custId' | 'apiKey'>>({})
  // A missing or malformed value shows under its field, whether saving or testing.
  const showUnderFields = (err: unknown): void =>
    setErrors(fieldErrors(err, ['vendorUrl', 'custId', 'apiKey']))

  const { busy, run: submit } = useAsyncAction(async () => {
    setErrors({})
    const update: SettingsUpdate = {
      vendorUrl: vendorUrl.trim() || null,
      custId: custId.trim() || null,
    }
    if (apiKey) update.apiKey = apiKey
    await api.settings.update(update)
    showInfo('Saved', 'Vendor settings')
    setApiKey('')
  }, showUnderFields)
  /** Tests what is on screen, saved or not: the answer says which it tested. */
  const { busy: testing, run: testConnection } = useAsyncAction(async () => {
    setTest(null)
    setErrors({})
    setTest(
      await api.settings.testConnection({
        vendorUrl: vendorUrl.trim() || null,
        custId: custId.trim() || null,
        ...(apiKey ? { apiKey } : {}),
      }),
    )
  }, showUnderFields)

  return (
    <Card withBorder>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void submit()
        }}
      >
        <Title order={3} mb="sm">
          Vendor
        </Title>
        <Stack gap="sm">
          <TextInput
            label="Vendor settings URL"
            placeholder={`http://…${VENDOR_HANDLER_PATH}`}
            value={vendorUrl}
            onChange={(e) => setVendorUrl(e.currentTarget.value)}
            error={errors.vendorUrl}
          />
          <PasswordInput
            label="API key"
            description={
              settings.apiKeySet
                ? 'A key is stored. Type a new one to replace it (it is never shown).'
                : 'Not set.'
            }
            placeholder={settings.apiKeySet ? 'stored' : 'not set'}
            value={apiKey}
            onChange={(e) => setApiKey(e.currentTarget.value)}
            autoComplete="off"
            rightSectionWidth={80}
            error={errors.apiKey}
          />
          <Group gap="xs">
            <Text size="sm">API key:</Text>
            <Badge color={settings.apiKeySet ? 'teal' : 'gray'} variant="light">
              {settings.apiKeySet ? 'stored' : 'not set'}
            </Badge>
          </Group>
          <TextInput
            label="Customer id"
            value={custId}
            onChange={(e) => setCustId(e.currentTarget.value)}
            error={errors.custId}
          />
          {errors.form && (
            <Alert color="red" role="alert">
              {errors.form}
            </Alert>
          )}
          <Group>
            <Button type="submit" loading={busy}>
              Save vendor settings
            </Button>
            <Button variant="default" loading={testing} onClick={() => void testConnection()}>
              Test connection
            </Button>
          </Group>
          <Text size="sm">Tests the values above as they are now, saved or not.</Text>
          {test && (
            <Alert
              color={test.ok ? 'teal' : 'red'}
              title={test.ok ? 'Connection works' : 'Connection failed'}
              role={test.ok ? 'status' : 'alert'}
            >
              {test.tested && (
                <Text size="sm" fw={600} mb={4}>
                  Tested: {test.tested}
                </Text>
              )}
              <Text size="sm">{test.message}</Text>
            </Alert>
          )}
        </Stack>
      </form>
    </Card>
  )
}

/**
 * Vendor connection, time zone and notification choices. An admin's: only the alerts of a
 * desktop are its own person's (see the team client), so they show to every role there.
 */
function GeneralSettings(): React.JSX.Element {
  const settings = useApp((s) => s.settings)
  if (!settings) return <Text c="dimmed">Loading…</Text>
  return (
    <Stack maw={820}>
      {/* Remount when the stored values change so the form shows them. */}
      <Can channel="settings:update">
        <VendorCard key={`${settings.vendorUrl}|${settings.custId}`} settings={settings} />
      </Can>
      <TimeAndAlertsCard settings={settings} />
      <Can channel="storage:backup">
        <DataFolderCard settings={settings} save={save} />
      </Can>
      <Card withBorder>
        <Title order={3} mb="sm">
          Secret storage
        </Title>
        {settings.secretStorage === 'plain-text' ? (
          <Alert color="yellow" title="Secrets are stored in plain text">
            {STORAGE_TEXT['plain-text']}
          </Alert>
        ) : (
          <Text size="sm">{STORAGE_TEXT[settings.secretStorage]}</Text>
        )}
      </Card>
    </Stack>
  )
}

/**
 * Settings, in tabs: the app's own; the team's accounts (an admin on a team server); the desktop's
 * team-server connection (desktop app only).
 */
export function SettingsScreen(): React.JSX.Element {
  const canManage = useCan('accounts:list')
  const team = useApp((s) => s.team)
  const desktop = transportKind() === 'electron'
  const accounts = canManage && (team?.mode === 'server' || team?.mode === 'client')
  return (
    <Stack>
      <Title order={2}>Settings</Title>
      <Tabs defaultValue="general" keepMounted={false}>
        <Tabs.List aria-label="Settings" mb="md">
          <Tabs.Tab value="general">General</Tabs.Tab>
          {accounts && <Tabs.Tab value="accounts">Accounts</Tabs.Tab>}
          {desktop && <Tabs.Tab value="team">Team server</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="general">
          <GeneralSettings />
        </Tabs.Panel>
        {accounts && (
          <Tabs.Panel value="accounts">
            <AccountsTab />
          </Tabs.Panel>
        )}
        {desktop && (
          <Tabs.Panel value="team">
            <TeamServerTab />
          </Tabs.Panel>
        )}
      </Tabs>
    </Stack>
  )
}
