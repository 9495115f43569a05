import type { Agent } from '../../../shared/domain'
import type { SliceCreator } from './types'

export interface AgentsSlice {
  agents: Agent[]
  agentsLoaded: boolean
  agentsLoadedFrom: (agents: Agent[]) => void
  /** The service reported an agent (added, edited, status confirmed, pending or refused). */
  agentUpdated: (agent: Agent) => void
  agentRemoved: (number: string) => void
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
})
