import { useEffect, useState } from 'react'
import { useApp } from './store'

/** The zone main works in (day boundaries, times of calls), until it has said: India's. */
export const DEFAULT_ZONE = 'Asia/Kolkata'

/** The zone every date and time on screen is shown in: the one main runs with. */
export function useTimezone(): string {
  return useApp((s) => s.health?.timezone ?? s.settings?.timezone ?? DEFAULT_ZONE)
}

/** The current time, refreshed every `everyMs` (for live-updating "waited" times). */
export function useNow(everyMs = 15_000): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs)
    return () => clearInterval(t)
  }, [everyMs])
  return now
}
