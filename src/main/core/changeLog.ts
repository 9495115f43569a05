/**
 * Every change a person makes, with who made it: each channel whose least role is above `viewer`
 * (the contract's `MIN_ROLE`) is a change, and each one that succeeds is appended to
 * `activity.jsonl` in the data folder (JSON Lines, fsync'd, never pruned) with the person's name,
 * role and account, whichever transport carried it. Vendor changes are also in the vendor audit
 * log under the same name.
 */
import { join } from 'node:path'
import { MIN_ROLE, type RequestOf } from '../../shared/contract'
import type { Role } from '../../shared/team'
import type { Clock } from '../ground/clock'
import type { Logger } from '../ground/logger'
import { AuditLog } from '../ivrApi/audit'
import type { HandledChannel, Handler, Handlers, RequestContext } from './core'

export const ACTIVITY_FILE = 'activity.jsonl'

/** One line of the activity log. */
export interface ActivityEntry {
  at: string
  /** The person's name (an account's, or the owner's OS user name). */
  by: string
  role: Role
  /** The account id; null for the owner. */
  account: string | null
  transport: RequestContext['transport']
  channel: HandledChannel
  /** What was asked, secrets and bulk left out. */
  request: unknown
}

export function openActivityLog(dataDir: string): AuditLog<ActivityEntry> {
  return new AuditLog<ActivityEntry>(join(dataDir, ACTIVITY_FILE))
}

/** What the log keeps of a request: never the API key, never a whole CSV. */
function recorded(channel: HandledChannel, req: unknown): unknown {
  if (channel === 'settings:update') {
    const { apiKey, ...rest } = req as RequestOf<'settings:update'>
    if (apiKey === undefined) return rest
    return { ...rest, apiKey: apiKey.trim() === '' ? '[cleared]' : '[changed]' }
  }
  if (channel === 'agents:import') {
    const { csv } = req as RequestOf<'agents:import'>
    return { csvLines: csv.split('\n').filter((l) => l.trim() !== '').length }
  }
  return req
}

/**
 * The handlers, each change recorded once it succeeded. A record that cannot be written is logged
 * as an error; the change itself stands (it is made, and the vendor audit log has vendor changes).
 */
export function recordChanges(
  handlers: Handlers,
  log: Pick<AuditLog<ActivityEntry>, 'append'>,
  clock: Clock,
  logger: Logger,
): Handlers {
  const out: Record<string, unknown> = { ...handlers }
  for (const channel of Object.keys(handlers) as HandledChannel[]) {
    if (MIN_ROLE[channel] === 'viewer') continue
    const handler = handlers[channel] as Handler<typeof channel>
    const wrapped: Handler<typeof channel> = async (req, ctx) => {
      const result = await handler(req as never, ctx)
      await log
        .append({
          at: new Date(clock.now()).toISOString(),
          by: ctx.user,
          role: ctx.role,
          account: ctx.accountId,
          transport: ctx.transport,
          channel,
          request: recorded(channel, req),
        })
        .catch((err: unknown) =>
          logger.error('A change could not be written to the activity log', {
            channel,
            by: ctx.user,
            err: String(err),
          }),
        )
      return result
    }
    out[channel] = wrapped
  }
  return out as Handlers
}
