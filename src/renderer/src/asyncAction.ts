import { useState } from 'react'

/**
 * Sends one request of a form or a button: `busy` from the start until it settles, whether it
 * succeeded or failed; a failure goes to `failed`, which says where this form's errors belong
 * (under a field, at the form's foot, or in the alert strip). Never throws.
 */
export async function runAsyncAction(
  setBusy: (busy: boolean) => void,
  send: () => Promise<unknown>,
  failed: (err: unknown) => void,
): Promise<void> {
  setBusy(true)
  try {
    await send()
  } catch (err) {
    failed(err)
  } finally {
    setBusy(false)
  }
}

/**
 * The busy/try/finally of every form and action button, once: `run(...args)` calls
 * `send(...args)` as {@link runAsyncAction} does, and `busy` drives the button's `loading`.
 */
export function useAsyncAction<A extends unknown[]>(
  send: (...args: A) => Promise<unknown>,
  failed: (err: unknown) => void,
): { busy: boolean; run: (...args: A) => Promise<void> } {
  const [busy, setBusy] = useState(false)
  return { busy, run: (...args: A) => runAsyncAction(setBusy, () => send(...args), failed) }
}
