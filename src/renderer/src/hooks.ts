import { useMediaQuery } from '@mantine/hooks'
import { useEffect, useState } from 'react'
import { useApp, type AppState } from './store'

/** The zone main works in (day boundaries, times of calls), until it has said: India's. */
export const DEFAULT_ZONE = 'Asia/Kolkata'

/** The zone main runs with, in `s`. */
export function zoneOf(s: Pick<AppState, 'health' | 'settings'>): string {
  return s.health?.timezone ?? s.settings?.timezone ?? DEFAULT_ZONE
}

/** The zone every date and time on screen is shown in: the one main runs with. */
export function useTimezone(): string {
  return useApp(zoneOf)
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

/** The widths a phone held upright has (390 px and the like): screens stack what sits side by side. */
export const PHONE_QUERY = '(max-width: 40em)'

/** True on a phone-sized window (see {@link PHONE_QUERY}), known from the first render. */
export function usePhone(): boolean {
  return useMediaQuery(PHONE_QUERY, undefined, { getInitialValueInEffect: false })
}
