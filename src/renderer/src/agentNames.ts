import { useMemo } from 'react'
import { formatPhone } from '../../shared/phone'
import { useApp } from './store'

/** Looks up an agent's name by normalised number (calls carry numbers, the directory names). */
export function useAgentName(): (number: string | null) => string {
  const agents = useApp((s) => s.agents)
  return useMemo(() => {
    const names = new Map(agents.map((a) => [a.normalizedNumber, a.name]))
    return (number) => {
      if (!number) return '–'
      return names.get(number) ?? formatPhone(number)
    }
  }, [agents])
}
