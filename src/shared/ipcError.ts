/**
 * How errors cross Electron IPC. A handler in main that rejects reaches the renderer as
 * `Error: Error invoking remote method 'calls:list': Error: <message>` (Electron adds the prefix
 * and only the message survives). Main rejects with the user-facing message only; this strips
 * Electron's wrapping so the renderer shows the same words the HTTP transport answers in
 * `ApiErrorBody.error`. The preload already applies it, so `window.api` rejects with clean messages.
 */
const PREFIX = /^(?:Error: )?Error invoking remote method '[^']*': (?:[A-Za-z]*Error: )?/

/** The user-facing message of an error from `ipcRenderer.invoke` (or any error). */
export function ipcErrorMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err)
  return message.replace(PREFIX, '')
}

/** Shown when main hides the details of an unexpected failure (they are in the log). */
export const INTERNAL_ERROR_MESSAGE = 'Something went wrong in the app; the details are in its log.'
