import { ApiError, errorText } from './api/errors'

/** An error per form field, plus `form` for one that names no field of the form. */
export type FieldErrors<F extends string> = Partial<Record<F | 'form', string>>

/**
 * Places a refused request's message under the field it is about (the service names the fields
 * at fault); a message about no field of this form goes to `form`, shown at the form's foot.
 */
export function fieldErrors<F extends string>(err: unknown, fields: readonly F[]): FieldErrors<F> {
  const message = errorText(err)
  const named =
    err instanceof ApiError ? err.fields.filter((f): f is F => fields.includes(f as F)) : []
  if (named.length === 0) return { form: message } as FieldErrors<F>
  return Object.fromEntries(named.map((f) => [f, message])) as FieldErrors<F>
}
