import { describe, expect, it } from 'vitest'
import { runAsyncAction } from '../../../src/renderer/src/asyncAction'

/** A request the test settles by hand, and the busy states and failures the action went through. */
function harness() {
  const states: boolean[] = []
  const failures: unknown[] = []
  let settle: { resolve: () => void; reject: (err: unknown) => void } = {
    resolve: () => {},
    reject: () => {},
  }
  const send = () =>
    new Promise<void>((resolve, reject) => {
      settle = { resolve, reject }
    })
  const run = () =>
    runAsyncAction(
      (b) => states.push(b),
      send,
      (err) => failures.push(err),
    )
  return { states, failures, run, settle: () => settle }
}

describe('the busy/try/finally every form shares (runAsyncAction)', () => {
  it('is busy while the request is out and not once it is answered', async () => {
    const h = harness()
    const done = h.run()
    expect(h.states).toEqual([true])
    h.settle().resolve()
    await done
    expect(h.states).toEqual([true, false])
    expect(h.failures).toEqual([])
  })

  it("hands a refusal to the form's own place for errors, and is no longer busy", async () => {
    const h = harness()
    const done = h.run()
    const refused = new Error('Not a phone number: 12')
    h.settle().reject(refused)
    await expect(done).resolves.toBeUndefined()
    expect(h.failures).toEqual([refused])
    expect(h.states).toEqual([true, false])
  })
})
