import type { Change, ChangeAttempt } from '../../shared/domain'

/** One line of the audit log: what happened to which change, when, and who asked. */
export type AuditEntry =
  | { type: 'requested'; at: string; change: Change }
  | { type: 'attempt'; at: string; changeId: string; attempt: ChangeAttempt }
  | { type: 'settled'; at: string; changeId: string; state: Change['state']; answer: string | null }
