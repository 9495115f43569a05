/**
 * Every change a person makes, with who made it: each channel whose least role is above `viewer`
 * (the `role` of its row in the contract) is a change, and each one that succeeds is appended to
 * `activity.jsonl` in the data folder (JSON Lines, fsync'd, its oldest entries removed by the
 * log retention, `IVRS_LOG_RETENTION_DAYS`), or with
 * IVRS_DATABASE_URL to the database's `activity` log, with the person's name, role and account,
 * whichever transport or instance carried it. Vendor changes are also in the vendor audit log
 * under the same name.
 */
import { REQUESTS, type RequestOf } from '../../shared/contract'
import type { Role } from '../../shared/team'
import type { Clock } from '../ground/clock'
import type { Logger } from '../ground/logger'
import type { AppendLog } from '../storage/logs'
import type { HandledChannel, Handler, Handlers, RequestContext } from './core'

/** One line of the activity log. */
export interface ActivityEntry {
  at: string
  /** The person's name (an account's, or the owner's OS user name). */
  by: string
  role: Role
  /** The account id; null for the owner. */
  account: string | null
  /** `cli`: `npm run users` changing the accounts itself, with no server between. */
  transport: RequestContext['transport'] | 'cli'
  channel: HandledChannel
  /** What was asked, secrets and bulk left out. */
  request: unknown
}

/** What the log keeps of a request: never the API key, never a whole CSV. */
function recorded(channel: HandledChannel, req: unknown): unknown {
  if (channel === 'settings:update') {
    const { apiKey, ...rest } = req as RequestOf<'settings:update'>
    if (apiKey === undefined) return rest
    return { ...rest, apiKey: apiKey.trim() === '' ? '[cleared]' : '[changed]' }
  }
  if (channel === 'settings:testConnection') {
    // A key typed to test it is a secret like a saved one.
    const { apiKey, ...rest } = (req ?? {}) as RequestOf<'settings:testConnection'>
    return apiKey ? { ...rest, apiKey: '[typed]' } : rest
  }
  if (channel === 'agents:import') {
    const { csv, ...rest } = req as RequestOf<'agents:import'>
    return { csvLines: csv.split('\n').filter((l) => l.trim() !== '').length, ...rest }
  }
  return req
}

/** Who made a change, as the activity log names them. */
export type ActivityAuthor = Pick<RequestContext, 'user' | 'role' | 'accountId'> & {
  transport: ActivityEntry['transport']
}

/**
 * Appends a change `who` made through `channel` to `log`. A record that cannot be written is
 * logged as an error, never thrown: the change itself stands (it is made, and the vendor audit
 * log has vendor changes).
 */
export async function recordChange(
  log: Pick<AppendLog<ActivityEntry>, 'append'>,
  entry: { at: number; channel: HandledChannel; request: unknown; who: ActivityAuthor },
  logger: Logger,
): Promise<void> {
  const { channel, who } = entry
  await log
    .append({
      at: new Date(entry.at).toISOString(),
      by: who.user,
      role: who.role,
      account: who.accountId,
      transport: who.transport,
      channel,
      request: recorded(channel, entry.request),
    })
    .catch((err: unknown) =>
      logger.error('A change could not be written to the activity log', {
        channel,
        by: who.user,
        err: String(err),
      }),
    )
}

/** The handlers, each change recorded once it succeeded (see {@link recordChange}). */
export function recordChanges(
  handlers: Handlers,
  log: Pick<AppendLog<ActivityEntry>, 'append'>,
  clock: Clock,
  logger: Logger,
): Handlers {
  const out: Record<string, unknown> = { ...handlers }
  for (const channel of Object.keys(handlers) as HandledChannel[]) {
    if (REQUESTS[channel].role === 'viewer') continue
    const handler = handlers[channel] as Handler<typeof channel>
    const wrapped: Handler<typeof channel> = async (req, ctx) => {
      const result = await handler(req as never, ctx)
      await recordChange(log, { at: clock.now(), channel, request: req, who: ctx }, logger)
      return result
    }
    out[channel] = wrapped
  }
  return out as Handlers
}
