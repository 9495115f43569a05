/**
 * The renderer's one way to reach main: components and the store use `api` from here, never
 * `window.api` or `fetch`. The desktop preload exposes `window.api`; without it (browser mode)
 * the contract travels over the local HTTP API with the token from the address.
 */
import type { ContractApi } from '../../../shared/contract'
import { pastedToken, type Session } from '../../../shared/team'
import { ApiError } from './errors'
import { createHttpApi, type StreamState } from './http'
import { createIpcApi } from './ipc'
import { forgetToken, keepToken, takeToken } from './token'

export { ApiError, errorText } from './errors'
export type { StreamState } from './http'

export type TransportKind = 'electron' | 'http'

const streamListeners = new Set<(state: StreamState) => void>()
const unauthorizedListeners = new Set<() => void>()

/** Follows the browser mode's token being refused (the service restarted with a new one). */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener)
  return () => unauthorizedListeners.delete(listener)
}

/** Follows the browser-mode event stream (the desktop IPC channel never drops). */
export function onStreamState(listener: (state: StreamState) => void): () => void {
  streamListeners.add(listener)
  return () => streamListeners.delete(listener)
}

/** The contract over HTTP to this page's own server, as the holder of `token`. */
function httpApi(token: string): ContractApi {
  return createHttpApi({
    baseUrl: window.location.origin,
    token,
    onStreamState: (s) => streamListeners.forEach((l) => l(s)),
    onUnauthorized: () => {
      forgetToken(window)
      unauthorizedListeners.forEach((l) => l())
    },
  })
}

function pick(): { api: ContractApi | null; kind: TransportKind } {
  const bridge = (globalThis as { api?: ContractApi }).api
  if (bridge) return { api: createIpcApi(bridge), kind: 'electron' }
  const token = takeToken(window)
  return { api: token ? httpApi(token) : null, kind: 'http' }
}

/**
 * Browser mode's sign-in: a personal token pasted alone or in the address it came in, checked
 * with the server (who it belongs to) before this tab keeps it and uses it.
 * @throws ApiError in words when the text holds no token or the server refuses it.
 */
export async function signIn(pasted: string): Promise<Session> {
  const token = pastedToken(pasted)
  if (!token)
    throw new ApiError(
      'Paste your personal token (it starts with ivrs_), or the whole address you were given.',
    )
  const candidate = createHttpApi({ baseUrl: window.location.origin, token })
  let session: Session
  try {
    session = await candidate.session.get()
  } catch (err) {
    if (err instanceof ApiError && err.status === 401)
      throw new ApiError(
        'This token is not accepted here: it was revoked, mistyped, or belongs to another server. Ask an admin of this server for a new one.',
        401,
      )
    throw err
  }
  keepToken(window, token)
  chosen = { api: httpApi(token), kind: 'http' }
  return session
}

let chosen: { api: ContractApi | null; kind: TransportKind } | null = null

function current(): { api: ContractApi | null; kind: TransportKind } {
  chosen ??= pick()
  return chosen
}

/** Which transport carries the contract. */
export function transportKind(): TransportKind {
  return current().kind
}

/** False in browser mode when the page was opened without `#token=…`. */
export function hasApi(): boolean {
  return current().api !== null
}

/** Replaces the transport (tests, or a fake for screenshots). */
export function setTransport(api: ContractApi, kind: TransportKind = 'http'): void {
  chosen = { api, kind }
}

/** The contract, grouped by domain: `api.calls.list(q)`, `api.on('call:stored', fn)`. */
export const api: ContractApi = new Proxy({} as ContractApi, {
  get(_target, prop) {
    const a = current().api
    if (!a)
      throw new Error(
        'Not signed in: paste your personal token on the sign-in screen, or open the address printed at start-up (with #token=…).',
      )
    return (a as unknown as Record<string | symbol, unknown>)[prop]
  },
})
