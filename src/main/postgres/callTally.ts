import type { StatusBreakdown } from '../../shared/dashboard'
import { endOfLocalDate, startOfLocalDate } from '../storage/callIndex'
import { emptyTally, type CallTally } from '../storage/types'
import type { Database } from './database'

/** The breakdown's field of each status code (`STATUS_CODES`: ANSWER, MISSED, DROPPED). */
const STATUS_KEYS = ['answered', 'missed', 'dropped'] as const

/** The columns counted beside status, one grouping set each; keyed columns say their keys' order. */
const SETS = ['hour', 'agent', 'department', 'circle', 'ivr_seconds'] as const
const KEYED = ['agent', 'department', 'circle'] as const
type Keyed = (typeof KEYED)[number]

/** [set, status, key, calls, talk sum, talk n, newest start (µs)] */
type TallyRow = [number, number, string | null, number, number, number, number]

/**
 * The dashboard's figures over the calls between two local dates (inclusive) in `zone`, counted in
 * the database: one scan of the range (of the `calls_tally` index alone, once vacuumed) with a
 * grouping set per figure, instead of every call's columns sent here to be counted. The same
 * counts as the dashboard's own over summaries (`tallySummaries`), maps in the same order: by each
 * key's newest call, start then id, as summaries come newest first. The split by the schedule
 * needs each call's instant: when `closedAt` is given, the starts come as one array per status.
 */
export async function tallyCalls(
  db: Database,
  from: string,
  to: string,
  zone: string,
  closedAt?: (ms: number) => boolean | null,
): Promise<CallTally> {
  const range = [new Date(startOfLocalDate(from, zone)), new Date(endOfLocalDate(to, zone))]
  const setOf = SETS.map((col, i) => `WHEN GROUPING(${col}) = 0 THEN ${i}`).join(' ')
  const keyOf = SETS.map((col, i) => `WHEN ${i} THEN ${col}::text`).join(' ')
  // The split by the schedule is judged here while the database counts the rest.
  const [closed, groups] = await Promise.all([
    closedAt ? closedCounts(db, range, closedAt) : empty(),
    db.pool.query<TallyRow>({
      text: `SELECT s, status, CASE s ${keyOf} END, n, talk_sum, talk_n, newest
             FROM (SELECT CASE ${setOf} END AS s, status, ${SETS.join(', ')},
                          count(*)::int AS n,
                          coalesce(sum(talk_seconds), 0)::float8 AS talk_sum,
                          count(talk_seconds)::int AS talk_n,
                          (extract(epoch FROM max(started_at)) * 1000000)::float8 AS newest
                     FROM (SELECT status, agent, department, circle, ivr_seconds, talk_seconds,
                                  started_at,
                                  date_part('hour', started_at AT TIME ZONE $3)::int AS hour
                             FROM calls WHERE started_at >= $1 AND started_at < $2) c
                    GROUP BY GROUPING SETS (${SETS.map((col) => `(status, ${col})`).join(', ')})) g`,
      values: [...range, zone],
      rowMode: 'array',
    }),
  ])

  const t = { ...emptyTally(), closed }
  const keyed = new Map<
    Keyed,
    Map<string | null, { counts: StatusBreakdown; talk: number; newest: number }>
  >(KEYED.map((k) => [k, new Map()]))
  for (const [set, status, key, n, talkSum, talkN, newest] of groups.rows) {
    const k = STATUS_KEYS[status]!
    const column = SETS[set]!
    if (column === 'hour') {
      // Every call is in one hour: this set gives the totals too.
      t.byStatus[k] += n
      t.perHour[Number(key)]![k] += n
      if (k === 'answered') {
        t.talkSeconds.sum += talkSum
        t.talkSeconds.n += talkN
      }
    } else if (column === 'ivr_seconds') {
      if (key === null) {
        if (k === 'dropped') t.droppedByIvr.set(null, n)
        continue
      }
      const ivr = Number(key)
      t.ivrSeconds.sum += ivr * n
      t.ivrSeconds.n += n
      if (k === 'dropped') t.droppedByIvr.set(ivr, n)
    } else {
      const byKey = keyed.get(column)!
      let g = byKey.get(key)
      if (!g) byKey.set(key, (g = { counts: empty(), talk: 0, newest }))
      g.counts[k] += n
      g.talk += talkSum
      g.newest = Math.max(g.newest, newest)
    }
  }
  for (const column of KEYED) {
    const byKey = keyed.get(column)!
    const order = await newestFirst(db, column, byKey, range)
    for (const key of order) {
      const g = byKey.get(key)!
      if (column === 'agent') {
        if (key !== null) t.agents.set(key, { ...g.counts, talkSeconds: g.talk })
      } else (column === 'department' ? t.departments : t.circles).set(key, g.counts)
    }
  }
  return t
}

/** Calls by status started while `closedAt` said closed: every start judged, as summaries are. */
async function closedCounts(
  db: Database,
  range: Date[],
  closedAt: (ms: number) => boolean | null,
): Promise<StatusBreakdown> {
  // Each start in ms as Date.parse reads the call's startedAt (to the µs, then down to the ms),
  // as text: an array of float8 costs the driver more to read than the database to write.
  const { rows } = await db.pool.query<[number, string]>({
    text: `SELECT status,
                  string_agg(floor(round(date_part('epoch', started_at) * 1e6) / 1e3)::text, ',')
             FROM calls WHERE started_at >= $1 AND started_at < $2 GROUP BY status`,
    values: range,
    rowMode: 'array',
  })
  const closed = empty()
  for (const [status, starts] of rows) {
    const k = STATUS_KEYS[status]!
    for (const ms of starts.split(',')) if (closedAt(Number(ms)) === true) closed[k]++
  }
  return closed
}

/**
 * The keys newest call first. Keys whose newest calls started at the same instant are ordered by
 * those calls' ids, asked of the database for them alone (summaries come by start, then id).
 */
async function newestFirst(
  db: Database,
  column: Keyed,
  byKey: Map<string | null, { newest: number }>,
  range: Date[],
): Promise<(string | null)[]> {
  const keys = [...byKey.keys()].sort((a, b) => byKey.get(b)!.newest - byKey.get(a)!.newest)
  const out: (string | null)[] = []
  for (let i = 0; i < keys.length;) {
    let j = i + 1
    while (j < keys.length && byKey.get(keys[j]!)!.newest === byKey.get(keys[i]!)!.newest) j++
    const tied = keys.slice(i, j)
    out.push(...(tied.length === 1 ? tied : await byNewestId(db, column, tied, range)))
    i = j
  }
  return out
}

async function byNewestId(
  db: Database,
  column: Keyed,
  keys: (string | null)[],
  range: Date[],
): Promise<(string | null)[]> {
  const named = keys.filter((k) => k !== null)
  const { rows } = await db.query<{ k: string | null }>(
    `SELECT k FROM (SELECT ${column} AS k, id, started_at,
                           max(started_at) OVER (PARTITION BY ${column}) AS newest
                      FROM calls
                     WHERE started_at >= $1 AND started_at < $2
                       AND (${column} = ANY($3) OR ($4 AND ${column} IS NULL))) x
      WHERE started_at = newest GROUP BY k ORDER BY max(id) DESC`,
    [...range, named, named.length < keys.length],
  )
  return rows.map((r) => r.k)
}

function empty(): StatusBreakdown {
  return { answered: 0, missed: 0, dropped: 0 }
}
