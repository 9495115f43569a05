/**
 * A supervisor's tasks with the keyboard alone, against the demo's browser mode with the generator
 * off: switch an agent, mark a caller called back, assign, add a holiday, set office hours, filter
 * the history, export; every control reached with Tab (or a shortcut) shows a visible focus ring.
 * The shortcuts (screens, search, next/previous caller, the list on `?`), which never fire while
 * typing; live updates announced politely without moving focus; reduced motion respected.
 * Playwright's mouse is never used here.
 */
import { readFile } from 'node:fs/promises'
import { parse } from 'csv-parse/sync'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Agent, Holiday, MissedItem, OfficeHours } from '../../src/shared/domain'
import { openApp, type BrowserSession } from './support/browser'
import { startDemo, type Demo } from './support/demo'
import { istNow, vendorPush } from './support/vendorPush'

let demo: Demo
let session: BrowserSession
let page: Page
const run = Date.now().toString(36)
const CALLERS = ['9812300101', '9812300102', '9812300103']

/** True when `locator` is (or holds) the focused element. */
const hasFocus = (locator: Locator): Promise<boolean> =>
  locator.evaluate((el) => el === document.activeElement || el.contains(document.activeElement))

/**
 * What shows where focus is: the focused element's outline, or for a check box or switch (a hidden
 * input) the outline of the track drawn beside it. Returns a description, or null when nothing
 * shows.
 */
async function focusRing(p: Page): Promise<string | null> {
  return p.evaluate(() => {
    const el = document.activeElement as HTMLElement | null
    if (!el || el === document.body) return null
    const shown = [el, el.nextElementSibling as HTMLElement | null]
    for (const c of shown) {
      if (!c) continue
      const st = getComputedStyle(c)
      if (st.outlineStyle !== 'none' && parseFloat(st.outlineWidth) >= 1)
        return `${c.tagName.toLowerCase()} ${st.outlineWidth} ${st.outlineStyle} ${st.outlineColor}`
    }
    return null
  })
}

/** Presses Tab until `target` has focus (at most `max` times), checking each stop shows focus. */
async function tabTo(target: Locator, max = 250): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await hasFocus(target)) {
      expect(await focusRing(page), 'a visible focus ring on the target').not.toBeNull()
      return
    }
    await page.keyboard.press('Tab')
  }
  throw new Error(`Tab never reached ${target.toString()}`)
}

/** Presses Enter on the focused export button and reads the CSV it saves. */
async function downloadWithEnter(): Promise<Record<string, string>[]> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.keyboard.press('Enter'),
  ])
  return parse(await readFile(await download.path()), { columns: true }) as Record<string, string>[]
}

/** Leaves whatever has focus (as Escape or a click elsewhere would), so keys go to the page. */
const leaveField = (): Promise<void> =>
  page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())

/** Goes to a screen with its digit shortcut, from the page itself (not from a field). */
async function screenByKey(digit: string, name: string | RegExp): Promise<void> {
  await leaveField()
  await page.keyboard.press(digit)
  await expect
    .poll(() =>
      page
        .getByRole('tablist', { name: 'Screens' })
        .getByRole('tab', { name, selected: true })
        .count(),
    )
    .toBe(1)
}

beforeAll(async () => {
  demo = await startDemo({ simRatePerMinute: 0 })
  for (const [i, caller] of CALLERS.entries())
    await demo.push(
      vendorPush(`kb-${run}-${i}`, caller, 'MISSED', { time: istNow(-600 + i * 60).time }),
    )
  session = await openApp(demo.appUrl)
  page = session.page
  await page.locator('tr[data-call-id]').first().waitFor()
})

afterAll(async () => {
  await session?.close()
  await demo?.stop()
})

describe('keyboard alone', () => {
  it('lists the shortcuts on ?, and closes the list with Escape', async () => {
    await leaveField()
    await page.keyboard.press('?')
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
    await dialog.waitFor()
    const rows = await dialog.getByRole('row').allInnerTexts()
    for (const line of [
      /^1\s+Go to Live$/,
      /^2\s+Go to Missed & dropped$/,
      /^\/\s+Search/,
      /^j\s+Next caller/,
      /^k\s+Previous caller/,
      /^\?\s+This list$/,
    ])
      expect(
        rows.some((r) => line.test(r.trim())),
        String(line),
      ).toBe(true)
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
  })

  it('moves between screens by the tabs with the arrow keys, and by digit', async () => {
    const tabs = page.getByRole('tablist', { name: 'Screens' })
    await tabTo(tabs.getByRole('tab', { name: 'Live' }))
    await page.keyboard.press('ArrowRight')
    await expect
      .poll(() => tabs.getByRole('tab', { name: /^Missed/ }).getAttribute('aria-selected'))
      .toBe('true')
    expect(await focusRing(page)).not.toBeNull()
    await screenByKey('3', 'Agents')
    await screenByKey('1', 'Live')
  })

  it('switches an agent on, then off, with Tab, Enter and Space', async () => {
    await screenByKey('3', 'Agents')
    const name = 'Asha Kulkarni'
    const status = async (): Promise<string | undefined> =>
      (await demo.api<Agent[]>('/api/v1/agents')).find((a) => a.name === name)?.status
    expect(await status()).toBe('UNKNOWN')
    await tabTo(page.getByRole('button', { name: `Set available: ${name}` }))
    await page.keyboard.press('Enter')
    await expect.poll(status, { timeout: 15_000 }).toBe('AVAIL')
    // The buttons gave way to the switch, and focus went with them.
    const toggle = page.getByRole('switch', { name })
    await expect.poll(() => hasFocus(toggle)).toBe(true)
    expect(await focusRing(page)).not.toBeNull()
    await page.keyboard.press('Space')
    await expect.poll(status, { timeout: 15_000 }).toBe('OFF')
    await expect.poll(() => toggle.isChecked()).toBe(false)
  })

  it('goes from caller to caller with j and k, marks one called back and assigns another', async () => {
    await screenByKey('2', /^Missed/)
    const rows = page.locator('tr[data-caller]')
    await expect.poll(() => rows.count()).toBe(CALLERS.length)
    const callerLink = (i: number) => rows.nth(i).locator('[data-shortcut="row"]')
    await page.keyboard.press('j')
    await expect.poll(() => hasFocus(callerLink(0))).toBe(true)
    expect(await focusRing(page)).not.toBeNull()
    await page.keyboard.press('j')
    await expect.poll(() => hasFocus(callerLink(1))).toBe(true)
    await page.keyboard.press('k')
    await expect.poll(() => hasFocus(callerLink(0))).toBe(true)
    const first = await rows.nth(0).getAttribute('data-caller')

    await tabTo(rows.nth(0).getByRole('button', { name: /called back$/ }))
    await page.keyboard.press('Enter')
    const dialog = page.getByRole('dialog')
    const note = dialog.getByLabel('Note (optional)')
    await expect.poll(() => hasFocus(note)).toBe(true)
    await page.keyboard.type('Rang back from the keyboard')
    await page.keyboard.press('Enter')
    await dialog.waitFor({ state: 'detached' })
    await page.locator(`tr[data-caller="${first}"]`).waitFor({ state: 'detached' })
    const marked = (await demo.api<{ items: MissedItem[] }>('/api/v1/missed')).items.find(
      (i) => i.callerNumber === first,
    )
    expect(marked).toMatchObject({ state: 'called-back', note: 'Rang back from the keyboard' })

    const next = page.locator('tr[data-caller]').first()
    const nextCaller = await next.getAttribute('data-caller')
    await tabTo(next.getByRole('button', { name: /^Assign/ }))
    await page.keyboard.press('Enter')
    await expect.poll(() => hasFocus(page.getByRole('dialog').getByLabel(/Name/))).toBe(true)
    await page.keyboard.type('Meena')
    await page.keyboard.press('Enter')
    await next.getByText('Meena').waitFor()
    const assigned = (await demo.api<{ items: MissedItem[] }>('/api/v1/missed')).items.find(
      (i) => i.callerNumber === nextCaller,
    )
    expect(assigned?.assignee).toBe('Meena')
  })

  it('exports the queue as CSV with Enter', async () => {
    await screenByKey('2', /^Missed/)
    await tabTo(page.getByRole('button', { name: 'Export CSV' }))
    const rows = await downloadWithEnter()
    expect(rows.map((r) => r.assignee)).toContain('Meena')
  })

  it('adds a holiday by typing its date and name', async () => {
    await screenByKey('8', 'Holidays')
    const today = istNow().date
    const year = Number(today.slice(0, 4))
    // Later this year when there is room, else early next year (then the year is switched).
    const date = today.slice(5) < '12-20' ? `${year}-12-28` : `${year + 1}-01-05`
    const [y, m, d] = date.split('-')
    await tabTo(page.getByLabel('Date', { exact: true }))
    await page.keyboard.type(`${d}/${m}/${y}`)
    await page.keyboard.press('Escape')
    await tabTo(page.getByLabel('Name (optional)'))
    await page.keyboard.type('Keyboard day')
    await tabTo(page.getByRole('button', { name: 'Add holiday' }))
    await page.keyboard.press('Enter')
    await expect
      .poll(
        async () =>
          (await demo.api<{ holidays: Holiday[] }>('/api/v1/holidays')).holidays.find(
            (h) => h.date === date,
          )?.name,
        { timeout: 15_000 },
      )
      .toBe('Keyboard day')
  })

  it('sets the office hours by typing the times', async () => {
    await screenByKey('9', 'Office hours')
    await tabTo(page.getByLabel('Every day opening hour'))
    await page.keyboard.type('10')
    await tabTo(page.getByLabel('Every day opening minutes'))
    await page.keyboard.type('15')
    await tabTo(page.getByRole('button', { name: 'Save Every day hours' }))
    await page.keyboard.press('Enter')
    await expect
      .poll(
        async () =>
          (await demo.api<OfficeHours[]>('/api/v1/office-hours')).find((h) => h.day === 'Daily')
            ?.start,
        { timeout: 15_000 },
      )
      .toBe('10:15')
  })

  it('filters the history with / and the status list, and exports what is shown', async () => {
    await screenByKey('6', 'History')
    const count = page.getByTestId('history-count')
    await leaveField()
    await page.keyboard.press('/')
    const search = page.getByLabel('Number, agent or text')
    await expect.poll(() => hasFocus(search)).toBe(true)
    expect(await focusRing(page)).not.toBeNull()
    await page.keyboard.type('98123 00102')
    await expect.poll(() => count.getAttribute('data-total')).toBe('1')
    await page.keyboard.press('Control+a')
    await page.keyboard.press('Backspace')
    await tabTo(page.getByLabel('Status', { exact: true }).first())
    await page.keyboard.press('ArrowDown')
    await page.getByRole('option', { name: 'Missed' }).waitFor()
    // Down the list to Missed (where the list starts is the list's business).
    for (let i = 0; i < 6; i++) {
      const selected = page.locator('[role=option][data-combobox-selected]')
      if ((await selected.count()) === 1 && (await selected.innerText()) === 'Missed') break
      await page.keyboard.press('ArrowDown')
    }
    await page.keyboard.press('Enter')
    await expect.poll(() => count.getAttribute('data-total')).toBe(String(CALLERS.length))
    await tabTo(page.getByRole('button', { name: 'Export CSV' }))
    const rows = await downloadWithEnter()
    // In the screen's words, as the History shows them.
    expect(rows.map((r) => r.status)).toEqual(CALLERS.map(() => 'Missed'))
  })
})

describe('shortcuts', () => {
  it('never fire while typing in a field', async () => {
    await screenByKey('2', /^Missed/)
    const search = page.getByLabel('Search', { exact: true })
    await page.keyboard.press('/')
    await expect.poll(() => hasFocus(search)).toBe(true)
    await page.keyboard.type('1?j/')
    expect(await search.inputValue()).toBe('1?j/')
    expect(await page.getByRole('dialog').count()).toBe(0)
    expect(await page.getByRole('tab', { name: /^Missed/ }).getAttribute('aria-selected')).toBe(
      'true',
    )
    await search.fill('')
  })

  it('/ on a screen without a search opens the history with its search focused', async () => {
    await screenByKey('1', 'Live')
    await page.keyboard.press('/')
    await expect
      .poll(() => hasFocus(page.getByLabel('Number, agent or text')), { timeout: 10_000 })
      .toBe(true)
  })

  it('are turned off in their list, and then do nothing', async () => {
    await leaveField()
    await page.keyboard.press('?')
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
    await dialog.waitFor()
    await tabTo(dialog.getByRole('switch', { name: /Single-key shortcuts/ }))
    await page.keyboard.press('Space')
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
    await leaveField()
    await page.keyboard.press('1')
    await page.keyboard.press('?')
    // Nothing happened: still History, no dialog (checked after a round trip to the page).
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)))
    expect(await page.getByRole('tab', { name: 'History' }).getAttribute('aria-selected')).toBe(
      'true',
    )
    expect(await page.getByRole('dialog').count()).toBe(0)
    // And on again, from the header's button.
    await tabTo(page.getByRole('button', { name: 'Keyboard shortcuts' }))
    await page.keyboard.press('Enter')
    await tabTo(page.getByRole('dialog').getByRole('switch', { name: /Single-key shortcuts/ }))
    await page.keyboard.press('Space')
    await page.keyboard.press('Escape')
    await page.getByRole('dialog').waitFor({ state: 'detached' })
  })
})

describe('live updates', () => {
  it('announces a pushed call politely and leaves focus where the user is', async () => {
    await screenByKey('2', /^Missed/)
    const search = page.getByLabel('Search', { exact: true })
    await page.keyboard.press('/')
    await page.keyboard.type('98')
    const region = page.getByLabel('Call alerts')
    expect(await region.getAttribute('aria-live')).toBe('polite')
    await demo.push(vendorPush(`kb-${run}-live`, '9812300199', 'MISSED'))
    await region.getByText('Missed call from +91 98123 00199').waitFor({ timeout: 10_000 })
    await page.locator('tr[data-caller="+919812300199"]').waitFor()
    expect(await hasFocus(search)).toBe(true)
    expect(await search.inputValue()).toBe('98')
    expect(await page.locator('[aria-live="assertive"]').count()).toBe(0)
    await search.fill('')
  })

  it('logged no console errors', () => {
    expect(session.errors).toEqual([])
  })
})

describe('reduced motion', () => {
  /** The longest transition on a dialog's content as it appears, in seconds. */
  async function dialogTransition(reducedMotion: 'reduce' | 'no-preference'): Promise<number> {
    const s = await openApp(demo.appUrl, { reducedMotion })
    try {
      await s.page.getByRole('tab', { name: 'Live' }).waitFor()
      await s.page.evaluate(() => {
        const seen: number[] = []
        ;(window as unknown as { __seen: number[] }).__seen = seen
        new MutationObserver(() => {
          for (const el of document.querySelectorAll<HTMLElement>(
            '.mantine-Modal-content, .mantine-Modal-overlay',
          ))
            for (const d of getComputedStyle(el).transitionDuration.split(','))
              seen.push(parseFloat(d) * (d.trim().endsWith('ms') ? 0.001 : 1))
        }).observe(document.body, { childList: true, subtree: true, attributes: true })
      })
      await s.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
      await s.page.keyboard.press('?')
      await s.page.getByRole('dialog').waitFor()
      return await s.page.evaluate(() =>
        Math.max(0, ...(window as unknown as { __seen: number[] }).__seen),
      )
    } finally {
      await s.close()
    }
  }

  it('opens a dialog without its transition when the system asks for reduced motion', async () => {
    expect(await dialogTransition('no-preference')).toBeGreaterThan(0.05)
    expect(await dialogTransition('reduce')).toBeLessThan(0.001)
  })
})
