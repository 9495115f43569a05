/**
 * Errors a service throws for a reason the user can act on. Transports turn them into answers:
 * HTTP status + `{ error, fields }`, or a rejected IPC invoke with the same message.
 * Anything else is an internal error, logged and answered with a generic message.
 */
/** The HTTP statuses a `UserError` answers with. */
export type UserErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 503

export class UserError extends Error {
  constructor(
    message: string,
    readonly status: UserErrorStatus = 400,
    readonly fields: string[] = [],
  ) {
    super(message)
    this.name = 'UserError'
  }
}

export class NotFoundError extends UserError {
  constructor(message: string) {
    super(message, 404)
    this.name = 'NotFoundError'
  }
}

export function isUserError(err: unknown): err is UserError {
  return err instanceof UserError
}
