import type { Account, Session, TeamState } from '../../../shared/team'
import type { SliceCreator } from './types'

/** Who is looking, how this app stands with a team server, and (for admins) the team's accounts. */
export interface TeamSlice {
  /** Null until main answered: the screens show no change controls before then. */
  session: Session | null
  team: TeamState | null
  accounts: Account[]
  sessionLoaded: (session: Session) => void
  teamChanged: (team: TeamState) => void
  accountsLoaded: (accounts: Account[]) => void
}

export const createTeamSlice: SliceCreator<TeamSlice> = (set) => ({
  session: null,
  team: null,
  accounts: [],
  sessionLoaded: (session) => set({ session }),
  // The desktop's own connection carries who it is on the server, once known.
  teamChanged: (team) => set(team.as ? { team, session: team.as } : { team }),
  accountsLoaded: (accounts) => set({ accounts }),
})
