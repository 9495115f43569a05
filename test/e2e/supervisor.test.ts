/**
 * A supervisor's day in the browser mode, against the demo with the generator off (every call on
 * screen is one this test pushed): alerts that reach a background tab, figures that can be
 * trusted (the schedule in force when a call arrived, call-backs ours vs the caller's), numbers
 * and zones one way, and controls that send exactly what they show.
 */
import { readFile } from 'node:fs/promises'
import { parse } from 'csv-parse/sync'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Agent, CallPage, Change } from '../../src/shared/domain'
import { goTo as openTab, openApp, screenshot, type BrowserSession } from './support/browser'
import { simulatorRequests as vendorLog, startDemo, type Demo } from './support/demo'
import { istNow, vendorPush } from './support/vendorPush'

let demo: Demo
let session: BrowserSession
let page: Page
const run = Date.now().toString(36)

const goTo = (name: string | RegExp): Promise<void> => openTab(page, name)

const simulatorRequests = () => vendorLog(demo)

beforeAll(async () => {
  demo = await startDemo({ simRatePerMinute: 0 })
  session = await openApp(demo.appUrl, { grantNotifications: true })
  page = session.page
  // Record every notification the page makes (the real constructor still runs).
  await page.addInitScript(() => {
    const Real = window.Notification
    const shown: { title: string; body: string }[] = []
    ;(window as unknown as { __notifications: typeof shown }).__notifications = shown
    class Recorded extends Real {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options)
        shown.push({ title, body: options?.body ?? '' })
      }
    }
    Object.defineProperty(window, 'Notification', { value: Recorded, configurable: true })
  })
  await page.reload()
  await page.getByRole('tab', { name: 'Live' }).waitFor()
})

afterAll(async () => {
  await session?.close()
  await demo?.stop()
})

describe('a supervisor in the browser mode', () => {
  it('a background tab gets a notification for a MISSED call and its title shows the count', async () => {
    await expect.poll(() => page.evaluate(() => Notification.permission)).toBe('granted')
    expect(await page.title()).toBe('IVR Supervisor')
    // Headless Chromium keeps every tab visible, so this tab reports itself hidden, as a tab
    // behind another one does, and says so with the browser's own event.
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', {
        get: () => 'hidden',
        configurable: true,
      })
      Object.defineProperty(document, 'hidden', { get: () => true, configurable: true })
      document.dispatchEvent(new Event('visibilitychange'))
    })
    await demo.push(vendorPush(`sup-${run}-bg`, '9876500011', 'MISSED'))
    const shown = (): Promise<{ title: string; body: string }[]> =>
      page.evaluate(
        () =>
          (window as unknown as { __notifications: { title: string; body: string }[] })
            .__notifications,
      )
    await expect
      .poll(shown, { timeout: 10_000 })
      .toEqual([
        { title: 'Missed call from +91 98765 00011', body: expect.stringMatching(/^Sales · at /) },
      ])
    await expect.poll(() => page.title()).toBe('(1) IVR Supervisor')
    // An answered call does not notify with the default setting (missed and dropped only).
    await demo.push(vendorPush(`sup-${run}-bg-a`, '9876500012', 'ANSWER'))
    await page.locator(`tr[data-call-id="sup-${run}-bg-a"]`).waitFor()
    expect(await shown()).toHaveLength(1)
    await page.evaluate(() => {
      // Back to the document's own answers.
      delete (document as unknown as Record<string, unknown>).visibilityState
      delete (document as unknown as Record<string, unknown>).hidden
    })
    // The alert strip says it too, in its own row of the window.
    await page.getByLabel('Call alerts').getByText('Missed call from +91 98765 00011').waitFor()
  })

  it('does not flag a call taken before any office hours were set; flags one after', async () => {
    const before = `sup-${run}-before`
    await demo.push(vendorPush(before, '9876500021', 'MISSED', { time: istNow(-60).time }))
    // Office hours that exclude the present moment, set now.
    const hour = Number(istNow().time.slice(0, 2))
    const [start, end] = hour >= 2 ? ['00:00', '01:00'] : ['22:00', '23:00']
    await demo.api('/api/v1/office-hours/Daily', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ start, end }),
    })
    await expect
      .poll(async () =>
        (await demo.api<Change[]>('/api/v1/changes')).some(
          (c) => c.kind === 'office-time' && c.state === 'confirmed',
        ),
      )
      .toBe(true)
    const after = `sup-${run}-after`
    await new Promise((r) => setTimeout(r, 1100)) // a later start: the vendor's times have seconds
    await demo.push(vendorPush(after, '9876500022', 'MISSED'))
    const calls = (await demo.api<CallPage>('/api/v1/calls?limit=50')).calls
    expect(calls.find((c) => c.id === before)?.outsideOfficeHours).toBe(false)
    expect(calls.find((c) => c.id === after)?.outsideOfficeHours).toBe(true)

    await goTo('History')
    const flagged = (id: string) =>
      page.locator(`[role=row][data-call-id="${id}"]`).getByText('Outside hours')
    await page.locator(`[role=row][data-call-id="${after}"]`).waitFor()
    await flagged(after).waitFor()
    expect(await flagged(before).count()).toBe(0)
  })

  it('finds a caller in the history by any spelling of the number, and calls by agent name', async () => {
    await demo.push(vendorPush(`sup-${run}-n`, '+91 85978 34899', 'ANSWER'))
    await goTo('History')
    const search = page.getByLabel('Number, agent or text')
    const count = page.getByTestId('history-count')
    await search.fill('085978 34899')
    await expect.poll(() => count.getAttribute('data-total')).toBe('1')
    expect(await page.locator('[role=row][data-call-id]').innerText()).toContain('+91 85978 34899')
    // Every answered push of this test went to agent 9876543210, Asha Kulkarni in the demo.
    await search.fill('asha')
    const answered = (await demo.api<CallPage>('/api/v1/calls?status=ANSWER&limit=50')).total
    await expect.poll(() => count.getAttribute('data-total')).toBe(String(answered))
    await search.fill('')
  })

  it("shows the two call-back figures apart: ours (marked) and the caller's own answered call", async () => {
    const ours = '9876500031'
    const theirs = '9876500032'
    await demo.push(vendorPush(`sup-${run}-m-ours`, ours, 'MISSED'))
    await demo.push(vendorPush(`sup-${run}-m-theirs`, theirs, 'DROPPED'))
    await goTo(/^Missed & dropped/)
    await page.getByRole('button', { name: 'Mark +91 98765 00031 called back' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click()
    await page.locator(`tr[data-caller="+91${ours}"]`).waitFor({ state: 'detached' })
    await new Promise((r) => setTimeout(r, 1100))
    await demo.push(vendorPush(`sup-${run}-a-theirs`, theirs, 'ANSWER'))
    await page.locator(`tr[data-caller="+91${theirs}"]`).waitFor({ state: 'detached' })

    await goTo('Dashboard')
    await page.getByText('Today', { exact: true }).click()
    const stat = (label: string) =>
      page.getByRole('group', { name: label, exact: true }).locator('[data-stat-value]')
    await expect.poll(() => stat('Called back by us').innerText(), { timeout: 10_000 }).toBe('1')
    await expect.poll(() => stat('Rang again and got through').innerText()).toBe('1')
    // Marked within the minute: not "0 min".
    expect(await stat('Median time to call back').innerText()).toBe('under 1 min')

    // The queue's search, assignment and export: the CSV holds exactly the rows shown.
    await goTo(/^Missed & dropped/)
    await page.getByLabel('Which callers to show').getByText('All of the last week').click()
    await page.getByLabel('Search').fill('098765 00032')
    const row = page.locator(`tr[data-caller="+91${theirs}"]`)
    await row.waitFor()
    expect(await page.locator('tr[data-caller]').count()).toBe(1)
    expect(await row.innerText()).toContain('rang again, answered')
    await row.getByRole('button', { name: /^Assign/ }).click()
    await page.getByRole('dialog').getByLabel(/Name/).fill('Meena')
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click()
    await row.getByText('Meena').waitFor()
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ])
    const rows = parse(await readFile(await download.path()), { columns: true }) as Record<
      string,
      string
    >[]
    expect(rows).toEqual([
      expect.objectContaining({
        callerNumber: `+91${theirs}`,
        state: 'resolved',
        assignee: 'Meena',
        settledBy: `answered call sup-${run}-a-theirs`,
      }),
    ])
    expect(rows[0]!.lastMissedAt).toMatch(/\+05:30$/)
    await page.getByLabel('Search').fill('')
    await page.getByLabel('Which callers to show').getByText('Waiting', { exact: true }).click()
  })

  it('refuses agent numbers the normaliser refuses, under the field, and accepts a trunk 0', async () => {
    await goTo('Agents')
    // Today's figures follow the day: the calls Asha answered in this test are counted.
    const answered = page.locator('tr[data-agent="9876543210"] td').nth(4)
    await expect.poll(() => answered.innerText(), { timeout: 10_000 }).not.toBe('0')
    await page.getByRole('button', { name: 'Add agent' }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByLabel('Name').fill('Meena Rao')
    const number = dialog.getByLabel('Phone number')
    for (const bad of ['12345', '0981234567']) {
      await number.fill(bad)
      await dialog.getByRole('button', { name: 'Add agent' }).click()
      await expect.poll(() => number.getAttribute('aria-invalid')).toBe('true')
      await dialog.getByText(`"${bad}" is not a valid phone number`).waitFor()
    }
    await number.fill('09812345678')
    await dialog.getByRole('button', { name: 'Add agent' }).click()
    await dialog.waitFor({ state: 'detached' })
    const row = page.locator('tr[data-agent="9812345678"]')
    await row.waitFor()
    expect(await row.innerText()).toContain('+91 98123 45678')
    const agents = await demo.api<Agent[]>('/api/v1/agents')
    expect(agents.find((a) => a.name === 'Meena Rao')).toMatchObject({
      number: '9812345678',
      normalizedNumber: '+919812345678',
    })
  })

  it('switches an UNKNOWN agent off with one action: exactly one OFF reaches the vendor', async () => {
    const name = 'Rohan Mehta'
    const agent = (await demo.api<Agent[]>('/api/v1/agents')).find((a) => a.name === name)!
    expect(agent.status).toBe('UNKNOWN')
    const row = page.locator(`tr[data-agent="${agent.number}"]`)
    expect(await row.getByText('Unknown', { exact: true }).count()).toBe(1)
    await row.getByRole('button', { name: `Set off: ${name}` }).click()
    await expect
      .poll(() => row.getByRole('switch', { name }).isChecked(), { timeout: 15_000 })
      .toBe(false)
    const sent = (await simulatorRequests()).filter(
      (r) => r.params.action?.toLowerCase() === 'manageagent' && r.params.agentnum === agent.number,
    )
    expect(sent.map((r) => [r.params.status, r.answer])).toEqual([['OFF', 'Success']])
    await screenshot(page, 'agents-unknown')
  })

  it('shows the time zone as Asia/Kolkata and finds it by city', async () => {
    await goTo('Settings')
    const zone = page.getByRole('combobox', { name: 'Time zone' })
    await expect.poll(() => zone.inputValue()).toMatch(/^Asia\/Kolkata/)
    await zone.click()
    await zone.fill('Calcutta')
    await page.getByRole('option', { name: /Asia\/Kolkata/ }).waitFor()
    await page.keyboard.press('Escape')
  })

  it('holds its layout at 1024×700, 1280×800 and 1920×1080: nothing cut off, nothing sideways', async () => {
    // Calls on every screen, holidays in both tables (the earlier tests add a settled item in
    // the queue and a flagged call in the history).
    await demo.push(vendorPush(`sup-${run}-layout`, '9876500041', 'MISSED'))
    await demo.api('/api/v1/holidays', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      // Confirmed: on 24 or 25 December this closes the office today or tomorrow.
      body: JSON.stringify({ yearly: '12-25', name: 'Christmas', confirmed: true }),
    })
    const screens = [
      'Live',
      'Missed & dropped',
      'Agents',
      'Connection',
      'Settings',
      'History',
      'Dashboard',
      'Holidays',
      'Office hours',
    ]
    for (const [width, height] of [
      [1024, 700],
      [1280, 800],
      [1920, 1080],
    ] as const) {
      await page.setViewportSize({ width, height })
      for (const screen of screens) {
        await goTo(screen)
        if (screen === 'Missed & dropped')
          await page.getByLabel('Which callers to show').getByText('All of the last week').click()
        if (screen === 'Dashboard') await page.locator('[data-stat-value]').first().waitFor()
        if (screen === 'History') await page.locator('[role=row][data-call-id]').first().waitFor()
        await page.waitForTimeout(250)
        const problems = await page.evaluate(() => {
          const out: string[] = []
          if (document.documentElement.scrollWidth > window.innerWidth + 1)
            out.push(`the page scrolls sideways (${document.documentElement.scrollWidth}px)`)
          // Nor does any table inside it (a sideways scroll hides the Actions column).
          for (const el of document.querySelectorAll<HTMLElement>('.mantine-ScrollArea-viewport'))
            if (el.offsetParent !== null && el.scrollWidth > el.clientWidth + 1)
              out.push(
                `a table scrolls sideways: ${el.querySelector('table')?.getAttribute('aria-label')}`,
              )
          // Labels that must read whole: stat labels, badges, tabs, column headers, settled text.
          const whole = document.querySelectorAll<HTMLElement>(
            '[role=group] p, .mantine-Badge-label, .mantine-Tabs-tabLabel, th, [data-settled]',
          )
          for (const el of whole)
            if (
              el.offsetParent !== null &&
              (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)
            )
              out.push(`cut off: "${el.textContent}"`)
          // The holiday tables share their columns.
          const [year, rules] = [...document.querySelectorAll('table')].filter((t) =>
            /Holidays in|Yearly holidays/.test(t.getAttribute('aria-label') ?? ''),
          )
          if (year && rules) {
            const lefts = (t: Element): number[] =>
              [...(t.querySelector('tbody tr:last-child')?.children ?? [])].map((c) =>
                Math.round(c.getBoundingClientRect().left),
              )
            if (lefts(year).join() !== lefts(rules).join())
              out.push(`holiday tables misaligned: ${lefts(year).join()} vs ${lefts(rules).join()}`)
          }
          return out
        })
        expect(problems, `${screen} at ${width}×${height}`).toEqual([])
        await screenshot(page, `layout-${width}-${screen.replace(/\W+/g, '-').toLowerCase()}`)
      }
    }
    await page.setViewportSize({ width: 1280, height: 800 })
  })

  it('logged no console errors', () => {
    expect(session.errors).toEqual([])
  })
})
