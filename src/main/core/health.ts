import type { Health } from '../../shared/domain'
import type { StorageHealth } from '../../shared/storage'
import { webhookPath } from '../../shared/vendorPaths'
import type { LocalDays } from '../storage/localDay'
import type { CallStore, RejectedLog } from '../storage/types'
import type { Clock } from '../ground/clock'
import type { Logger } from '../ground/logger'
import { Throttle } from '../ground/throttle'
import type { EventBus } from '../events/bus'

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

/** While pushes only move its counts, health is published at most this often. */
export const HEALTH_EVERY_MS = 250

export interface HealthPublisherDeps {
  bus: EventBus
  logger: Logger
  /** The health as it is now (what `health:changed` carries). */
  health: () => Promise<Health>
  listener: () => ListenerStatus
  store: Pick<CallStore, 'lastPushAt'>
  days: LocalDays
  clock: Clock
}

/**
 * Publishes `health:changed`. What a user acts on (listener state, the first push, a new day,
 * storage problems and backups) goes out at once; counts and the time of the last push, which
 * every push moves, a few times a second at most ({@link HEALTH_EVERY_MS}).
 */
export class HealthPublisher {
  private readonly updates: Throttle
  private state = ''
  private timer: NodeJS.Timeout | null = null

  constructor(private readonly deps: HealthPublisherDeps) {
    this.updates = new Throttle(() => {
      deps
        .health()
        .then((h) => deps.bus.emit('health:changed', h))
        .catch((err: unknown) => deps.logger.warn('Health check failed', { err: String(err) }))
    }, HEALTH_EVERY_MS)
  }

  /** A change of state (a storage problem found, acknowledged or over; a backup): at once. */
  announce(): void {
    this.state = this.stateNow()
    this.updates.now()
  }

  /** Something moved: published at once when the state changed, else within the interval. */
  publish(): void {
    const state = this.stateNow()
    if (state === this.state) return this.updates.request()
    this.state = state
    this.updates.now()
  }

  /** Follows the pushes and the settings (the webhook URL, the simulator flag), and the clock. */
  start(): void {
    this.deps.bus.on('call:stored', () => this.publish())
    this.deps.bus.on('settings:updated', () => this.publish())
    this.timer = setInterval(() => this.publish(), 30_000)
    this.timer.unref()
    this.publish()
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.updates.cancel()
  }

  private stateNow(): string {
    const { listener, store, days, clock } = this.deps
    const l = listener()
    return `${l.state}|${l.port}|${l.error}|${store.lastPushAt() === null}|${days.at(clock.now()).date}`
  }
}
