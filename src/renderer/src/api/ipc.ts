import type { ContractApi } from '../../../shared/contract'
import { ApiError } from './errors'

// Electron wraps every error thrown by a handler: keep only the service's own words.
const IPC_PREFIX = /^Error invoking remote method '[^']*':\s*(?:[A-Za-z]*Error:\s*)?/

/** Strips Electron's "Error invoking remote method '…': Error: " prefix. */
export function stripIpcPrefix(message: string): string {
  return message.replace(IPC_PREFIX, '')
}

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
          const message = err instanceof Error ? err.message : String(err)
          throw new ApiError(stripIpcPrefix(message))
        }
      }
    }
    api[domain] = wrapped
  }
  return api as ContractApi
}
