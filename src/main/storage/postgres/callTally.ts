import type { StatusBreakdown } from '../../../shared/dashboard'
import { endOfLocalDate, startOfLocalDate } from '../query'
import { emptyTally, type CallTally, type TallyOptions } from '../types'
import type { Database } from './database'

/** The breakdown's field of each status code (`STATUS_CODES`: ANSWER, MISSED, DROPPED). */
const STATUS_KEYS = ['answered', 'missed', 'dropped'] as const

/** The columns counted beside status, one grouping set each; keyed columns say their keys' order. */
const SETS = ['hour', 'agent', 'department', 'circle', 'ivr_seconds'] as const
const KEYED = ['agent', 'department', 'circle'] as const
type Keyed = (typeof KEYED)[number]

/** [set, status, key, calls, talk sum, talk n, newest start (µs), answered within the target] */
type TallyRow = [number, number, string | null, number, number, number, number, number]

/**
 * The dashboard's figures over the calls between two local dates (inclusive) in `zone`, counted in
 * the database: one scan of the range (of the `calls_tally` index alone, once vacuumed) with a
 * grouping set per figure, instead of every call's columns sent here to be counted. The same
 * counts as the dashboard's own over summaries (`tallySummaries`), maps in the same order: by each
 * key's newest call, start then id, as summaries come newest first. The split by the schedule
 * needs each call's instant: when `closedAt` is given, the starts come as one text per status (and
 * per answered-in-time or not); so do the starts of missed calls without an agent when asked.
 * `scope: 'totals'` counts by status alone (the period before, for comparison).
 */
export async function tallyCalls(
  db: Database,
  from: string,
  to: string,
  zone: string,
  opts: TallyOptions = {},
): Promise<CallTally> {
  const end = endOfLocalDate(to, zone)
  const range = [
    new Date(startOfLocalDate(from, zone)),
    new Date(opts.until === undefined ? end : Math.min(end, opts.until)),
  ]
  // -1: no wait is that short, so without a target no call counts as answered within it.
  const within = opts.serviceSeconds ?? -1
  // The split by the schedule is judged here while the database counts the rest.
  const [closed, missed, t] = await Promise.all([
    opts.closedAt ? closedCounts(db, range, within, opts.closedAt) : null,
    opts.missedStarts ? unassignedMissed(db, range) : null,
    opts.scope === 'totals' ? totals(db, range, within) : grouped(db, range, zone, within),
  ])
  if (closed) {
    t.closed = closed.counts
    t.closedAnsweredWithin = closed.answeredWithin
  }
  if (missed) t.unassignedMissed = missed
  return t
}

/** By status alone: the sums behind a period's headline figures. */
async function totals(db: Database, range: Date[], within: number): Promise<CallTally> {
  const { rows } = await db.pool.query<[number, number, number, number, number, number, number]>({
    text: `SELECT status, count(*)::int,
                  coalesce(sum(ivr_seconds), 0)::float8, count(ivr_seconds)::int,
                  coalesce(sum(talk_seconds), 0)::float8, count(talk_seconds)::int,
                  count(*) FILTER (WHERE ivr_seconds <= $3)::int
             FROM calls WHERE started_at >= $1 AND started_at < $2 GROUP BY status`,
    values: [...range, within],
    rowMode: 'array',
  })
  const t = emptyTally()
  for (const [status, n, ivrSum, ivrN, talkSum, talkN, quick] of rows) {
    const k = STATUS_KEYS[status]!
    t.byStatus[k] += n
    t.ivrSeconds.sum += ivrSum
    t.ivrSeconds.n += ivrN
    if (k === 'answered') {
      t.talkSeconds.sum += talkSum
      t.talkSeconds.n += talkN
      t.answeredWithin += quick
    }
  }
  return t
}

/** Every figure, one grouping set each. */
async function grouped(db: Database, range: Date[], zone: string, within: number) {
  const setOf = SETS.map((col, i) => `WHEN GROUPING(${col}) = 0 THEN ${i}`).join(' ')
  const keyOf = SETS.map((col, i) => `WHEN ${i} THEN ${col}::text`).join(' ')
  const groups = await db.pool.query<TallyRow>({
    text: `SELECT s, status, CASE s ${keyOf} END, n, talk_sum, talk_n, newest, quick
             FROM (SELECT CASE ${setOf} END AS s, status, ${SETS.join(', ')},
                          count(*)::int AS n,
                          coalesce(sum(talk_seconds), 0)::float8 AS talk_sum,
                          count(talk_seconds)::int AS talk_n,
                          (extract(epoch FROM max(started_at)) * 1000000)::float8 AS newest,
                          count(*) FILTER (WHERE ivr_seconds <= $4)::int AS quick
                     FROM (SELECT status, agent, department, circle, ivr_seconds, talk_seconds,
                                  started_at,
                                  date_part('hour', started_at AT TIME ZONE $3)::int AS hour
                             FROM calls WHERE started_at >= $1 AND started_at < $2) c
                    GROUP BY GROUPING SETS (${SETS.map((col) => `(status, ${col})`).join(', ')})) g`,
    values: [...range, zone, within],
    rowMode: 'array',
  })

  const t = emptyTally()
  const keyed = new Map<
    Keyed,
    Map<string | null, { counts: StatusBreakdown; talk: number; newest: number }>
  >(KEYED.map((k) => [k, new Map()]))
  for (const [set, status, key, n, talkSum, talkN, newest, quick] of groups.rows) {
    const k = STATUS_KEYS[status]!
    const column = SETS[set]!
    if (column === 'hour') {
      // Every call is in one hour: this set gives the totals too.
      t.byStatus[k] += n
      t.perHour[Number(key)]![k] += n
      if (k === 'answered') {
        t.talkSeconds.sum += talkSum
        t.talkSeconds.n += talkN
        t.answeredWithin += quick
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
        // The start in ms as Date.parse reads the call's startedAt: to the µs, then down.
        const lastCallMs = Math.floor(Math.round(g.newest) / 1000)
        if (key !== null) t.agents.set(key, { ...g.counts, talkSeconds: g.talk, lastCallMs })
      } else (column === 'department' ? t.departments : t.circles).set(key, g.counts)
    }
  }
  return t
}

/** Each start in ms as Date.parse reads the call's startedAt (to the µs, then down to the ms). */
const START_MS = `floor(round(date_part('epoch', started_at) * 1e6) / 1e3)::text`

/**
 * Calls by status started while `closedAt` said closed, and the answered-in-time among them:
 * every start judged, as summaries are.
 */
async function closedCounts(
  db: Database,
  range: Date[],
  within: number,
  closedAt: (ms: number) => boolean | null,
): Promise<{ counts: StatusBreakdown; answeredWithin: number }> {
  // The starts as text: an array of float8 costs the driver more to read than the database to write.
  const { rows } = await db.pool.query<[number, boolean, string]>({
    text: `SELECT status, coalesce(ivr_seconds <= $3, false) AS quick, string_agg(${START_MS}, ',')
             FROM calls WHERE started_at >= $1 AND started_at < $2 GROUP BY 1, 2`,
    values: [...range, within],
    rowMode: 'array',
  })
  const counts = empty()
  let answeredWithin = 0
  for (const [status, quick, starts] of rows) {
    const k = STATUS_KEYS[status]!
    for (const ms of starts.split(','))
      if (closedAt(Number(ms)) === true) {
        counts[k]++
        if (quick && k === 'answered') answeredWithin++
      }
  }
  return { counts, answeredWithin }
}

/** The starts of MISSED calls that named no agent, by department. */
async function unassignedMissed(
  db: Database,
  range: Date[],
): Promise<Map<string | null, number[]>> {
  const { rows } = await db.pool.query<[string | null, string]>({
    text: `SELECT department, string_agg(${START_MS}, ',')
             FROM calls WHERE started_at >= $1 AND started_at < $2
                          AND status = $3 AND agent IS NULL
            GROUP BY department`,
    values: [...range, STATUS_KEYS.indexOf('missed')],
    rowMode: 'array',
  })
  return new Map(rows.map(([department, starts]) => [department, starts.split(',').map(Number)]))
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
