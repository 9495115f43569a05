import {
  Badge,
  Button,
  Card,
  Group,
  NumberInput,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core'
import { useState } from 'react'
import type { Settings, SettingsUpdate } from '../../../../shared/domain'
import type { BackupResult, CheckReport } from '../../../../shared/storage'
import { api } from '../../api'
import { formatInstant } from '../../format'
import { showError, showInfo } from '../../notify'
import { useApp } from '../../store'
import { useTimezone } from '../../hooks'
import { useAsyncAction } from '../../asyncAction'
import { saveOrError } from './saveSetting'

const LEVEL_COLOR = { ok: 'teal', warning: 'yellow', damage: 'red' } as const

function Report({ report }: { report: CheckReport }): React.JSX.Element {
  return (
    <Stack gap={4} aria-label="Data folder check">
      <Text size="sm">
        {report.ok ? 'No damage found.' : 'Damage found.'} Checked {report.counts.journalRecords}{' '}
        journal records, {report.counts.calls} calls in {report.counts.months} month files and{' '}
        {report.counts.documents} documents.
      </Text>
      <Table>
        <Table.Tbody>
          {report.findings.map((f, i) => (
            <Table.Tr key={i}>
              <Table.Td>
                <Badge color={LEVEL_COLOR[f.level]} variant="light">
                  {f.level}
                </Badge>
              </Table.Td>
              <Table.Td>{f.file}</Table.Td>
              <Table.Td>{f.message}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {report.repaired.map((r) => (
        <Text key={r} size="sm">
          {r}
        </Text>
      ))}
    </Stack>
  )
}

/**
 * Settings → Data folder: the same check as `npm run doctor`, a backup now, and the daily backup
 * (on/off, days kept, where). `save` is the Settings screen's own saver.
 */
export function DataFolderCard({
  settings,
  save,
}: {
  settings: Settings
  save: (update: SettingsUpdate, what: string) => Promise<boolean>
}): React.JSX.Element {
  const lastBackup = useApp((s) => s.health?.storage?.lastBackup)
  const timezone = useTimezone()
  const [report, setReport] = useState<CheckReport | null>(null)
  const [made, setMade] = useState<BackupResult | null>(null)
  const [dir, setDir] = useState(settings.backupDir ?? '')
  const [dirError, setDirError] = useState<string | null>(null)

  const check = useAsyncAction(
    async () => setReport(await api.storage.check()),
    (err) => showError('The check failed', err),
  )
  const backup = useAsyncAction(
    async () => {
      const r = await api.storage.backup()
      setMade(r)
      showInfo('Backup made', r.path)
    },
    (err) => showError('The backup failed', err),
  )

  return (
    <Card withBorder>
      <Title order={3} mb="sm">
        Data folder
      </Title>
      <Stack gap="sm">
        <Group>
          <Button variant="default" loading={check.busy} onClick={() => void check.run()}>
            Check data folder
          </Button>
          <Button variant="default" loading={backup.busy} onClick={() => void backup.run()}>
            Back up now
          </Button>
          <Text size="sm" c="dimmed">
            {lastBackup
              ? `Last backup ${formatInstant(lastBackup.at, timezone)}: ${lastBackup.path}`
              : 'No backup yet.'}
          </Text>
        </Group>
        {made && (
          <Text size="sm" aria-label="Backup made">
            Backup made in {made.path} ({made.files} files).
            {made.pruned.length > 0 ? ` ${made.pruned.length} older backups removed.` : ''}
          </Text>
        )}
        {report && <Report report={report} />}
        <Switch
          label="Back up every day"
          checked={settings.backupDaily}
          onChange={(e) => void save({ backupDaily: e.currentTarget.checked }, 'Daily backup')}
        />
        <NumberInput
          label="Keep backups for (days)"
          min={1}
          max={365}
          value={settings.backupKeepDays}
          onChange={(v) =>
            typeof v === 'number' && v >= 1 && void save({ backupKeepDays: v }, 'Days kept')
          }
          maw={220}
        />
        <form
          onSubmit={(e) => {
            e.preventDefault()
            // A refused folder shows under its field.
            void saveOrError({ backupDir: dir.trim() || null }, 'Backup folder').then(setDirError)
          }}
        >
          <Group align="flex-end" gap="xs">
            <TextInput
              label="Backup folder"
              description="Empty: the backups folder inside the data folder. Another disk protects against a failing one."
              placeholder="backups (inside the data folder)"
              value={dir}
              onChange={(e) => setDir(e.currentTarget.value)}
              error={dirError !== null}
              style={{ flex: 1 }}
            />
            <Button type="submit" variant="default">
              Save folder
            </Button>
          </Group>
          {dirError && (
            <Text c="red" size="sm" mt={4} role="alert">
              {dirError}
            </Text>
          )}
        </form>
      </Stack>
    </Card>
  )
}
