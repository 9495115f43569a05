import { Alert, Badge, Group } from '@mantine/core'
import type { TeamState } from '../../../shared/team'
import { useApp } from '../store'

const hostOf = (server: string | null): string => {
  try {
    return server ? new URL(server).host : ''
  } catch {
    return server ?? ''
  }
}

const STATE_BADGE: Record<TeamState['state'], { color: string; text: (host: string) => string }> = {
  connected: { color: 'teal', text: (h) => `Team server ${h}` },
  connecting: { color: 'yellow', text: (h) => `Connecting to ${h}…` },
  unreachable: { color: 'orange', text: (h) => `${h} cannot be reached` },
  refused: { color: 'red', text: (h) => `Refused by ${h}` },
}

/**
 * Who is looking, in the header: their name and role on a team server (a browser's person, or a
 * desktop connected to one), and for a desktop client the server and whether it answers. Nothing
 * for the single-user desktop, whose owner needs no reminder.
 */
export function TeamStatus(): React.JSX.Element | null {
  const session = useApp((s) => s.session)
  const team = useApp((s) => s.team)
  if (!session || !team || team.mode === 'local') return null
  const badge = team.mode === 'client' ? STATE_BADGE[team.state] : null
  return (
    <Group gap="xs" wrap="nowrap" aria-label="Signed in as">
      {badge && (
        <Badge color={badge.color} variant="light" title={team.error ?? team.server ?? ''}>
          {badge.text(hostOf(team.server))}
        </Badge>
      )}
      <Badge color="gray" variant="outline">
        {session.owner ? `${session.name} (owner)` : `${session.name} · ${session.role}`}
      </Badge>
    </Group>
  )
}

/** A desktop client's team server that does not answer, or refused it: said on every screen. */
export function TeamBanner(): React.JSX.Element | null {
  const team = useApp((s) => s.team)
  if (team?.mode !== 'client' || (team.state !== 'unreachable' && team.state !== 'refused'))
    return null
  const host = hostOf(team.server)
  return team.state === 'refused' ? (
    <Alert color="red" mb="md" role="alert" title={`${host} refused this desktop`}>
      {team.error} Settings → Team server.
    </Alert>
  ) : (
    <Alert color="orange" mb="md" role="status" title={`${host} cannot be reached`}>
      {team.error}. What you see is as of the last contact; it reconnects by itself, and whatever
      arrived meanwhile follows.
    </Alert>
  )
}
