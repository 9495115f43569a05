/**
 * The clock every service receives instead of reaching for `Date.now()`: tests pass a fake, the
 * desktop app and headless mode the real one.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }
