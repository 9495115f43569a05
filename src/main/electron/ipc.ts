import type { IpcMain, IpcMainInvokeEvent } from 'electron'
import {
  CHANNELS,
  REQUESTS,
  type Channel,
  type EventName,
  type Events,
} from '../../shared/contract'
import { INTERNAL_ERROR_MESSAGE, withFields } from '../../shared/ipcError'
import type { CallExportQuery } from '../../shared/schemas'
import {
  callHandler,
  ownerContext,
  type Core,
  type HandledChannel,
  type Handlers,
  type RequestContext,
} from '../core/core'
import { isUserError } from '../ground/errors'
import { RequestValidator } from '../core/requestValidator'
import type { Logger } from '../ground/logger'
import type { SenderFrame } from './appUrl'
import { writeCsvFile } from './csvFile'

export interface IpcDeps {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>
  core: Pick<Core, 'handlers' | 'exportCsv'>
  /** True for the app's own top-level frame (see `isTrustedFrame`). */
  isTrustedSender: (frame: SenderFrame | null) => boolean
  /** Asks the user where to save a CSV (a save dialog); null when they cancel. */
  saveCsv: (suggestedName: string) => Promise<string | null>
  /** OS user name, recorded with the changes the user asks for. */
  user: string
  logger: Logger
  /** Told after each successful request, e.g. so the tray reflects `settings:update`. */
  onHandled?: (channel: Channel) => void
  /** Local date `YYYY-MM-DD` for the suggested CSV file name. */
  today?: () => string
}

/** Refusal sent to a frame that is not the app's own page. */
export const UNTRUSTED_SENDER_MESSAGE = 'Refused: the request did not come from the app window.'

/**
 * Registers one `ipcMain.handle` per contract channel. Each handler refuses frames that are not
 * the app's own, validates the payload with the schema the HTTP API uses (the renderer is
 * untrusted input), calls the core's handler as the owner (`ownerContext('ipc', user)`) and returns its
 * plain JSON. A `UserError` rejects with its message; anything else is logged and rejects with a
 * generic message. Returns the function that removes every handler.
 */
export function registerIpc(deps: IpcDeps): () => void {
  const ctx: RequestContext = ownerContext('ipc', deps.user)
  const validators = new Map<Channel, RequestValidator | null>()
  for (const channel of CHANNELS) {
    const schema = REQUESTS[channel].schema
    validators.set(channel, schema ? new RequestValidator(schema, `request for ${channel}`) : null)
  }

  const call = async (channel: Channel, payload: unknown): Promise<unknown> => {
    if (channel === 'calls:exportCsv') return exportCsv(deps, payload as CallExportQuery)
    return callHandler(deps.core.handlers, channel, payload, ctx)
  }

  for (const channel of CHANNELS) {
    const validator = validators.get(channel) ?? null
    deps.ipcMain.handle(channel, async (event: IpcMainInvokeEvent, ...args: unknown[]) => {
      if (!deps.isTrustedSender(event.senderFrame)) {
        deps.logger.warn('IPC refused from a frame that is not the app', {
          channel,
          url: event.senderFrame?.url ?? null,
        })
        throw new Error(UNTRUSTED_SENDER_MESSAGE)
      }
      const payload = args[0]
      if (args.length > 1) throw new Error(`Invalid request for ${channel}: one argument expected`)
      if (validator === null) {
        if (payload !== undefined)
          throw new Error(`Invalid request for ${channel}: it takes no request data`)
      } else {
        const failure = validator.check(payload)
        if (failure) throw new Error(failure.error)
      }
      try {
        const result = await call(channel, payload)
        deps.onHandled?.(channel)
        return result
      } catch (err) {
        // Only the message reaches the renderer: a fresh Error without `cause`, so nothing of an
        // internal failure (paths, stack, vendor answers) crosses IPC.
        // eslint-disable-next-line preserve-caught-error
        if (isUserError(err)) throw new Error(withFields(err.message, err.fields))
        deps.logger.error('IPC handler failed', {
          channel,
          error: err instanceof Error ? (err.stack ?? err.message) : String(err),
        })
        // eslint-disable-next-line preserve-caught-error
        throw new Error(INTERNAL_ERROR_MESSAGE)
      }
    })
  }
  return () => {
    for (const channel of CHANNELS) deps.ipcMain.removeHandler(channel)
  }
}

async function exportCsv(
  deps: IpcDeps,
  query: CallExportQuery,
): Promise<{ saved: boolean; path: string | null; rows: number }> {
  const today = deps.today?.() ?? new Date().toISOString().slice(0, 10)
  const path = await deps.saveCsv(`calls-${today}.csv`)
  if (!path) return { saved: false, path: null, rows: 0 }
  const rows = await writeCsvFile(path, deps.core.exportCsv(query))
  deps.logger.info('Exported calls to CSV', { rows })
  return { saved: true, path, rows }
}

/** Where pushes go: the window's webContents, while it exists. */
export interface PushTarget {
  isDestroyed(): boolean
  send(channel: string, payload: unknown): void
}

/**
 * Forwards every contract event from the core to the window (`webContents.send`). The target is
 * looked up per event because the window may be re-created; returns the unsubscribe function.
 */
export function forwardEvents(
  core: Pick<Core, 'subscribe'>,
  target: () => PushTarget | null,
): () => void {
  return core.subscribe(<E extends EventName>(event: E, payload: Events[E]) => {
    const wc = target()
    if (wc && !wc.isDestroyed()) wc.send(event, payload)
  })
}

/**
 * The core as IPC sees it while it is still starting: each request waits for the core, then goes
 * to it. The window is created (and its page loaded) before the core starts, so a supervisor sees
 * the app at once, even while macOS asks for the Keychain or the store checks its files.
 */
export function pendingCore(
  ready: Promise<Pick<Core, 'handlers' | 'exportCsv'>>,
): Pick<Core, 'handlers' | 'exportCsv'> {
  const handled = CHANNELS.filter((c): c is HandledChannel => c !== 'calls:exportCsv')
  const handlers = Object.fromEntries(
    handled.map((channel) => [
      channel,
      async (req: unknown, ctx: RequestContext) =>
        callHandler((await ready).handlers, channel, req, ctx),
    ]),
  ) as unknown as Handlers
  return {
    handlers,
    exportCsv: (query) => ({
      async *[Symbol.asyncIterator]() {
        yield* (await ready).exportCsv(query)
      },
    }),
  }
}
