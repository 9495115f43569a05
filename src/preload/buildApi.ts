import type { ContractApi, EventName, Events } from '../shared/contract'
import { CHANNELS, EVENT_NAMES, splitChannel } from '../shared/contractNames'
import { ipcErrorMessage } from '../shared/ipcError'

/** The part of `ipcRenderer` the api needs (a fake in tests). */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>
  on(channel: string, listener: (event: unknown, payload: unknown) => void): unknown
  removeListener(channel: string, listener: (event: unknown, payload: unknown) => void): unknown
}

/** What the preload exposes as `window.api`: exactly the contract's api (see ./api.d.ts). */
export type PreloadApi = ContractApi

type AnyRequest = (req?: unknown) => Promise<unknown>

/**
 * Builds the renderer's `api` from the contract: `api.<domain>.<verb>(req)` invokes the channel
 * `<domain>:<verb>`, and `api.on(event, handler)` subscribes to one of the contract's pushes.
 * Page code gets these functions only, never `ipcRenderer` nor the IPC event object (whose
 * `sender` would be `ipcRenderer` itself), and cannot reach channels outside the contract.
 * Rejections carry the user-facing message without Electron's "Error invoking remote method".
 */
export function buildApi(ipc: IpcRendererLike): PreloadApi {
  const domains: Record<string, Record<string, AnyRequest>> = {}
  for (const channel of CHANNELS) {
    const [domain, verb] = splitChannel(channel)
    const group = (domains[domain] ??= {})
    group[verb] = async (req?: unknown) => {
      try {
        return await (req === undefined ? ipc.invoke(channel) : ipc.invoke(channel, req))
      } catch (err) {
        throw new Error(ipcErrorMessage(err), { cause: err })
      }
    }
  }
  for (const group of Object.values(domains)) Object.freeze(group)
  const on = <E extends EventName>(event: E, handler: (payload: Events[E]) => void) => {
    if (!EVENT_NAMES.includes(event)) throw new Error(`Unknown event "${String(event)}"`)
    const listener = (_event: unknown, payload: unknown): void => handler(payload as Events[E])
    ipc.on(event, listener)
    return () => {
      ipc.removeListener(event, listener)
    }
  }
  // The domain objects are built from CHANNELS at run time, so the compiler cannot follow them;
  // test/unit/electron/preload.test.ts checks that every channel of the contract is present.
  return Object.freeze({ ...domains, on }) as unknown as PreloadApi
}
