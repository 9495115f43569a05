import {
  ActionIcon,
  Alert,
  AppShell,
  Badge,
  Group,
  Loader,
  Tabs,
  Text,
  Title,
  useComputedColorScheme,
  useMantineColorScheme,
} from '@mantine/core'
import { Suspense, lazy, useEffect, useState, type ComponentType } from 'react'
import { waitingText } from '../../shared/missedQueue'
import { browserPage, createCallAlerts } from './alerts'
import { api, hasApi, onStreamState, onUnauthorized, transportKind } from './api'
import { showBadge } from './badge'
import { startBootstrap } from './bootstrap'
import { AlertStrip } from './components/AlertStrip'
import { SignIn } from './components/SignIn'
import { SimulatorBanner } from './components/SimulatorBanner'
import { TeamBanner, TeamStatus } from './components/TeamStatus'
import { alertSettingsNow } from './ownAlerts'
import { hashFor, isWallboardHash, screenFromHash } from './routing'
import { usePhone } from './hooks'
import { AgentsScreen } from './screens/agents/AgentsScreen'
import { ConnectionScreen } from './screens/connection/ConnectionScreen'
import { LiveScreen } from './screens/live/LiveScreen'
import { MissedScreen } from './screens/missed/MissedScreen'
import { SettingsScreen } from './screens/settings/SettingsScreen'
import { KeyboardShortcuts } from './shortcuts/ShortcutsHelp'
import { appStore, useApp } from './store'
import { SCREENS, type ScreenId } from './store/uiSlice'

// The insight screens carry the heavy libraries (charts, calendars, the virtualised table):
// they load when first opened, so the Live feed starts fast.
const DashboardScreen = lazy(() =>
  import('./screens/dashboard/DashboardScreen').then((m) => ({ default: m.DashboardScreen })),
)
const HistoryScreen = lazy(() =>
  import('./screens/history/HistoryScreen').then((m) => ({ default: m.HistoryScreen })),
)
const HolidaysScreen = lazy(() =>
  import('./screens/holidays/HolidaysScreen').then((m) => ({ default: m.HolidaysScreen })),
)
const OfficeHoursScreen = lazy(() =>
  import('./screens/officeHours/OfficeHoursScreen').then((m) => ({ default: m.OfficeHoursScreen })),
)
const WallboardScreen = lazy(() =>
  import('./screens/wallboard/WallboardScreen').then((m) => ({ default: m.WallboardScreen })),
)

/** On a phone the queue and the agents come first: what a supervisor away from the desk works. */
const PHONE_FIRST: readonly ScreenId[] = ['missed', 'agents']
const PHONE_TABS = [
  ...SCREENS.filter((s) => PHONE_FIRST.includes(s.id)),
  ...SCREENS.filter((s) => !PHONE_FIRST.includes(s.id)),
]

const SCREEN_COMPONENTS: Record<ScreenId, ComponentType> = {
  live: LiveScreen,
  missed: MissedScreen,
  agents: AgentsScreen,
  connection: ConnectionScreen,
  settings: SettingsScreen,
  history: HistoryScreen,
  dashboard: DashboardScreen,
  holidays: HolidaysScreen,
  'office-hours': OfficeHoursScreen,
}

function ColorSchemeToggle(): React.JSX.Element {
  const { setColorScheme } = useMantineColorScheme()
  const scheme = useComputedColorScheme('light')
  const next = scheme === 'dark' ? 'light' : 'dark'
  return (
    <ActionIcon
      variant="default"
      size="lg"
      aria-label={`Switch to ${next} mode`}
      title={`Switch to ${next} mode`}
      onClick={() => setColorScheme(next)}
    >
      <span aria-hidden="true">{scheme === 'dark' ? '☀' : '☾'}</span>
    </ActionIcon>
  )
}

function StreamBadge(): React.JSX.Element | null {
  const stream = useApp((s) => s.stream)
  if (stream === 'open')
    return (
      <Badge color="teal" variant="light">
        Live
      </Badge>
    )
  if (stream === 'refused')
    return (
      <Badge color="red" variant="light" title="The token was revoked or mistyped">
        Access refused
      </Badge>
    )
  return (
    <Badge color="yellow" variant="light">
      {stream === 'connecting' ? 'Connecting…' : 'Reconnecting…'}
    </Badge>
  )
}

function openAlert({ callId, missed }: { callId: string; missed: boolean }): void {
  const s = appStore.getState()
  if (missed) {
    location.hash = hashFor('missed')
    return
  }
  s.callOpenRequested(callId)
  location.hash = hashFor('live')
}

/** The shell: header, tabs named after the screens, the banner, and the current screen. */
export function App(): React.JSX.Element {
  const screen = useApp((s) => s.screen)
  const openCount = useApp((s) => s.missedOpenCount)
  const loadError = useApp((s) => s.loadError)
  const [expired, setExpired] = useState(false)
  // Bumped by a sign-in, so the shell looks at the new transport.
  const [, setSignIns] = useState(0)
  const [wallboard, setWallboard] = useState(() => isWallboardHash(location.hash))
  const phone = usePhone()
  const ready = hasApi() && !expired

  useEffect(() => onUnauthorized(() => setExpired(true)), [])
  useEffect(() => showBadge(openCount), [openCount])

  useEffect(() => {
    const follow = (): void => {
      setWallboard(isWallboardHash(location.hash))
      appStore.getState().navigated(screenFromHash(location.hash, phone ? 'missed' : 'live'))
    }
    follow()
    window.addEventListener('hashchange', follow)
    return () => window.removeEventListener('hashchange', follow)
  }, [phone])

  useEffect(() => {
    if (!ready) return
    const browser = transportKind() === 'http'
    return startBootstrap({
      store: appStore,
      api,
      onStreamState: browser ? onStreamState : undefined,
      toast: createCallAlerts({
        settings: alertSettingsNow,
        browser,
        page: browserPage,
        openCall: (call) => openAlert({ callId: call.id, missed: call.status !== 'ANSWER' }),
      }),
    })
  }, [ready])

  const Screen = SCREEN_COMPONENTS[screen]
  if (ready && wallboard)
    return (
      <Suspense fallback={<Loader aria-label="Loading the wallboard" />}>
        <WallboardScreen />
      </Suspense>
    )
  return (
    <AppShell header={{ height: 56 }} footer={{ height: 44, collapsed: !ready }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Title order={1} size={phone ? 'h4' : 'h3'} style={{ whiteSpace: 'nowrap' }}>
              IVR Supervisor
            </Title>
            {ready && <StreamBadge />}
          </Group>
          <Group gap="sm" wrap="nowrap">
            {ready && !phone && <TeamStatus />}
            {ready && <KeyboardShortcuts />}
            <ColorSchemeToggle />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main>
        {!ready ? (
          <SignIn
            refused={expired}
            onSignedIn={() => {
              setExpired(false)
              setSignIns((n) => n + 1)
            }}
          />
        ) : (
          <>
            {/* A phone's header has room for the name only: who is looking goes first here. */}
            {phone && (
              <Group mb="xs">
                <TeamStatus />
              </Group>
            )}
            <Tabs
              value={screen}
              onChange={(v) => {
                if (v) location.hash = hashFor(v as ScreenId)
              }}
              keepMounted={false}
              mb="md"
            >
              <Tabs.List aria-label="Screens">
                {(phone ? PHONE_TABS : SCREENS).map((s) => (
                  <Tabs.Tab
                    key={s.id}
                    value={s.id}
                    rightSection={
                      s.id === 'missed' && openCount > 0 ? (
                        <Badge
                          color="red"
                          size="sm"
                          circle={openCount < 10}
                          aria-label={waitingText(openCount)}
                          title={waitingText(openCount)}
                        >
                          {openCount}
                        </Badge>
                      ) : undefined
                    }
                  >
                    {s.label}
                  </Tabs.Tab>
                ))}
              </Tabs.List>
            </Tabs>
            <SimulatorBanner />
            <TeamBanner />
            {loadError && (
              <Alert color="red" title="Could not load everything" mb="md">
                <Text size="sm">{loadError}</Text>
              </Alert>
            )}
            {/* The AppShell's <main> is the one main landmark; each screen is a labelled region. */}
            <Suspense fallback={<Loader aria-label="Loading screen" />}>
              <Screen />
            </Suspense>
          </>
        )}
      </AppShell.Main>
      {ready && (
        <AppShell.Footer>
          <AlertStrip onOpen={openAlert} />
        </AppShell.Footer>
      )}
    </AppShell>
  )
}
