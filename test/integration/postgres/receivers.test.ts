/**
 * Several receivers on one database, as they ship: two `npm run serve` processes (serve.ts in
 * child processes, default settings) with the same IVRS_DATABASE_URL and IVRS_SECRET_KEY, each
 * with its own data folder and ports, and a fake vendor on loopback.
 */
import { DateTime } from 'luxon'
import { rm } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { request } from 'undici'
import type { Agent, Call, Health, MissedItem } from '../../../src/shared/domain'
import type { Dashboard } from '../../../src/shared/dashboard'
import { localDateTime } from '../../../src/shared/localTime'
import { samplePushUrl, type Headless } from '../../support/headless'
import { momentsAgo } from '../../support/fixtures'
import { freshDatabase } from '../../support/pgDatabase'
import { FakeVendor } from '../ivrApi/fakeVendor'
import { api, documentBody, eventStream, startReceiver, storedCalls, until } from './helpers'

const ZONE = 'Asia/Kolkata'
let url: string
let vendor: FakeVendor
let a: Headless
let b: Headless

beforeAll(async () => {
  url = await freshDatabase('receivers')
  vendor = new FakeVendor()
  const vendorUrl = await vendor.start()
  const env = {
    IVRS_VENDOR_URL: vendorUrl,
    IVRS_VENDOR_API_KEY: vendor.apiKey,
    IVRS_VENDOR_CUST_ID: vendor.custId,
  }
  // Started together: they migrate the schema and create the webhook token one at a time.
  ;[a, b] = await Promise.all([startReceiver(url, env), startReceiver(url, env)])
})

afterAll(async () => {
  for (const h of [a, b]) {
    await h?.stop()
    if (h) await rm(h.dataDir, { recursive: true, force: true })
  }
  await vendor?.stop()
})

const push = async (h: Headless, over: Record<string, string>) => {
  const res = await request(samplePushUrl(h.webhookUrl, over))
  return `${res.statusCode} ${await res.body.text()}`
}

describe('two receivers on one PostgreSQL database', () => {
  it('share one webhook token, sealed in the database', () => {
    const token = (h: Headless) => new URL(h.webhookUrl).pathname
    expect(token(a)).toBe(token(b))
  })

  it("shows a push to B in A's event stream, and in A's health as the last push", async () => {
    const stream = await eventStream(a)
    try {
      // Begun a minute ago (the sample's 10:15 is still to come in the small hours): before any
      // office hours are set below.
      expect(await push(b, { calllogid: 'via-b-1', callstatus: 'ANSWER', ...momentsAgo(60) })).toBe(
        '200 Accepted',
      )
      await until("B's call in A's stream", () => stream.text().includes('"id":"via-b-1"'))
      expect(stream.text()).toMatch(/event: call:stored\ndata: .*"via-b-1"/)
    } finally {
      stream.close()
    }
    const health = (await api<Health>(a, 'GET', '/api/v1/health')).json
    expect(health.lastPushAt).not.toBeNull()
    expect((await api<{ id: string }>(a, 'GET', '/api/v1/calls/via-b-1')).json.id).toBe('via-b-1')
  })

  it('sends an agent change made through either instance to the vendor exactly once', async () => {
    const numbers = ['9811100001', '9811100002']
    expect(
      (await api(a, 'POST', '/api/v1/agents', { number: numbers[0], name: 'Asha' })).status,
    ).toBe(200)
    expect(
      (await api(b, 'POST', '/api/v1/agents', { number: numbers[1], name: 'Ravi' })).status,
    ).toBe(200)
    // B hears of A's new agent, and A of B's.
    await until('both agents everywhere', async () => {
      const [la, lb] = await Promise.all([
        api<Agent[]>(a, 'GET', '/api/v1/agents'),
        api<Agent[]>(b, 'GET', '/api/v1/agents'),
      ])
      return la.json.length === 2 && lb.json.length === 2
    })
    const viaA = await api<{ state: string }>(a, 'PUT', `/api/v1/agents/${numbers[0]}/status`, {
      status: 'AVAIL',
    })
    const viaB = await api<{ state: string }>(b, 'PUT', `/api/v1/agents/${numbers[1]}/status`, {
      status: 'OFF',
    })
    expect([viaA.status, viaB.status]).toEqual([200, 200])
    // Long enough for a second sender, were there one, to have sent them again.
    await new Promise((r) => setTimeout(r, 3_000))
    const sent = (n: string) =>
      vendor.requests.filter(
        (r) => r.query.get('action') === 'ManageAgent' && r.query.get('agentnum') === n,
      ).length
    expect(sent(numbers[0]!)).toBe(1)
    expect(sent(numbers[1]!)).toBe(1)
    expect(vendor.agents.get(numbers[0]!)).toBe('AVAIL')
    expect(vendor.agents.get(numbers[1]!)).toBe('OFF')
    // Both instances show both confirmed statuses.
    for (const h of [a, b])
      await until('confirmed statuses everywhere', async () => {
        const list = (await api<Agent[]>(h, 'GET', '/api/v1/agents')).json
        const status = (n: string) => list.find((x) => x.number === n)?.status
        return status(numbers[0]!) === 'AVAIL' && status(numbers[1]!) === 'OFF'
      })
  })

  it('keeps one missed-call queue for everyone', async () => {
    expect(
      await push(a, {
        calllogid: 'miss-1',
        callstatus: 'MISSED',
        agentnumber: 'NA',
        callernumber: '9000011111',
        ...momentsAgo(120),
      }),
    ).toBe('200 Accepted')
    // The second miss began a minute after the first, before the call back marked below.
    const secondMiss = momentsAgo(60)
    const itemOn = async (h: Headless) =>
      (await api<{ items: MissedItem[] }>(h, 'GET', '/api/v1/missed')).json.items.find(
        (i) => i.callerNumber === '+919000011111',
      )
    await until("A's missed call in B's queue", async () => (await itemOn(b))?.state === 'open')
    const marked = await api(b, 'PUT', '/api/v1/missed/9000011111', {
      state: 'called-back',
      note: 'rang back from B',
    })
    expect(marked.status).toBe(200)
    await until("B's mark in A's queue", async () => (await itemOn(a))?.state === 'called-back')
    expect((await itemOn(a))?.note).toBe('rang back from B')
    // Another miss of that caller through B (from before the call back: it joins the item).
    expect(
      await push(b, {
        calllogid: 'miss-2',
        callstatus: 'MISSED',
        agentnumber: 'NA',
        callernumber: '9000011111',
        ...secondMiss,
      }),
    ).toBe('200 Accepted')
    await until('the new miss on both', async () => {
      const [ia, ib] = await Promise.all([itemOn(a), itemOn(b)])
      return !!ia?.callIds.includes('miss-2') && !!ib?.callIds.includes('miss-2')
    })
    const [ia, ib] = await Promise.all([itemOn(a), itemOn(b)])
    expect(ia).toEqual(ib)
    expect(ia).toMatchObject({ count: 2, state: 'called-back', note: 'rang back from B' })
    // Assigned through A: B's queue, search and export show it, with the call's department.
    const assigned = await api<MissedItem>(a, 'PUT', '/api/v1/missed/9000011111/assignee', {
      assignee: 'Meena R',
    })
    expect(assigned.status).toBe(200)
    await until("A's assignee in B's queue", async () => (await itemOn(b))?.assignee === 'Meena R')
    expect(await itemOn(b)).toMatchObject({ department: 'Sales' })
    const exported = await api<{ rows: number; csv: string }>(
      b,
      'GET',
      '/api/v1/missed-export?show=all&text=meena',
    )
    expect(exported.json.rows).toBe(1)
    expect(exported.json.csv).toContain('Meena R')
  })

  it('judges a call taken by B with the office hours set through A, the same on both', async () => {
    // Hours that exclude the present moment, so a call stamped now is outside them.
    const hour = Number(localDateTime(Date.now(), ZONE).time.slice(0, 2))
    const [start, end] = hour >= 2 ? ['00:00', '01:00'] : ['22:00', '23:00']
    const set = await api(a, 'PUT', '/api/v1/office-hours/Daily', { day: 'Daily', start, end })
    expect(set.status).toBe(200)
    await until("A's hours on B", async () => {
      const hours = (await api<{ day: string; start: string }[]>(b, 'GET', '/api/v1/office-hours'))
        .json
      return hours.some((h) => h.day === 'Daily' && h.start === start)
    })
    // Pushes carry whole seconds: the call starts after the change was recorded.
    await new Promise((r) => setTimeout(r, 1_100))
    const { date, time } = localDateTime(Date.now(), ZONE)
    expect(await push(b, { calllogid: 'after-hours-1', date, time })).toBe('200 Accepted')
    const flag = async (h: Headless, id: string) =>
      (await api<Call>(h, 'GET', `/api/v1/calls/${id}`)).json?.outsideOfficeHours
    for (const h of [a, b])
      await until('the call judged closed', async () => (await flag(h, 'after-hours-1')) === true)
    // The history is the database's, recorded once although both instances heard the change.
    const history = JSON.parse(await documentBody(url, 'vendor/schedule-history.json')) as {
      hours: { hours: { Daily?: { start: string } } }[]
    }
    expect(history.hours.filter((v) => v.hours.Daily?.start === start)).toHaveLength(1)
    // A call from before any hours were set is no evidence either way: not flagged.
    expect([await flag(a, 'via-b-1'), await flag(b, 'via-b-1')]).toEqual([false, false])
    const dashboard = async (h: Headless) =>
      (await api<Dashboard>(h, 'GET', `/api/v1/dashboard?range=30d`)).json
    const asked = Date.now()
    const [da, db] = await Promise.all([dashboard(a), dashboard(b)])
    const answered = Date.now()
    expect(da.afterHours.total).toBeGreaterThanOrEqual(1)
    expect(da.totals.calledBackByUs).toBe(1)
    // The period before 30 days that run until now is cut at each instance's own "now" (taken
    // while it answered), 30 days back: the same figures.
    const monthBefore = (ms: number, zone: string) =>
      DateTime.fromMillis(ms, { zone }).minus({ days: 30 }).toMillis()
    for (const d of [da, db]) {
      const cut = Date.parse(d.previous.until!)
      expect(cut).toBeGreaterThanOrEqual(monthBefore(asked, d.timezone))
      expect(cut).toBeLessThanOrEqual(monthBefore(answered, d.timezone))
    }
    const uncut = (d: Dashboard) => ({ ...d, previous: { ...d.previous, until: null } })
    expect(uncut(db)).toEqual(uncut(da))
  })

  it('stores each call once whichever instance took its pushes', async () => {
    const ids = Array.from({ length: 60 }, (_, i) => `both-${i}`)
    const answers = await Promise.all(
      ids.flatMap((id) => [push(a, { calllogid: id }), push(b, { calllogid: id })]),
    )
    expect(new Set(answers)).toEqual(new Set(['200 Accepted']))
    const stored = await storedCalls(url)
    for (const id of ids) expect(stored.revisions.get(id)).toBe(1)
    expect(stored.rows).toBe(stored.ids.length)
  })
})
