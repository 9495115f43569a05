import type { Change, ChangeResult } from '../../shared/domain'

/** The sentence the user sees for a change in its current state. */
export function changeMessage(change: Change): string {
  switch (change.state) {
    case 'confirmed':
      return `The vendor confirmed: ${change.summary}.`
    case 'refused':
      return `The vendor refused "${change.summary}": ${change.vendorAnswer ?? 'no reason given'}`
    case 'pending': {
      const last = change.attempts[change.attempts.length - 1]
      if (!last) {
        return `Queued: "${change.summary}" is on its way; the vendor has not answered yet. It is retried automatically until it does.`
      }
      return (
        `Queued: the vendor could not be reached (${last.detail}). ` +
        `"${change.summary}" will be sent automatically as soon as it answers.`
      )
    }
  }
}

export function changeResult(change: Change): ChangeResult {
  return { change, message: changeMessage(change) }
}
