/**
 * The views a supervisor expects, against the demo with the generator off (every call on screen is
 * one this test pushed, dated relative to today in the configured zone, never a pinned day): the
 * Dashboard's periods (yesterday, a chosen range) equal to the calls counted, each figure beside
 * the period before, the service level with the team's target, the per-agent table against the
 * calls pushed, the History's date presets, Live saying whether the office is open and what
 * callers hear, the wallboard at 1920×1080 opened with a viewer's address and following a call as
 * it arrives, and the app on a phone (390×844): the queue and the agents first, nothing sideways.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Agent } from '../../src/shared/domain'
import type { AccountCreated } from '../../src/shared/team'
import { formatDate } from '../../src/shared/dateTime'
import { shiftDate } from '../../src/shared/periods'
import { todayIn } from '../support/headless'
import { describeFindings, seriousFindings } from './support/axe'
import { goTo as openTab, openApp, screenshot, type BrowserSession } from './support/browser'
import { startDemo, type Demo } from './support/demo'
import { istNow, vendorPush } from './support/vendorPush'

let demo: Demo
let session: BrowserSession
let page: Page
const run = Date.now().toString(36)

const ASHA = '9876543210'
const ROHAN = '9823456781'
const PRIYA = '8971234560'
const KARTHIK = '9445012378'

/** A call `days` before today (0: today), in the small hours so it is in the past. */
interface Seed {
  id: string
  days: number
  time: string
  status: 'ANSWER' | 'MISSED' | 'DROPPED'
  ivr: number
  talk: number
  agent: string | null
  department: string
}
type Row = [number, string, Seed['status'], number, number, string | null, string]
const ROWS: Row[] = [
  [0, '00:00:11', 'ANSWER', 8, 120, ASHA, 'Sales'],
  [0, '00:00:12', 'ANSWER', 25, 60, ROHAN, 'Sales'],
  [0, '00:00:13', 'MISSED', 30, 0, null, 'Support'],
  [0, '00:00:14', 'DROPPED', 5, 0, null, 'Billing'],
  [1, '00:00:01', 'ANSWER', 10, 200, ASHA, 'Sales'],
  [1, '00:00:02', 'ANSWER', 15, 100, ASHA, 'Sales'],
  [1, '00:00:03', 'ANSWER', 40, 50, KARTHIK, 'Support'],
  [1, '00:00:04', 'MISSED', 20, 0, null, 'Sales'],
  [1, '00:00:05', 'DROPPED', 3, 0, null, 'Billing'],
  [2, '09:00:00', 'ANSWER', 5, 30, ROHAN, 'Sales'],
  [2, '10:00:00', 'MISSED', 12, 0, null, 'Sales'],
  [5, '11:00:00', 'ANSWER', 12, 90, ASHA, 'Sales'],
  [5, '12:00:00', 'ANSWER', 50, 300, PRIYA, 'Sales'],
  [5, '13:00:00', 'MISSED', 22, 0, null, 'Support'],
  [8, '14:00:00', 'ANSWER', 18, 40, ASHA, 'Sales'],
  [8, '15:00:00', 'DROPPED', 7, 0, null, 'Sales'],
  [12, '16:00:00', 'ANSWER', 9, 70, ROHAN, 'Sales'],
]
const SEEDS: Seed[] = ROWS.map(([days, time, status, ivr, talk, agent, department], i) => ({
  id: `view-${run}-${i}`,
  days,
  time,
  status,
  ivr,
  talk,
  agent,
  department,
}))

const on = (days: number): Seed[] => SEEDS.filter((s) => s.days === days)
const between = (far: number, near: number): Seed[] =>
  SEEDS.filter((s) => s.days <= far && s.days >= near)
const answered = (seeds: Seed[]): Seed[] => seeds.filter((s) => s.status === 'ANSWER')
const within = (seeds: Seed[], seconds: number): number =>
  answered(seeds).filter((s) => s.ivr <= seconds).length

/** `0.6` → `60.0%`, as the cards show rates. */
const rate = (part: number, whole: number): string => `${((part / whole) * 100).toFixed(1)}%`
/** Seconds as the tables show them (`m:ss`). */
function mss(seconds: number): string {
  const s = Math.round(seconds)
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}
/** `2026-12-03` → `3 Dec 2026`, as dates read on screen. */
const readable = formatDate
/** `2026-12-03` → `03/12/2026`, as people type dates here. */
const dayFirst = (date: string): string => date.split('-').reverse().join('/')

const goTo = (name: string | RegExp): Promise<void> => openTab(page, name)
const card = (p: Page, label: string) => p.getByRole('group', { name: label, exact: true })
const value = (p: Page, label: string) => card(p, label).locator('[data-stat-value]').innerText()
const before = (p: Page, label: string) =>
  card(p, label).locator('[data-stat-before]').getAttribute('data-stat-before')

beforeAll(async () => {
  demo = await startDemo({ simRatePerMinute: 0 })
  const today = todayIn()
  for (const s of SEEDS) {
    const answer = await demo.push(
      vendorPush(s.id, `98200${String(SEEDS.indexOf(s)).padStart(5, '0')}`, s.status, {
        date: shiftDate(today, -s.days),
        time: s.time,
        ivrduration: String(s.ivr),
        callduration: String(s.talk),
        agentnumber: s.agent ?? '',
        department: s.department,
      }),
    )
    expect(answer).toMatch(/Accepted|Success/)
  }
  session = await openApp(demo.appUrl)
  page = session.page
  await page.getByRole('tab', { name: 'Dashboard' }).waitFor()
})

afterAll(async () => {
  await session?.close()
  await demo?.stop()
})

describe('the views a supervisor expects', () => {
  it("shows yesterday's figures beside the day before, and the service level by the team's target", async () => {
    await goTo('Dashboard')
    await page
      .getByRole('group', { name: 'Period' })
      .getByRole('button', { name: 'Yesterday' })
      .click()
    const y = on(1)
    const b = on(2)
    const expected: Record<string, [string, string]> = {
      Calls: [String(y.length), String(b.length)],
      Answered: [String(answered(y).length), String(answered(b).length)],
      Missed: ['1', '1'],
      Dropped: ['1', '0'],
      'Answer rate': [rate(answered(y).length, y.length), rate(answered(b).length, b.length)],
      // The team's target until an admin changes it: answered within 20 s.
      'Service level': [rate(within(y, 20), y.length), rate(within(b, 20), b.length)],
    }
    for (const [label, [now, then]] of Object.entries(expected)) {
      await expect.poll(() => value(page, label), { timeout: 10_000 }).toBe(now)
      expect(await before(page, label), label).toBe(then)
    }
    // The change reads in an arrow and words, never colour alone.
    const change = (label: string) => card(page, label).locator('[data-stat-change]').innerText()
    expect(await change('Calls')).toBe(`▲ ${y.length - b.length}`)
    expect(await change('Missed')).toBe('The same')
    expect(await change('Service level')).toBe('▼ 10.0 pts')
    expect(await page.getByTestId('dashboard-period').innerText()).toBe(
      `${readable(shiftDate(todayIn(), -1))} (Asia/Kolkata), beside ${readable(shiftDate(todayIn(), -2))}`,
    )
    await expect
      .poll(() => page.getByTestId('updated-ago').innerText())
      .toMatch(/^Updated \d+ s ago$/)

    // An admin sets the team's target where its figures are: answered within 45 s.
    await page.getByLabel('Team target in seconds').fill('45')
    await page.getByRole('button', { name: 'Set target' }).click()
    await page.getByRole('heading', { name: 'Service level: answered within 45 s' }).waitFor()
    await expect
      .poll(() => value(page, 'Service level'), { timeout: 10_000 })
      .toBe(rate(within(y, 45), y.length))
    expect(await before(page, 'Service level')).toBe(rate(within(b, 45), b.length))
    await page.getByLabel('Team target in seconds').fill('20')
    await page.getByRole('button', { name: 'Set target' }).click()
    await page.getByRole('heading', { name: 'Service level: answered within 20 s' }).waitFor()
  })

  it('compares today with yesterday up to the same time of day', async () => {
    await page.getByRole('group', { name: 'Period' }).getByRole('button', { name: 'Today' }).click()
    const now = istNow().time
    await expect.poll(() => value(page, 'Calls'), { timeout: 10_000 }).toBe(String(on(0).length))
    const byNow = on(1).filter((s) => s.time < now).length
    expect(await before(page, 'Calls')).toBe(String(byNow))
    expect(await page.getByTestId('dashboard-previous').innerText()).toMatch(
      new RegExp(`^${readable(shiftDate(todayIn(), -1))} until \\d{1,2}:\\d{2} [ap]m$`),
    )
  })

  it('counts a chosen range as the calls in it, beside the same days before, with each agent’s figures', async () => {
    const today = todayIn()
    const [from, to] = [shiftDate(today, -9), shiftDate(today, -3)]
    await page
      .getByRole('group', { name: 'Period' })
      .getByRole('button', { name: 'Range…' })
      .click()
    const form = page.getByRole('form', { name: 'Chosen range' })
    // A range that ends before it starts is refused next to its fields, in words.
    await form.getByLabel('First day', { exact: true }).fill(dayFirst(to))
    await form.getByLabel('Last day', { exact: true }).fill(dayFirst(from))
    await form.getByRole('button', { name: 'Show' }).click()
    await form.getByText('The range ends before it starts.').waitFor()
    await form.getByLabel('First day', { exact: true }).fill(dayFirst(from))
    await form.getByLabel('Last day', { exact: true }).fill(dayFirst(to))
    await form.getByRole('button', { name: 'Show' }).click()
    const inRange = between(9, 3)
    const beforeRange = between(16, 10)
    await expect.poll(() => value(page, 'Calls'), { timeout: 10_000 }).toBe(String(inRange.length))
    expect(await before(page, 'Calls')).toBe(String(beforeRange.length))
    expect(await value(page, 'Answered')).toBe(String(answered(inRange).length))
    expect(await page.getByTestId('dashboard-period').innerText()).toBe(
      `${readable(from)} to ${readable(to)} (Asia/Kolkata), beside ${readable(shiftDate(today, -16))} to ${readable(shiftDate(today, -10))}`,
    )

    // The per-agent table over the range, against the calls pushed.
    const table = page.getByRole('table', { name: 'Agents in this period' })
    for (const [number, name] of [
      [ASHA, 'Asha Kulkarni'],
      [PRIYA, 'Priya Nair'],
      [KARTHIK, 'Karthik Subramanian'],
    ] as const) {
      const calls = answered(inRange).filter((s) => s.agent === number)
      const talk = calls.reduce((a, s) => a + s.talk, 0)
      const last = calls
        .map((s) => shiftDate(today, -s.days))
        .sort()
        .at(-1)
      const row = table.locator(`tr[data-agent-figures="+91${number}"]`)
      const cell = (figure: string) => row.locator(`[data-figure="${figure}"]`).innerText()
      expect(await row.locator('td').first().innerText()).toBe(name)
      expect(await cell('answered')).toBe(String(calls.length))
      expect(await cell('missedWhileAvailable')).toBe('0')
      expect(await cell('talk')).toBe(mss(talk))
      expect(await cell('handling')).toBe(calls.length ? mss(talk / calls.length) : '–')
      expect(await cell('lastCall')).toMatch(last ? new RegExp(`^${readable(last)}, `) : /^none$/)
    }
    // The new controls and the agents' table pass axe-core like every screen.
    const findings = await seriousFindings(page, 'Dashboard with a chosen range')
    expect(findings, describeFindings(findings)).toEqual([])
    await screenshot(page, 'dashboard-range')
  })

  it('gives the History the same presets, each equal to the calls of its days', async () => {
    await goTo('History')
    const count = page.getByTestId('history-count')
    const dates = page.getByRole('group', { name: 'Dates' })
    for (const [preset, seeds] of [
      ['Yesterday', on(1)],
      ['7 days', between(6, 0)],
      ['Today', on(0)],
      ['30 days', between(29, 0)],
    ] as const) {
      await dates.getByRole('button', { name: preset }).click()
      await expect
        .poll(() => count.getAttribute('data-total'), { timeout: 10_000 })
        .toBe(String(seeds.length))
      expect(await dates.getByRole('button', { name: preset }).getAttribute('aria-pressed')).toBe(
        'true',
      )
    }
    await screenshot(page, 'history-presets')
    await page.getByRole('button', { name: 'Clear filters' }).click()
  })

  it('counts a missed call of the department while an agent was available', async () => {
    // Karthik (Support) is made available; a Support call missed after that is his to answer.
    await demo.api(`/api/v1/agents/${KARTHIK}/status`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'AVAIL' }),
    })
    await expect
      .poll(
        async () =>
          (await demo.api<Agent[]>('/api/v1/agents')).find((a) => a.number === KARTHIK)?.status,
      )
      .toBe('AVAIL')
    await new Promise((r) => setTimeout(r, 1100)) // a later call: the vendor's times have seconds
    await demo.push(
      vendorPush(`view-${run}-avail`, '9820099999', 'MISSED', { department: 'Support' }),
    )
    await goTo('Dashboard')
    await page.getByRole('group', { name: 'Period' }).getByRole('button', { name: 'Today' }).click()
    const row = page.locator(`tr[data-agent-figures="+91${KARTHIK}"]`)
    // The Support call missed this morning came before he was available: only the new one counts.
    await expect
      .poll(() => row.locator('[data-figure="missedWhileAvailable"]').innerText(), {
        timeout: 10_000,
      })
      .toBe('1')
    await page.locator('[data-stat-value]').first().waitFor()
    await screenshot(page, 'dashboard-agents')
  })

  it('says on Live whether the office is open now and what callers hear', async () => {
    await goTo('Live')
    const state = page.getByTestId('live-open-state')
    // No office hours set in the demo: open, callers put through.
    await state.getByRole('status').filter({ hasText: 'Open (no office hours set)' }).waitFor()
    expect(await state.innerText()).toContain(
      'Callers are put through to an available agent of their department.',
    )
    await page.getByText('Each call appears when it ends').waitFor()
  })

  it('opens the wallboard at 1920×1080 with a viewer’s address, and follows a call as it arrives', async () => {
    const viewer = await demo.api<AccountCreated>('/api/v1/accounts', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Wall screen', role: 'viewer' }),
    })
    const wall = await openApp(
      `${demo.apiBase}/#token=${encodeURIComponent(viewer.token)}&screen=wallboard`,
      { viewport: { width: 1920, height: 1080 } },
    )
    try {
      const w = wall.page
      await w.getByRole('main', { name: 'Wallboard' }).waitFor()
      expect(w.url()).toMatch(/#\/wallboard$/)
      const tile = (label: string) =>
        w.getByRole('group', { name: label, exact: true }).locator('[data-wall-value]')
      const todayCalls = on(0).length + 1 // and the missed call of the test before
      await expect
        .poll(() => tile('Calls today').innerText(), { timeout: 10_000 })
        .toBe(String(todayCalls))
      // Each agent's state, in words.
      const karthik = w.locator(`[data-wall-agent="${KARTHIK}"]`)
      expect(await karthik.innerText()).toContain('Available')
      expect(await w.locator(`[data-wall-agent="${ASHA}"]`).innerText()).toContain('Unknown')
      const waitingBefore = Number(await tile('Callers waiting').innerText())

      // A missed call arrives: the wall follows, no one touching it.
      const caller = '9820012345'
      await demo.push(vendorPush(`view-${run}-wall`, caller, 'MISSED', { department: 'Billing' }))
      await expect
        .poll(() => tile('Calls today').innerText(), { timeout: 15_000 })
        .toBe(String(todayCalls + 1))
      await w.locator(`[data-wall-caller="+91${caller}"]`).waitFor()
      await expect.poll(() => tile('Callers waiting').innerText()).toBe(String(waitingBefore + 1))

      // Read-only, the whole of it on the screen, and legible from across a room.
      const layout = await w.evaluate(() => {
        const small: string[] = []
        for (const el of document.querySelectorAll<HTMLElement>(
          '.wallboard [role=group] *, .wallboard td, .wallboard th, .wallboard h1, .wallboard h2',
        ))
          if (el.offsetParent !== null && el.textContent?.trim()) {
            const px = parseFloat(getComputedStyle(el).fontSize)
            if (px < 20) small.push(`${el.textContent.trim().slice(0, 30)} (${px}px)`)
          }
        // Nothing the usual names and values need is cut: a 19-letter name, a state's word, a
        // whole +91 number, a time, a column's name (innerText reads what an ellipsis hides).
        const cut: string[] = []
        for (const el of document.querySelectorAll<HTMLElement>('.wallboard td, .wallboard th'))
          if (el.scrollWidth > el.clientWidth) cut.push(el.textContent!.trim())
        return {
          scrollsDown: document.documentElement.scrollHeight > window.innerHeight + 1,
          scrollsSideways: document.documentElement.scrollWidth > window.innerWidth + 1,
          small,
          cut,
          buttons: [...document.querySelectorAll('button')].map((b) => b.textContent?.trim()),
          inputs: document.querySelectorAll('input, select, textarea, [role=switch]').length,
        }
      })
      expect(layout).toEqual({
        scrollsDown: false,
        scrollsSideways: false,
        small: [],
        cut: [],
        buttons: ['Full screen'],
        inputs: 0,
      })
      await screenshot(w, 'wallboard')
      // Readable by everyone, in either scheme (the scheme toggle is the app's; the wall follows it).
      const findings = await seriousFindings(w, 'Wallboard, light')
      await w.emulateMedia({ colorScheme: 'dark' })
      await w.reload()
      await w.getByRole('main', { name: 'Wallboard' }).waitFor()
      await w.locator('[data-wall-value]').first().waitFor()
      findings.push(...(await seriousFindings(w, 'Wallboard, dark')))
      expect(findings, describeFindings(findings)).toEqual([])
      expect(wall.errors).toEqual([])
    } finally {
      await wall.close()
    }
  })

  it('on a phone (390×844) opens on the queue with the agents next, and nothing scrolls sideways', async () => {
    // A holiday and a yearly one with a long name, days ahead (no confirmation, no closed office
    // today), so that the Holidays screen has rows to lay out.
    const ahead = shiftDate(todayIn(), 5)
    const post = (body: object) =>
      demo.api('/api/v1/holidays', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    await post({ date: ahead })
    await post({ yearly: ahead.slice(5), name: `Founders' Day of the Kulkarni family ${run}` })
    const phone = await openApp(demo.appUrl, { viewport: { width: 390, height: 844 } })
    try {
      const p = phone.page
      await expect
        .poll(() => p.getByRole('tab', { name: /^Missed & dropped/ }).getAttribute('aria-selected'))
        .toBe('true')
      const tabs = await p.getByRole('tab').allInnerTexts()
      expect(tabs.slice(0, 2).map((t) => t.replace(/\d+$/, '').trim())).toEqual([
        'Missed & dropped',
        'Agents',
      ])
      // The queue's callers as cards, each line named by its column.
      const item = p.locator('tr[data-caller]').first()
      await item.waitFor()
      // (The selection column first: its check box needs no name of its own on a card.)
      expect(
        await item
          .locator('td')
          .evaluateAll((tds) => tds.map((td) => td.getAttribute('data-label'))),
      ).toEqual([
        '',
        'Caller',
        'Calls',
        'Department',
        'Waiting',
        'Last missed',
        'Assigned to',
        'State',
        'Note',
        'Actions',
      ])
      const sideways = () =>
        p.evaluate(() => {
          const out: string[] = []
          if (document.documentElement.scrollWidth > window.innerWidth + 1)
            out.push(`the page (${document.documentElement.scrollWidth}px)`)
          for (const el of document.querySelectorAll<HTMLElement>('main *'))
            if (
              el.offsetParent !== null &&
              el.scrollWidth > el.clientWidth + 1 &&
              ['auto', 'scroll'].includes(getComputedStyle(el).overflowX)
            )
              out.push(`${el.tagName.toLowerCase()}.${el.className}`.slice(0, 80))
          return out
        })
      expect(await sideways(), 'Missed & dropped').toEqual([])
      const findings = await seriousFindings(p, 'Missed & dropped on a phone')
      expect(findings, describeFindings(findings)).toEqual([])
      await screenshot(p, 'phone-missed')
      // Every other screen too.
      for (const [tab, ready] of [
        ['Agents', 'tr[data-agent]'],
        ['Live', 'tr[data-call-id]'],
        ['History', '[role=row][data-call-id]'],
        ['Dashboard', '[data-stat-value]'],
        ['Connection', 'main h2'],
        ['Settings', 'main h2'],
        ['Office hours', 'main h2'],
        ['Holidays', 'main [aria-label="Yearly holidays"] tr'],
      ] as const) {
        await p.getByRole('tab', { name: tab }).click()
        await p.locator(ready).first().waitFor()
        await p.waitForTimeout(250)
        expect(await sideways(), tab).toEqual([])
        await screenshot(p, `phone-${tab.replace(/\W+/g, '-').toLowerCase()}`)
      }
      expect(phone.errors).toEqual([])
    } finally {
      await phone.close()
    }
  })

  it('logged no console errors', () => {
    expect(session.errors).toEqual([])
  })
})
