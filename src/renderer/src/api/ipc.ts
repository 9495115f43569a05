import type { ContractApi } from '../../../shared/contract'
import { ipcErrorMessage, splitFields } from '../../../shared/ipcError'
import { ApiError } from './errors'

/**
 * The contract over the preload's `window.api` (desktop app): same calls, with errors rethrown
 * as ApiError in the service's words; `on` is the preload's, which returns an unsubscribe.
 */
export function createIpcApi(bridge: ContractApi): ContractApi {
  const api: Record<string, unknown> = {
    on: bridge.on.bind(bridge),
  }
  for (const [domain, group] of Object.entries(bridge)) {
    if (domain === 'on' || typeof group !== 'object' || group === null) continue
    const wrapped: Record<string, unknown> = {}
    for (const [verb, fn] of Object.entries(group as Record<string, unknown>)) {
      if (typeof fn !== 'function') continue
      wrapped[verb] = async (...args: unknown[]) => {
        try {
          return await (fn as (...a: unknown[]) => Promise<unknown>)(...args)
        } catch (err) {
          // The preload already strips Electron's wrapping; the same rule, for any other bridge.
          const { message, fields } = splitFields(ipcErrorMessage(err))
          throw new ApiError(message, 0, fields)
        }
      }
    }
    api[domain] = wrapped
  }
  return api as ContractApi
}
