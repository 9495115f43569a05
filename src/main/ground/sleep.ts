/** A wait that a stop signal cuts short: the outbox's retries and the team client's reconnects. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>

/** Waits `ms`, or less when `signal` aborts: then it resolves, without an error. */
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
