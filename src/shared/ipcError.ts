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

/** How the fields at fault ride at the end of an error's message over IPC (only text crosses). */
const FIELDS = /\n\[fields: ([^\]\n]*)\]$/

/** A user error's message with the fields it is about, for IPC (`UserError.fields`). */
export function withFields(message: string, fields: readonly string[]): string {
  return fields.length > 0 ? `${message}\n[fields: ${fields.join(',')}]` : message
}

/** The message and the fields at fault of an IPC error's text (see {@link withFields}). */
export function splitFields(text: string): { message: string; fields: string[] } {
  const m = FIELDS.exec(text)
  if (!m) return { message: text, fields: [] }
  return { message: text.slice(0, m.index), fields: m[1]!.split(',').filter(Boolean) }
}
