import type { Call } from '../../../shared/domain'
import { localParts, STATUS_INDEX, type CallKeys } from '../query'

/**
 * The compact in-memory summary of one stored call: everything the history filters, paging,
 * counts and dashboard aggregates need, so they never parse a month's full JSON. Strings that
 * repeat (agent, department, circle, virtual number) are shared through a per-shard dictionary.
 */
export interface CallRow extends CallKeys {
  /** Local month `YYYY-MM` (the shard holding the call). */
  m: string
  /** Local hour of day 0..23. */
  h: number
  ivr: number | null
  talk: number | null
  revision: number
  /** Byte range of the call's JSON inside the month document (-1 when not known yet). */
  off: number
  len: number
}
export function rowOf(call: Call, zone: string): CallRow {
  const t = Date.parse(call.startedAt)
  if (!Number.isFinite(t)) throw new Error(`call ${call.id}: invalid startedAt`)
  const local = localParts(t, zone)
  return {
    id: call.id,
    t,
    s: STATUS_INDEX[call.status],
    m: local.month,
    h: local.hour,
    caller: call.callerNumber,
    agent: call.agentNumber,
    virtual: call.virtualNumber,
    dept: call.department,
    circle: call.circle,
    ivr: call.ivrSeconds,
    talk: call.talkSeconds,
    revision: call.revision,
    off: -1,
    len: -1,
  }
}
// ---------------------------------------------------------------- persisted index of a shard

/** The persisted compact index of one month: columns, strings dictionary-encoded. */
export interface ShardIndexFile {
  v: 1
  month: string
  dict: string[]
  id: string[]
  t: number[]
  s: number[]
  h: number[]
  caller: string[]
  /** Dictionary positions, -1 for null. */
  agent: number[]
  virtual: number[]
  dept: number[]
  circle: number[]
  /** -1 for null. */
  ivr: number[]
  talk: number[]
  revision: number[]
  off: number[]
  len: number[]
}

export function encodeIndex(month: string, rows: readonly CallRow[]): ShardIndexFile {
  const dict: string[] = []
  const pos = new Map<string, number>()
  const ref = (v: string | null): number => {
    if (v === null) return -1
    let i = pos.get(v)
    if (i === undefined) {
      i = dict.length
      dict.push(v)
      pos.set(v, i)
    }
    return i
  }
  const f: ShardIndexFile = {
    v: 1,
    month,
    dict,
    id: [],
    t: [],
    s: [],
    h: [],
    caller: [],
    agent: [],
    virtual: [],
    dept: [],
    circle: [],
    ivr: [],
    talk: [],
    revision: [],
    off: [],
    len: [],
  }
  for (const r of rows) {
    f.id.push(r.id)
    f.t.push(r.t)
    f.s.push(r.s)
    f.h.push(r.h)
    f.caller.push(r.caller)
    f.agent.push(ref(r.agent))
    f.virtual.push(ref(r.virtual))
    f.dept.push(ref(r.dept))
    f.circle.push(ref(r.circle))
    f.ivr.push(r.ivr ?? -1)
    f.talk.push(r.talk ?? -1)
    f.revision.push(r.revision)
    f.off.push(r.off)
    f.len.push(r.len)
  }
  return f
}

export function decodeIndex(f: ShardIndexFile): CallRow[] {
  const { dict } = f
  const str = (i: number | undefined): string | null =>
    i === undefined || i < 0 ? null : (dict[i] ?? null)
  const num = (n: number | undefined): number | null => (n === undefined || n < 0 ? null : n)
  const rows: CallRow[] = new Array<CallRow>(f.id.length)
  const month = f.month
  for (let i = 0; i < f.id.length; i++) {
    rows[i] = {
      id: f.id[i]!,
      t: f.t[i]!,
      s: f.s[i]!,
      m: month,
      h: f.h[i]!,
      caller: f.caller[i]!,
      agent: str(f.agent[i]),
      virtual: str(f.virtual[i]),
      dept: str(f.dept[i]),
      circle: str(f.circle[i]),
      ivr: num(f.ivr[i]),
      talk: num(f.talk[i]),
      revision: f.revision[i]!,
      off: f.off?.[i] ?? -1,
      len: f.len?.[i] ?? -1,
    }
  }
  return rows
}
