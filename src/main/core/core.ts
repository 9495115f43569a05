import type { Channel, RequestOf, ResponseOf } from '../../shared/contract'
import type { Health } from '../../shared/domain'
import type { CallExportQuery } from '../../shared/schemas'
import type { Role } from '../../shared/team'
import type { EventBus } from '../events/bus'
import type { ContractEventHandler } from './events'

/** Who asked, for the audit logs, the session and transport-specific answers. */
export interface RequestContext {
  transport: 'ipc' | 'http'
  /**
   * The person: an account's name, or for the owner (the desktop's user, the holder of the
   * launch token) the OS user name.
   */
  user: string
  role: Role
  /** The account's id; null for the owner, who has none. */
  accountId: string | null
}

/** The owner's context: the desktop's own user, or whoever holds the launch token. */
export function ownerContext(transport: RequestContext['transport'], user: string): RequestContext {
  return { transport, user, role: 'admin', accountId: null }
}

/**
 * One function per contract channel. Each validates nothing itself (the transport validated the
 * payload against `shared/schemas`), calls the services and returns plain JSON. Throws
 * `UserError` for answers the user can act on.
 */
export type Handler<C extends Channel> = (
  req: RequestOf<C>,
  ctx: RequestContext,
) => Promise<ResponseOf<C>>

/** Every channel but `calls:exportCsv`, whose transports stream {@link Core.exportCsv}. */
export type HandledChannel = Exclude<Channel, 'calls:exportCsv'>

export type Handlers = { readonly [C in HandledChannel]: Handler<C> }

/**
 * Calls a channel's handler with a payload its schema (its row's in `REQUESTS`) has accepted. The one
 * place a validated payload takes its contract type, for both transports: each schema's `Static<>`
 * is checked at compile time to be exactly the channel's request type.
 */
export function callHandler<C extends HandledChannel>(
  handlers: Core['handlers'],
  channel: C,
  validated: unknown,
  ctx: RequestContext,
): Promise<ResponseOf<C>> {
  const handler: Handler<C> = handlers[channel]
  return handler(validated as RequestOf<C>, ctx)
}

/** The whole headless core: what the Electron shell and headless mode wrap. */
export interface Core {
  readonly bus: EventBus
  readonly handlers: Handlers
  /** CSV text of the filtered calls, header first, in chunks; streamed shard by shard. */
  exportCsv(query: CallExportQuery): AsyncIterable<string>
  /**
   * Calls of the query's months lost to a damaged month file (set aside, the rest rebuilt): what
   * an export must say it lacks. Empty when nothing is lost.
   */
  unreadable?(query: CallExportQuery): { month: string; calls: number }[]
  /**
   * Subscribes to every contract event (with its JSON text when main has it, see
   * {@link ContractEventHandler}); returns the unsubscribe function.
   */
  subscribe(handler: ContractEventHandler): () => void
  /** The URL to give the vendor (contains the secret token: show it, never log it). */
  webhookUrl(): string
  health(): Promise<Health>
  /** Starts storage, the listener, the outbox and, without a vendor, the simulator. */
  start(): Promise<void>
  /** Stops accepting pushes, lets in-flight ones finish, flushes the journal. */
  stop(): Promise<void>
}
