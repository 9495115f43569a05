import type { Health } from '../../shared/domain'
import type { StorageHealth } from '../../shared/storage'
import { webhookPath } from '../../shared/vendorPaths'
import type { LocalDays } from '../storage/localDay'
import type { CallStore, RejectedLog } from '../storage/types'
import type { Clock } from '../ground/clock'

type ListenerStatus = Health['listener'] & { state: Health['listener']['state'] }

/**
 * The URL to give the vendor: the tunnel's public address when one is set, else the listener's
 * own address. Always with the trailing slash the document's sample shows.
 */
export function webhookUrl(
  publicUrl: string | null,
  listener: ListenerStatus,
  token: string,
): string {
  if (publicUrl) return `${publicUrl.replace(/\/+$/, '')}${webhookPath(token)}`
  const host = listener.host === '0.0.0.0' || listener.host === '::' ? '127.0.0.1' : listener.host
  const h = host.includes(':') ? `[${host}]` : host
  return `http://${h}:${listener.port}${webhookPath(token)}`
}

export async function buildHealth(deps: {
  listener: ListenerStatus
  store: CallStore
  rejected: RejectedLog
  clock: Clock
  /** Local days in the configured zone (day boundaries never in UTC, see vendor-behaviour.md). */
  days: LocalDays
  timezone: string
  webhookUrl: string
  simulator: boolean
  storage: StorageHealth
}): Promise<Health> {
  const date = deps.days.at(deps.clock.now()).date
  const counts = await deps.store.countsForDate(date)
  return {
    listener: {
      state: deps.listener.state,
      host: deps.listener.host,
      port: deps.listener.port,
      error: deps.listener.error,
    },
    webhookUrl: deps.webhookUrl,
    lastPushAt: deps.store.lastPushAt(),
    today: { date, ...counts },
    rejectedCount: deps.rejected.count(),
    timezone: deps.timezone,
    simulator: deps.simulator,
    storage: deps.storage,
  }
}
