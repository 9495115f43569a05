import { Button, Card, Group, Select, Stack, Switch, Text, Title } from '@mantine/core'
import { useMemo, useState } from 'react'
import type { NotifyChoice, Settings, SettingsUpdate } from '../../../../shared/domain'
import { canonicalZone, zoneChoices } from '../../../../shared/timeZones'
import { transportKind } from '../../api'
import { Can, useCan } from '../../can'
import { playAlertSound } from '../../sound'
import { saveOrError } from './saveSetting'

const NOTIFY_OPTIONS: { value: NotifyChoice; label: string }[] = [
  { value: 'all', label: 'Every call' },
  { value: 'missed', label: 'Missed and dropped calls only' },
  { value: 'off', label: 'Off' },
]

/** What this browser lists (Chromium says `Asia/Calcutta`), under current names, with cities. */
function platformZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone')
  } catch {
    return ['Asia/Kolkata', 'UTC']
  }
}

/** The browser's notification permission, and asking for it (browser mode only). */
function BrowserNotifications(): React.JSX.Element {
  const supported = typeof Notification !== 'undefined'
  const [permission, setPermission] = useState(supported ? Notification.permission : 'denied')
  if (!supported)
    return (
      <Text size="sm">This browser cannot show notifications; the tab's title still counts.</Text>
    )
  const ask = async (): Promise<void> => setPermission(await Notification.requestPermission())
  return (
    <Group gap="xs">
      <Text size="sm">
        Browser notifications (while this tab is in the background):{' '}
        <strong>
          {permission === 'granted'
            ? 'allowed'
            : permission === 'denied'
              ? 'blocked'
              : 'not asked yet'}
        </strong>
      </Text>
      {permission === 'default' && (
        <Button size="compact-sm" variant="light" onClick={() => void ask()}>
          Allow notifications
        </Button>
      )}
      {permission === 'denied' && (
        <Text size="xs" c="dimmed">
          Allow them in the browser's site settings for this address.
        </Text>
      )}
    </Group>
  )
}

type AlertField = 'timezone' | 'notify' | 'alerts'

/**
 * Time zone and alerts: what alerts, when, how (the same on desktop and in the browser). The
 * zone is an admin's; the alert choices too, except on a desktop, whose alerts are its own
 * person's (see the team client). A browser's own notification permission is anyone's.
 */
export function TimeAndAlertsCard({ settings }: { settings: Settings }): React.JSX.Element {
  const [errors, setErrors] = useState<Partial<Record<AlertField, string>>>({})
  const desktop = transportKind() === 'electron'
  const alertsOwn = useCan('settings:update') || desktop
  const zones = useMemo(() => zoneChoices(platformZones(), settings.timezone), [settings.timezone])
  const update = async (field: AlertField, u: SettingsUpdate, what: string): Promise<void> => {
    const error = await saveOrError(u, what)
    setErrors((e) => ({ ...e, [field]: error ?? undefined }))
  }
  return (
    <Card withBorder>
      <Title order={3} mb="sm">
        Time and alerts
      </Title>
      <Stack gap="sm">
        <Can channel="settings:update">
          <Select
            label="Time zone"
            description={`Now: ${settings.timezone}. Day boundaries (today, dashboards, exports) and every time shown follow this zone. Search by city; a change applies when the app restarts.`}
            data={zones}
            value={canonicalZone(settings.timezone)}
            searchable
            allowDeselect={false}
            nothingFoundMessage="No zone with that city"
            error={errors.timezone}
            onChange={(v) => v && void update('timezone', { timezone: v }, 'Time zone')}
          />
        </Can>
        {alertsOwn && (
          <>
            <Select
              label="Alerts"
              description="Desktop notifications, browser notifications, the alert strip and the sound all follow this."
              data={NOTIFY_OPTIONS}
              value={settings.notify}
              allowDeselect={false}
              error={errors.notify}
              onChange={(v) =>
                v && void update('notify', { notify: v as NotifyChoice }, 'Notifications')
              }
            />
            <Switch
              label="Quiet outside office hours"
              description="No alert for a call that arrived while the office hours then said closed"
              checked={settings.quietOutsideOfficeHours}
              onChange={(e) =>
                void update(
                  'alerts',
                  { quietOutsideOfficeHours: e.currentTarget.checked },
                  'Quiet hours',
                )
              }
            />
            <Switch
              label="Pause alerts"
              checked={settings.alertsPaused}
              onChange={(e) =>
                void update('alerts', { alertsPaused: e.currentTarget.checked }, 'Alerts')
              }
            />
            <Group gap="xs">
              <Switch
                label="Play a sound with each alert"
                checked={settings.alertSound}
                onChange={(e) =>
                  void update('alerts', { alertSound: e.currentTarget.checked }, 'Alert sound')
                }
              />
              <Button
                size="compact-sm"
                variant="subtle"
                onClick={() => void playAlertSound('MISSED')}
              >
                Test sound
              </Button>
            </Group>
          </>
        )}
        {errors.alerts && (
          <Text c="red" size="sm" role="alert">
            {errors.alerts}
          </Text>
        )}
        {!desktop && <BrowserNotifications />}
        {desktop && (
          <Switch
            label="Start at login"
            checked={settings.startAtLogin}
            onChange={(e) =>
              void update('alerts', { startAtLogin: e.currentTarget.checked }, 'Start at login')
            }
          />
        )}
      </Stack>
    </Card>
  )
}
