import type { Agent, Change } from '../../../shared/domain'
import type { SliceCreator } from './types'

export interface AgentsSlice {
  agents: Agent[]
  agentsLoaded: boolean
  agentsLoadedFrom: (agents: Agent[]) => void
  /** The service reported an agent (added, edited, status confirmed, pending or refused). */
  agentUpdated: (agent: Agent) => void
  agentRemoved: (number: string) => void
  /** A change to the vendor moved on: reflect it on its agent until the agent itself arrives. */
  agentChangeProgressed: (change: Change) => void
}

function byName(a: Agent, b: Agent): number {
  return a.name.localeCompare(b.name) || a.number.localeCompare(b.number)
}

export const createAgentsSlice: SliceCreator<AgentsSlice> = (set) => ({
  agents: [],
  agentsLoaded: false,
  agentsLoadedFrom: (agents) => set({ agents: [...agents].sort(byName), agentsLoaded: true }),
  agentUpdated: (agent) =>
    set((s) => {
      const others = s.agents.filter((a) => a.number !== agent.number)
      return { agents: [...others, agent].sort(byName) }
    }),
  agentRemoved: (number) => set((s) => ({ agents: s.agents.filter((a) => a.number !== number) })),
  agentChangeProgressed: (change) =>
    set((s) => {
      if (change.kind !== 'agent-status') return {}
      const number = change.target.replace(/^agent:/, '')
      const i = s.agents.findIndex((a) => a.number === number)
      const agent = s.agents[i]
      if (!agent) return {}
      // An older change settling must not hide a newer pending one.
      if (
        agent.change &&
        agent.change.id !== change.id &&
        agent.change.requestedAt > change.requestedAt
      ) {
        return {}
      }
      const next: Agent =
        change.state === 'confirmed'
          ? {
              ...agent,
              status: change.params.status === 'OFF' ? 'OFF' : 'AVAIL',
              statusConfirmedAt: change.settledAt,
              statusChangedBy: change.requestedBy,
              change: null,
            }
          : { ...agent, change }
      const agents = s.agents.slice()
      agents[i] = next
      return { agents }
    }),
})
