/**
 * The schedule and insight screens against the demo's browser mode, with the generator off
 * (IVRS_SIM_RATE=0) so every call on screen is one this test pushed: holidays (a range, each
 * date confirmed by the simulator), office hours (an invalid pair stopped before sending),
 * history (filters and a CSV of exactly the filtered rows) and the dashboard (figures computed
 * here from the pushes).
 */
import { readFile } from 'node:fs/promises'
import { parse } from 'csv-parse/sync'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CallPage, Change, Holiday } from '../../src/shared/domain'
import { goTo as openTab, openApp, screenshot, type BrowserSession } from './support/browser'
import { startDemo, type Demo } from './support/demo'
import { istNow, vendorPush } from './support/vendorPush'

let demo: Demo
let session: BrowserSession
let page: Page

/** Known calls, all today (IST) in the small hours so they are in the past whenever this runs. */
type Seed = {
  id: string
  caller: string
  status: 'ANSWER' | 'MISSED' | 'DROPPED'
  time: string
  ivr: number
  talk: number
  department: string
  circle: string
}
const run = Date.now().toString(36)
const SEEDS: Seed[] = [
  ['ANSWER', 'Sales', 'Karnataka', 12, 95],
  ['ANSWER', 'Sales', 'Kerala', 30, 310],
  ['ANSWER', 'Billing', 'Delhi', 8, 42],
  ['ANSWER', 'Billing', 'Karnataka', 51, 600],
  ['MISSED', 'Billing', 'Delhi', 40, 0],
  ['MISSED', 'Sales', 'Kerala', 65, 0],
  ['DROPPED', 'Support', 'Karnataka', 7, 0],
  ['DROPPED', 'Billing', 'Gujarat', 95, 0],
  ['ANSWER', 'Support', 'Delhi', 20, 150],
  ['MISSED', 'Support', 'Gujarat', 33, 0],
].map(([status, department, circle, ivr, talk], i) => ({
  id: `ins-${run}-${i}`,
  caller: `98100000${String(i).padStart(2, '0')}`,
  status: status as Seed['status'],
  time: `00:${String(10 + i * 2).padStart(2, '0')}:00`,
  ivr: ivr as number,
  talk: talk as number,
  department: department as string,
  circle: circle as string,
}))
// A later answered call from the first missed caller: that item counts as called back.
SEEDS.push({ ...SEEDS[4]!, id: `ins-${run}-cb`, status: 'ANSWER', time: '00:45:00', talk: 60 })

const goTo = (name: string | RegExp): Promise<void> => openTab(page, name)

beforeAll(async () => {
  demo = await startDemo({ simRatePerMinute: 0 })
  const today = istNow().date
  for (const s of SEEDS) {
    const answer = await demo.push(
      vendorPush(s.id, s.caller, s.status, {
        date: today,
        time: s.time,
        ivrduration: String(s.ivr),
        callduration: String(s.talk),
        department: s.department,
        state: s.circle,
        agentnumber: s.status === 'ANSWER' ? '9876543210' : '',
      }),
    )
    expect(answer).toMatch(/Accepted|Success/)
  }
  session = await openApp(demo.appUrl)
  page = session.page
  await page.getByRole('tab', { name: 'History' }).waitFor()
})

afterAll(async () => {
  await session?.close()
  await demo?.stop()
})

/** Seconds as the stat cards show them (`m:ss`, rounded), computed independently here. */
function formatSeconds(seconds: number): string {
  const s = Math.round(seconds)
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}

/** `2026-12-03` → `03/12/2026`, as people type dates here. */
function dayFirst(date: string): string {
  const [y, m, d] = date.split('-')
  return `${d}/${m}/${y}`
}

/** YYYY-MM-DD plus days. */
function plusDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

describe('insight screens against the demo', () => {
  it('adds a range of holidays: each date is sent, listed with its state, and confirmed', async () => {
    const today = istNow().date
    let from = plusDays(today, 3)
    let to = plusDays(today, 5)
    if (to.slice(0, 4) !== today.slice(0, 4)) {
      from = `${Number(today.slice(0, 4)) + 1}-01-02`
      to = `${Number(today.slice(0, 4)) + 1}-01-04`
    }
    const dates = [from, plusDays(from, 1), to]
    await goTo('Holidays')
    await page.getByText('Range', { exact: true }).click()
    // Date fields read day first, whatever the browser's language.
    await page.getByLabel('First day').fill(dayFirst(from))
    await page.getByLabel('Last day').fill(dayFirst(to))
    await page.getByLabel('Name (optional)').fill('Year-end break')
    await page.getByRole('button', { name: 'Add these days' }).click()
    await page.getByRole('list', { name: 'Dates sent to the vendor' }).waitFor()
    if (from.slice(0, 4) !== today.slice(0, 4))
      await page.getByRole('button', { name: 'Next year' }).click()
    for (const date of dates) {
      const row = page.locator(`tr[data-holiday="${date}"]`)
      await row.waitFor()
      await expect.poll(() => row.getAttribute('data-state'), { timeout: 15_000 }).toBe('confirmed')
      expect(await row.innerText()).toMatch(/confirmed/i)
    }
    const changes = await demo.api<Change[]>('/api/v1/changes')
    const sent = changes.filter((c) => c.kind === 'holiday').map((c) => c.params.hdate)
    expect(sent.sort()).toEqual(dates)
    const list = await demo.api<{ holidays: Holiday[] }>('/api/v1/holidays')
    expect(list.holidays.filter((h) => dates.includes(h.date)).map((h) => h.state)).toEqual([
      'confirmed',
      'confirmed',
      'confirmed',
    ])
    const month = new Date(`${from}T00:00:00Z`).toLocaleString('en', {
      month: 'long',
      timeZone: 'UTC',
    })
    await page.getByRole('grid', { name: month }).scrollIntoViewIfNeeded()
    await screenshot(page, 'holidays')
  })

  it('stops an invalid office-hours pair before anything is sent, then sets a valid one', async () => {
    await goTo('Office hours')
    const setTime = async (
      which: 'opening' | 'closing',
      hh: string,
      mm: string,
      ampm: 'AM' | 'PM',
    ) => {
      await page.getByLabel(`Every day ${which} hour`).fill(hh)
      await page.getByLabel(`Every day ${which} minutes`).fill(mm)
      await page.getByLabel(`Every day ${which} AM or PM`).selectOption(ampm)
    }
    await setTime('opening', '06', '00', 'PM')
    await setTime('closing', '09', '30', 'AM')
    await page.getByRole('button', { name: 'Save Every day hours' }).click()
    await expect
      .poll(() => page.getByRole('alert').filter({ hasText: 'Invalid Time' }).count())
      .toBe(1)
    const before = await demo.api<Change[]>('/api/v1/changes')
    expect(before.filter((c) => c.kind === 'office-time')).toEqual([])

    await setTime('opening', '09', '30', 'AM')
    await setTime('closing', '06', '00', 'PM')
    await page.getByRole('button', { name: 'Save Every day hours' }).click()
    await expect
      .poll(
        async () =>
          (await demo.api<Change[]>('/api/v1/changes'))
            .filter((c) => c.kind === 'office-time')
            .map((c) => [c.params.st_time, c.params.en_time, c.state]),
        { timeout: 15_000 },
      )
      .toEqual([['09:30 AM', '06:00 PM', 'confirmed']])
    await page.locator('tr[data-day="Daily"]').getByText('Confirmed').waitFor()
    await page
      .getByRole('status')
      .filter({ hasText: /Open now|Closed/ })
      .first()
      .waitFor()
    await screenshot(page, 'office-hours')
  })

  it('filters the history and exports exactly the filtered rows to CSV', async () => {
    await goTo('History')
    const count = page.getByTestId('history-count')
    await expect.poll(() => count.getAttribute('data-total')).toBe(String(SEEDS.length))
    await page.getByRole('combobox', { name: 'Department' }).fill('Billing')
    await page.getByRole('combobox', { name: 'Status' }).click()
    await page.getByRole('option', { name: 'Missed' }).click()
    const expected = SEEDS.filter((s) => s.department === 'Billing' && s.status === 'MISSED')
    await expect.poll(() => count.getAttribute('data-total')).toBe(String(expected.length))
    await page.locator(`[role=row][data-call-id="${expected[0]!.id}"]`).waitFor()

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ])
    const path = await download.path()
    const rows = parse(await readFile(path), { columns: true }) as { id: string }[]
    const api = await demo.api<CallPage>('/api/v1/calls?department=Billing&status=MISSED&limit=500')
    expect(rows.map((r) => r.id).sort()).toEqual(api.calls.map((c) => c.id).sort())
    expect(rows.map((r) => r.id).sort()).toEqual(expected.map((s) => s.id).sort())

    // Back to every call for the picture, with one call's detail open.
    await page.getByRole('button', { name: 'Clear filters' }).click()
    await expect.poll(() => count.getAttribute('data-total')).toBe(String(SEEDS.length))
    await screenshot(page, 'history')
    // Dates and times read as text in the one format: 00:10 is `12:10 am`.
    await page.getByRole('button', { name: /Open the call of \d+ \w{3} \d{4}, 12:10 am/ }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByText('Every call from').waitFor()
    // Let the drawer finish sliding in before the picture.
    await expect
      .poll(async () => {
        const box = await dialog.boundingBox()
        return box !== null && box.x + box.width <= 1281
      })
      .toBe(true)
    await screenshot(page, 'history-detail')
    await page.keyboard.press('Escape')
  })

  it("shows the dashboard's figures as computed from the pushed calls", async () => {
    await goTo('Dashboard')
    await page.getByText('Today', { exact: true }).click()
    const answered = SEEDS.filter((s) => s.status === 'ANSWER')
    const expected: Record<string, string> = {
      Calls: String(SEEDS.length),
      Answered: String(answered.length),
      Missed: String(SEEDS.filter((s) => s.status === 'MISSED').length),
      Dropped: String(SEEDS.filter((s) => s.status === 'DROPPED').length),
      'Answer rate': `${((answered.length / SEEDS.length) * 100).toFixed(1)}%`,
      'Average IVR wait': formatSeconds(SEEDS.reduce((a, s) => a + s.ivr, 0) / SEEDS.length),
      'Average talk time': formatSeconds(
        answered.reduce((a, s) => a + s.talk, 0) / answered.length,
      ),
      // The later answered call from a missed caller is theirs, not a call-back of ours.
      'Called back by us': '0',
      'Rang again and got through': '1',
      'Median time to call back': '–',
    }
    for (const [label, value] of Object.entries(expected)) {
      const card = page.getByRole('group', { name: label, exact: true })
      await expect
        .poll(() => card.locator('[data-stat-value]').innerText(), { timeout: 10_000 })
        .toBe(value)
    }
    await page
      .getByRole('figure', { name: 'Calls per hour' })
      .locator('.recharts-bar-rectangle')
      .first()
      .waitFor()
    await screenshot(page, 'dashboard')
  })

  it('logged no console errors', () => {
    expect(session.errors).toEqual([])
  })
})
