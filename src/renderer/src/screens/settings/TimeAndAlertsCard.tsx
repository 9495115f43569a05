import { Button, Card, Group, Select, Stack, Switch, Text, Title } from '@mantine/core'
import { useMemo, useState } from 'react'
import type { NotifyChoice, Settings, SettingsUpdate } from '../../../../shared/domain'
import { canonicalZone, zoneChoices } from '../../../../shared/timeZones'
import { transportKind } from '../../api'
import { Can, useCan } from '../../can'
import {
  ownAlertsStore,
  personKey,
  useOwnAlerts,
  withOwnAlerts,
  type AlertChoices,
} from '../../ownAlerts'
import { playAlertSound } from '../../sound'
import { useApp } from '../../store'
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

type AlertField = 'timezone' | 'alerts' | 'defaults'

/** The four alert choices, for one person or as the team's defaults. */
function AlertChoiceFields({
  values,
  onChange,
  who,
}: {
  values: AlertChoices
  onChange: (choice: Partial<AlertChoices>, what: string) => void
  /** How the fields are named to assistive technology, e.g. `Your` or `Team default`. */
  who: string
}): React.JSX.Element {
  const name = (label: string): string => (who ? `${who}: ${label}` : label)
  return (
    <>
      <Select
        label="Alerts"
        aria-label={name('Alerts')}
        description="Desktop notifications, browser notifications, the alert strip and the sound all follow this."
        data={NOTIFY_OPTIONS}
        value={values.notify}
        allowDeselect={false}
        onChange={(v) => v && onChange({ notify: v as NotifyChoice }, 'Notifications')}
      />
      <Switch
        label="Quiet outside office hours"
        aria-label={name('Quiet outside office hours')}
        description="No alert for a call that arrived while the office hours then said closed"
        checked={values.quietOutsideOfficeHours}
        onChange={(e) =>
          onChange({ quietOutsideOfficeHours: e.currentTarget.checked }, 'Quiet hours')
        }
      />
      <Switch
        label="Pause alerts"
        aria-label={name('Pause alerts')}
        checked={values.alertsPaused}
        onChange={(e) => onChange({ alertsPaused: e.currentTarget.checked }, 'Alerts')}
      />
      <Group gap="xs">
        <Switch
          label="Play a sound with each alert"
          aria-label={name('Play a sound with each alert')}
          checked={values.alertSound}
          onChange={(e) => onChange({ alertSound: e.currentTarget.checked }, 'Alert sound')}
        />
        <Button size="compact-sm" variant="subtle" onClick={() => void playAlertSound('MISSED')}>
          Test sound
        </Button>
      </Group>
    </>
  )
}

const choicesOf = (s: Settings): AlertChoices => ({
  notify: s.notify,
  quietOutsideOfficeHours: s.quietOutsideOfficeHours,
  alertsPaused: s.alertsPaused,
  alertSound: s.alertSound,
})

/**
 * A person's own alert choices in this browser, over the team's defaults: anyone's to change
 * (viewers and supervisors included), kept by this browser for that person.
 */
function OwnAlerts({ settings }: { settings: Settings }): React.JSX.Element {
  const key = useApp((s) => personKey(s.session))
  const own = useOwnAlerts((s) => (key ? s.byPerson[key] : undefined))
  const effective = withOwnAlerts(settings, own) ?? settings
  const chosen = own !== undefined && Object.keys(own).length > 0
  if (!key) return <Text size="sm">Loading who you are…</Text>
  return (
    <Stack gap="sm" role="group" aria-labelledby="own-alerts">
      <Text fw={700} id="own-alerts">
        Your alerts, in this browser
      </Text>
      <Text size="sm">
        {chosen
          ? 'Your own choices: they change nobody else’s alerts.'
          : 'The team’s defaults, until you choose otherwise: what you choose here changes nobody else’s alerts.'}
      </Text>
      <AlertChoiceFields
        who="Your alerts"
        values={choicesOf(effective)}
        onChange={(choice) => ownAlertsStore.getState().chose(key, choice)}
      />
      {chosen && (
        <Button
          size="compact-sm"
          variant="light"
          style={{ alignSelf: 'flex-start' }}
          onClick={() => ownAlertsStore.getState().reset(key)}
        >
          Use the team’s defaults
        </Button>
      )}
    </Stack>
  )
}

/**
 * Time zone and alerts: what alerts, when, how (the same on desktop and in the browser). The
 * zone and the team's default alerts are an admin's. In a browser every person chooses their own
 * alerts (kept by the browser, see ownAlerts.ts); a desktop's alerts are its own settings. A
 * browser's own notification permission is anyone's.
 */
export function TimeAndAlertsCard({ settings }: { settings: Settings }): React.JSX.Element {
  const [errors, setErrors] = useState<Partial<Record<AlertField, string>>>({})
  const desktop = transportKind() === 'electron'
  const admin = useCan('settings:update')
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
        {desktop ? (
          <AlertChoiceFields
            who=""
            values={choicesOf(settings)}
            onChange={(u, what) => void update('alerts', u, what)}
          />
        ) : (
          <OwnAlerts settings={settings} />
        )}
        {errors.alerts && (
          <Text c="red" size="sm" role="alert">
            {errors.alerts}
          </Text>
        )}
        {!desktop && admin && (
          <Stack gap="sm" role="group" aria-labelledby="team-alerts" mt="sm">
            <Text fw={700} id="team-alerts">
              The team’s default alerts
            </Text>
            <Text size="sm">
              For everyone who has not chosen their own, in every browser, and for the server’s own
              notifications.
            </Text>
            <AlertChoiceFields
              who="Team default"
              values={choicesOf(settings)}
              onChange={(u, what) => void update('defaults', u, `Team default: ${what}`)}
            />
            {errors.defaults && (
              <Text c="red" size="sm" role="alert">
                {errors.defaults}
              </Text>
            )}
          </Stack>
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
