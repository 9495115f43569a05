import type { OpenState } from '../../../../shared/contract'

/** No push for this long is worth a warning (the vendor retries for well under a minute). */
export const QUIET_WARNING_MS = 15 * 60_000

/**
 * Whether a quiet line deserves the warning, and whether to say "during office hours". Only
 * main decides whether the office is open (hours and holidays): closed, outside hours or on a
 * holiday, means no warning; with no hours set the office counts as open, but not as "during
 * office hours"; before main has said, the warning stands.
 */
export function quietLine(
  lastPushAt: string | null,
  nowMs: number,
  open: OpenState | null,
): { warn: boolean; duringOfficeHours: boolean } {
  const quietMs = lastPushAt ? nowMs - Date.parse(lastPushAt) : null
  const closed = open !== null && !open.open
  return {
    warn: (quietMs === null || quietMs > QUIET_WARNING_MS) && !closed,
    duringOfficeHours: open !== null && open.open && open.nextChangeAt !== null,
  }
}
