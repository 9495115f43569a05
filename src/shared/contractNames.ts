/**
 * The contract's names without its schemas: every request channel and every event, for the
 * sandboxed preload, which only needs to know what to expose. Importing the contract itself would
 * bundle TypeBox and every schema into the preload (8.5 KB grew to about 150 KB).
 *
 * The rows of `REQUESTS` in ./contract.ts stay the one description of a channel; this list names
 * them, and the compiler holds the two together: `REQUESTS` must have exactly one row for each
 * name here (a missing row or a row without a name fails `npm run typecheck`).
 */

/** Every request channel, once (a name written twice fails to compile). */
const CHANNEL_SET = {
  'calls:list': true,
  'calls:get': true,
  'calls:byCaller': true,
  'calls:exportCsv': true,
  'pushes:rejected': true,
  'health:get': true,
  'connection:testPush': true,
  'agents:list': true,
  'agents:add': true,
  'agents:update': true,
  'agents:remove': true,
  'agents:import': true,
  'agents:previewImport': true,
  'agents:setStatus': true,
  'agents:setDepartmentStatus': true,
  'holidays:list': true,
  'holidays:add': true,
  'holidays:remove': true,
  'holidays:removeRule': true,
  'holidays:removeWeekly': true,
  'officeHours:list': true,
  'officeHours:set': true,
  'changes:list': true,
  'missed:list': true,
  'missed:mark': true,
  'missed:assign': true,
  'missed:export': true,
  'missed:bulk': true,
  'missed:undo': true,
  'settings:get': true,
  'settings:update': true,
  'settings:testConnection': true,
  'dashboard:get': true,
  'schedule:status': true,
  'app:info': true,
  'storage:acknowledge': true,
  'storage:check': true,
  'storage:backup': true,
  'session:get': true,
  'accounts:list': true,
  'accounts:add': true,
  'accounts:revoke': true,
  'accounts:setRole': true,
  'accounts:people': true,
  'team:get': true,
  'team:connect': true,
  'team:disconnect': true,
} as const satisfies { readonly [channel: `${string}:${string}`]: true }

/** A request channel's name, `domain:verb`. */
export type Channel = keyof typeof CHANNEL_SET

/** All request channels, in the order of `REQUESTS`. */
export const CHANNELS = Object.keys(CHANNEL_SET) as Channel[]

/**
 * Every event name, once: contract.ts proves these are exactly the keys of its `Events` (this
 * file imports nothing from it, so the preload's names stay apart from the contract's types).
 */
const EVENT_NAME_SET = {
  'call:stored': true,
  'push:rejected': true,
  'agent:updated': true,
  'agent:removed': true,
  'change:updated': true,
  'missed:updated': true,
  'health:changed': true,
  'storage:problem': true,
  'holidays:updated': true,
  'officeHours:updated': true,
  'schedule:updated': true,
  'settings:updated': true,
  'app:openCall': true,
  'accounts:updated': true,
  'app:reload': true,
  'team:updated': true,
} as const satisfies { readonly [event: `${string}:${string}`]: true }

/** An event's name as listed here: the same names as contract.ts's `EventName`. */
export type ListedEventName = keyof typeof EVENT_NAME_SET

/** All event names, for transports that must list them. */
export const EVENT_NAMES = Object.keys(EVENT_NAME_SET) as readonly ListedEventName[]

/** Splits `domain:verb`. */
export function splitChannel(channel: Channel): [string, string] {
  const i = channel.indexOf(':')
  return [channel.slice(0, i), channel.slice(i + 1)]
}
