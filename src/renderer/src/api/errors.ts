/**
 * The one error type the renderer shows: the service's own words, whichever transport carried
 * them. `status` is the HTTP status (0 for network failures and IPC errors).
 */
export class ApiError extends Error {
  readonly status: number
  readonly fields: string[]

  constructor(message: string, status = 0, fields: string[] = []) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.fields = fields
  }
}

/** Turns anything thrown into words a supervisor can read. */
export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message
  return String(err)
}
