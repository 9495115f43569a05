/** Waits `ms`, or less if `signal` aborts (then it resolves, it does not reject). */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>

/**
 * The one wait of the retry loops (the outbox's, a role's poll, the team client's reconnects):
 * ends early, without an error, when `signal` aborts.
 */
export const sleepUnlessAborted: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const t = setTimeout(done, ms)
    function done(): void {
      clearTimeout(t)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done)
  })
