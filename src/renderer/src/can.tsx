/**
 * What the person looking may do, from the contract's one table (each row's `role` in `REQUESTS`): the screens hide a
 * control whose channel is beyond the person's role. Until main says who is looking, nothing
 * beyond a viewer's is shown. (The server refuses such a request anyway, with 403.)
 */
import type { ReactNode } from 'react'
import { mayUse, type Channel } from '../../shared/contract'
import { useApp } from './store'

export function useCan(channel: Channel): boolean {
  return useApp((s) => (s.session ? mayUse(s.session.role, channel) : false))
}

/** Shows its children only to a person who may use `channel`. */
export function Can({ channel, children }: { channel: Channel; children: ReactNode }): ReactNode {
  return useCan(channel) ? children : null
}
