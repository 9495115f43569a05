/**
 * The dashboard's figures as each backend counts them (the data folder from its index, PostgreSQL
 * in SQL) must be the ones the dashboard counts from the calls themselves, read one by one through
 * `iterate`: local days and hours (a day's last second and the next one's first, a zone with
 * summer time), the schedule's split to the millisecond, ties between agents, departments and
 * circles in the order of their newest call, the calls without an agent, department, IVR or talk
 * time, a changed call counted once by its latest version.
 */
import { DateTime } from 'luxon'
import { describe, expect, it } from 'vitest'
import {
  computeDashboard,
  type Availability,
  type DashboardOptions,
} from '../../../src/main/insight/dashboard'
import type { CallStore } from '../../../src/main/storage/types'
import type { CallFields, CallStatus } from '../../../src/shared/domain'
import type { Dashboard } from '../../../src/shared/dashboard'
import { fakeClock, fields, raw } from '../../unit/storage/fixtures'
import { seeded } from '../../support/fixtures'
import { BACKENDS, useBackend, ZONE } from './backends'

/** The store seen only through `CallStore`: the dashboard then counts every call it iterates. */
function plain(s: CallStore): CallStore {
  return {
    upsert: (f, r, at) => s.upsert(f, r, at),
    get: (id) => s.get(id),
    query: (q) => s.query(q),
    iterate: (q) => s.iterate(q),
    byCaller: (n) => s.byCaller(n),
    countsForDate: (d) => s.countsForDate(d),
    lastPushAt: () => s.lastPushAt(),
    size: () => s.size(),
    onStored: (fn) => s.onStored(fn),
    close: async () => {},
  }
}

/** A call starting at local `date` `time` (seconds may carry milliseconds) in `zone`. */
function call(
  id: string,
  date: string,
  time: string,
  over: Partial<CallFields> = {},
  zone = ZONE,
): CallFields {
  const at = DateTime.fromISO(`${date}T${time}`, { zone })
  const startedAt = at.toISO({ suppressMilliseconds: true })!
  return fields(id, date, time.slice(0, 8), { startedAt, ...over })
}

async function put(s: CallStore, calls: CallFields[]): Promise<void> {
  // Together, as a burst of pushes comes (the database stores them in a few transactions).
  await Promise.all(calls.map((f) => s.upsert(f, raw(f.id), '2026-03-15T12:00:00.000Z')))
}

/** Calls spread over 40 days before `now`, every field now and then missing. */
function spread(zone: string, now: DateTime, n: number): CallFields[] {
  const rnd = seeded(11)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!
  const statuses: CallStatus[] = ['ANSWER', 'MISSED', 'DROPPED']
  const out: CallFields[] = []
  for (let i = 0; i < n; i++) {
    const at = now.minus({
      minutes: Math.floor(rnd() * 40 * 24 * 60),
      seconds: Math.floor(rnd() * 60),
    })
    const status = pick(statuses)
    out.push(
      call(
        `r${String(i).padStart(3, '0')}`,
        at.toISODate()!,
        at.toFormat('HH:mm:ss'),
        {
          status,
          agentNumber: status === 'ANSWER' ? pick(['+919800000001', '+919800000002', null]) : null,
          department: pick(['Sales', 'Support', '(none)', null]),
          circle: pick(['Kerala', 'Delhi', null]),
          ivrSeconds: pick([0, 9, 10, 29, 30, 59, 60, 119, 120, 600, null]),
          talkSeconds: status === 'ANSWER' ? pick([0, 45, 300, null]) : null,
        },
        zone,
      ),
    )
  }
  return out
}

/** An agent of Sales available on even hours of the day, one of Support never, in `zone`. */
function availability(zone: string): Availability {
  return {
    agents: [
      { normalizedNumber: '+919800000001', department: 'sales' },
      { normalizedNumber: '+919800000009', department: 'Support' },
    ],
    availableAt: (n, ms) =>
      n === '+919800000001' && DateTime.fromMillis(ms, { zone }).hour % 2 === 0,
  }
}

const RANGES: Pick<DashboardOptions, 'range' | 'from' | 'to'>[] = [
  { range: 'today' },
  { range: 'yesterday' },
  { range: '7d' },
  { range: '30d' },
  { range: 'custom', from: '2026-02-20', to: '2026-03-05' },
]

/**
 * Each range's dashboard from the store, checked against the one counted from its calls: the
 * period before it too, the service level and the agents' figures (missed while available).
 */
async function sameAsCounted(
  s: CallStore,
  now: number,
  zone: string,
  closedAt?: (ms: number) => boolean | null,
): Promise<Record<string, Dashboard>> {
  const out: Record<string, Dashboard> = {}
  for (const range of RANGES) {
    const args = {
      ...range,
      now,
      timezone: zone,
      agentName: () => null,
      callbacks: [],
      closedAt,
      serviceLevelSeconds: 30,
      availability: availability(zone),
    }
    const counted = await computeDashboard({ ...args, store: plain(s) })
    out[range.range] = await computeDashboard({ ...args, store: s })
    expect(out[range.range], range.range).toEqual(counted)
  }
  return out
}

describe.each(BACKENDS)('Dashboard figures counted by the store: $name', (factory) => {
  const place = useBackend(factory)

  it('are the figures of the calls themselves: day edges, ties, nones, a changed call', async () => {
    const now = DateTime.fromISO('2026-03-15T18:00:00', { zone: ZONE })
    const s = await place().callStore(fakeClock(now.toISO()!))
    await put(s, [
      ...spread(ZONE, now, 400),
      // The last second of a local day and the first of the next; the first of the 30 days and
      // the second before it.
      call('edge-a', '2026-03-14', '23:59:59', { agentNumber: '+919800000003' }),
      call('edge-b', '2026-03-15', '00:00:00', { status: 'MISSED', agentNumber: null }),
      call('edge-c', '2026-02-14', '00:00:00', { status: 'DROPPED', ivrSeconds: null }),
      call('edge-d', '2026-02-13', '23:59:59', { status: 'DROPPED', ivrSeconds: 5 }),
      // Two agents, two departments and two circles with one call each at one instant: their
      // order is the order of those calls' ids.
      call('tie-1', '2026-03-11', '10:00:00', {
        agentNumber: '+919800000004',
        department: 'Tie A',
        circle: 'Tie A',
      }),
      call('tie-2', '2026-03-11', '10:00:00', {
        agentNumber: '+919800000005',
        department: 'Tie B',
        circle: 'Tie B',
      }),
      // A start with milliseconds, right at the schedule's change below.
      call('ms-1', '2026-03-12', '10:00:00.499', { status: 'MISSED', agentNumber: null }),
      call('ms-2', '2026-03-12', '10:00:00.500', { status: 'MISSED', agentNumber: null }),
      call('moved', '2026-03-13', '11:00:00', { department: 'Before' }),
      // Missed calls that named an agent (the vendor rang them), one of the agent's own newest.
      call('rang-1', '2026-03-15', '08:00:00', { status: 'MISSED', agentNumber: '+919800000001' }),
      call('rang-2', '2026-03-14', '12:00:00.250', {
        status: 'MISSED',
        agentNumber: '+919800000006',
      }),
    ])
    // Changed later: counted once, by its latest version (another day, department and status).
    const moved = call('moved', '2026-03-02', '16:30:00', {
      status: 'DROPPED',
      department: 'After',
      agentNumber: null,
    })
    await s.upsert(moved, raw('moved', { department: 'After' }), '2026-03-15T12:30:00.000Z')

    // Open 09:30 to 18:00 from an instant with milliseconds on; nothing was set before it.
    const changed = Date.parse('2026-03-12T10:00:00.500+05:30')
    const closedAt = (ms: number): boolean | null => {
      if (ms < changed) return null
      const t = DateTime.fromMillis(ms, { zone: ZONE })
      const minutes = t.hour * 60 + t.minute
      return minutes < 9 * 60 + 30 || minutes >= 18 * 60
    }
    await sameAsCounted(s, now.toMillis(), ZONE)
    const all = await sameAsCounted(s, now.toMillis(), ZONE, closedAt)
    const d = all['30d']!
    // What the figures above were checked against, checked itself in a few places.
    expect(
      d.perAgent.filter((a) => a.agentNumber.endsWith('4') || a.agentNumber.endsWith('5')),
    ).toMatchObject([{ agentNumber: '+919800000005' }, { agentNumber: '+919800000004' }])
    expect(d.perDepartment.some((x) => x.department === 'After')).toBe(true)
    expect(d.perDepartment.some((x) => x.department === 'Before')).toBe(false)
    expect(d.ivrDropoff.at(-1)!.bucket).toBe('unknown')
    expect(d.afterHours.total).toBeGreaterThan(0)
    // The new figures are there to compare: the period before, the service level, the agents'.
    expect(d.previous.totals.total).toBeGreaterThan(0)
    expect(all.today!.previous.until).not.toBeNull()
    expect(all.custom!.previous).toMatchObject({
      from: '2026-02-06',
      to: '2026-02-19',
      until: null,
    })
    expect(d.serviceLevel.answeredWithin).toBeGreaterThan(0)
    expect(d.serviceLevelInHours.answeredWithin).toBeLessThan(d.serviceLevel.answeredWithin)
    const sales = d.perAgent.find((a) => a.agentNumber === '+919800000001')!
    expect(sales.missedWhileAvailable).toBeGreaterThan(sales.missed)
    expect(sales.lastCallAt).toBe(new Date('2026-03-15T08:00:00+05:30').toISOString())
    expect(d.perAgent.find((a) => a.agentNumber === '+919800000006')).toMatchObject({
      missed: 1,
      missedWhileAvailable: 1,
    })
  })

  it('counts local days and hours in a zone with summer time as the calls give them', async () => {
    const zone = 'America/New_York'
    // Summer time began at 02:00 on 8 March 2026 there: that day has 23 hours.
    const now = DateTime.fromISO('2026-03-09T12:00:00', { zone })
    const s = await place().callStore(fakeClock(now.toISO()!), zone)
    await put(s, [
      ...spread(zone, now, 150),
      call('ny-1', '2026-03-08', '01:59:59', {}, zone),
      call('ny-2', '2026-03-08', '03:00:00', { status: 'MISSED' }, zone),
      call('ny-3', '2026-03-07', '23:59:59', { status: 'DROPPED' }, zone),
      call('ny-4', '2026-03-09', '00:00:00', {}, zone),
    ])
    const week = (await sameAsCounted(s, now.toMillis(), zone))['7d']!
    expect(week.perHour[1]!.answered).toBeGreaterThan(0)
  })
})
