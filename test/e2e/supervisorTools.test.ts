/**
 * A supervisor's tools that do what they say before they act, in the browser mode against the
 * demo with the generator off (every call on screen is one this test pushed): an agents import
 * shown before anything changes, the vendor settings tested as typed, a holiday for tomorrow
 * confirmed first and removed with words on what that does, the missed queue worked in bulk
 * with one undo, inputs that keep what was typed, and the history's CSV in the screen's words.
 */
import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { parse } from 'csv-parse/sync'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { plusDays } from '../../src/shared/closingSoon'
import { closedPort } from '../support/ports'
import { formatDate } from '../../src/shared/dateTime'
import type { Agent, Holiday, MissedItem, Settings } from '../../src/shared/domain'
import { goTo as openTab, openApp, screenshot, type BrowserSession } from './support/browser'
import { simulatorRequests, startDemo, type Demo } from './support/demo'
import { istNow, vendorPush } from './support/vendorPush'

let demo: Demo
let session: BrowserSession
let page: Page
const run = Date.now().toString(36)
const goTo = (name: string | RegExp): Promise<void> => openTab(page, name)

/** What the simulated vendor was asked (its own log, not the app's). */
const vendorRequests = async (): Promise<Record<string, string>[]> =>
  (await simulatorRequests(demo)).map((r) => r.params)

/** A server that answers what a tunnel whose other end is down answers: 502, an error page. */
async function brokenTunnel(): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(502, { 'content-type': 'text/html' })
    res.end(
      `<html><body><h1>Bad gateway</h1><p>${'The tunnel could not reach the origin. '.repeat(20)}Ray ID END-7f3a</p></body></html>`,
    )
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }
}

beforeAll(async () => {
  demo = await startDemo({ simRatePerMinute: 0 })
  session = await openApp(demo.appUrl)
  page = session.page
  await page.getByRole('tab', { name: 'Live' }).waitFor()
})

afterAll(async () => {
  await session?.close()
  await demo?.stop()
})

describe('a supervisor checks before the app acts', () => {
  it('previews an agents CSV: nothing changes until confirmed, then exactly what was shown', async () => {
    const before = await demo.api<Agent[]>('/api/v1/agents')
    await goTo('Agents')
    await page.locator('tr[data-agent]').first().waitFor()
    const csv = [
      '9876543210,Dup of Asha,Sales',
      '9812345005,Extra,Cols,Here',
      '9812345006,Meena Rao,support',
      '12345,Bad number,Sales',
    ].join('\n')
    const pickFile = async (): Promise<void> => {
      const [chooser] = await Promise.all([
        page.waitForEvent('filechooser'),
        page.getByRole('button', { name: 'Import CSV' }).click(),
      ])
      await chooser.setFiles({ name: 'agents.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
    }
    await pickFile()
    const dialog = page.getByRole('dialog', { name: /Import agents\.csv: nothing changes/ })
    await dialog.waitFor()
    expect(await dialog.getByTestId('import-summary').innerText()).toBe(
      '1 agent to add, 1 to change, 2 lines refused.',
    )
    // The rename, side by side with what it replaces.
    const change = dialog.getByRole('table', { name: 'Agents to change' })
    expect(await change.locator('tr[data-line="1"]').innerText()).toMatch(
      /Asha Kulkarni → Dup of Asha/,
    )
    // Refused by line, with the line as written and why.
    const refused = dialog.getByRole('table', { name: 'Lines refused' })
    expect(await refused.locator('tr[data-line="2"]').innerText()).toMatch(
      /9812345005,Extra,Cols,Here\s+4 values, but a line holds at most 3/,
    )
    expect(await refused.locator('tr[data-line="4"]').innerText()).toMatch(/not a valid phone/)
    // One department, whatever the case it is written in.
    const added = dialog.getByRole('table', { name: 'Agents to add' })
    expect(await added.locator('tr[data-line="3"]').innerText()).toMatch(/Meena Rao\s+Support/)
    await dialog.getByText('“support” is Support').waitFor()
    await screenshot(page, 'agents-import-preview')
    // Nothing changed while the preview is open.
    expect(await demo.api<Agent[]>('/api/v1/agents')).toEqual(before)
    await dialog.getByRole('button', { name: 'Cancel: change nothing' }).click()
    await dialog.waitFor({ state: 'detached' })
    expect(await demo.api<Agent[]>('/api/v1/agents')).toEqual(before)

    // Again, adding the new agent only: Asha keeps her name.
    await pickFile()
    await dialog.getByRole('button', { name: 'Add the 1 new agent only' }).click()
    await dialog.waitFor({ state: 'detached' })
    await page
      .getByText('Import: 1 added, 0 updated, 1 changes left out, 2 lines not used')
      .waitFor()
    const after = await demo.api<Agent[]>('/api/v1/agents')
    expect(after.length).toBe(before.length + 1)
    expect(after.find((a) => a.number === '9876543210')?.name).toBe('Asha Kulkarni')
    expect(after.find((a) => a.number === '9812345006')).toMatchObject({
      name: 'Meena Rao',
      department: 'Support',
    })
    expect(after.some((a) => a.name === 'Extra' || a.department === 'Cols')).toBe(false)
  })

  it('tests the vendor settings as typed, unsaved, and says which it tested', async () => {
    await goTo('Settings')
    const port = await closedPort()
    await page.getByLabel('Vendor settings URL').fill(`http://127.0.0.1:${port}`)
    await page.getByLabel('API key', { exact: true }).fill('typed-not-saved-key')
    await page.getByLabel('Customer id').fill('C-42')
    await page.getByRole('button', { name: 'Test connection' }).click()
    const result = page.getByRole('alert').filter({ hasText: 'Connection failed' })
    await result.waitFor({ timeout: 20_000 })
    const text = await result.innerText()
    expect(text).toContain(
      `Tested: http://127.0.0.1:${port} as customer "C-42" with the API key typed here: not saved yet (Save to use them)`,
    )
    expect(text).toMatch(/refused the connection/)
    expect(text).not.toContain('typed-not-saved-key')
    // Testing saved nothing: the simulator still stands in.
    expect(await demo.api<Settings>('/api/v1/settings')).toMatchObject({
      vendorUrl: null,
      custId: null,
      apiKeySet: false,
      simulator: true,
    })
    // An address that is no address says so under its field.
    await page.getByLabel('Vendor settings URL').fill('ftp://vendor.example')
    await page.getByRole('button', { name: 'Test connection' }).click()
    await page.getByText('Vendor URL must start with http:// or https://').waitFor()
    await page.getByLabel('Vendor settings URL').fill('')
    await page.getByLabel('API key', { exact: true }).fill('')
    await page.getByLabel('Customer id').fill('')
  })

  it('keeps what was typed in a date field and says why it is no date, in the one format', async () => {
    await goTo('Holidays')
    const date = page.getByRole('textbox', { name: 'Date', exact: true })
    const year = Number(istNow().date.slice(0, 4))
    await date.fill('31/02/2026')
    await date.blur()
    expect(await date.inputValue()).toBe('31/02/2026')
    await page.getByText('31/02/2026 is not a date: February 2026 has 28 days.').waitFor()
    expect(await date.getAttribute('aria-invalid')).toBe('true')
    // Nothing is sent for a field that holds no date.
    await page.getByRole('button', { name: 'Add holiday' }).click()
    expect(await date.inputValue()).toBe('31/02/2026')
    for (const [typed, shown] of [
      ['25/12', `25 Dec ${year}`],
      [`${year + 1}-12-25`, `25 Dec ${year + 1}`],
      [`29 nov ${year + 1}`, `29 Nov ${year + 1}`],
    ]) {
      await date.fill(typed!)
      await date.blur()
      expect(await date.inputValue(), typed).toBe(shown)
      expect(await date.getAttribute('aria-invalid')).not.toBe('true')
    }
    await date.fill('')
    await date.blur()
  })

  it('asks before a holiday closes the office tomorrow, saying the vendor cannot remove it', async () => {
    const tomorrow = plusDays(istNow().date, 1)
    const sentBefore = (await vendorRequests()).filter((p) => p.action === 'holiday').length
    const date = page.getByRole('textbox', { name: 'Date', exact: true })
    await date.fill(formatDate(tomorrow))
    await page.getByLabel('Name (optional)').fill('Staff training')
    await page.getByRole('button', { name: 'Add holiday' }).click()
    const ask = page.getByRole('dialog', {
      name: `Close the office tomorrow, ${formatDate(tomorrow)}?`,
    })
    await ask.waitFor()
    expect(await ask.innerText()).toMatch(
      /every call is missed until the day is over\. The vendor's API cannot remove a holiday/,
    )
    await screenshot(page, 'holiday-tomorrow-confirm')
    await ask.getByRole('button', { name: 'Cancel: send nothing' }).click()
    await ask.waitFor({ state: 'detached' })
    expect((await vendorRequests()).filter((p) => p.action === 'holiday')).toHaveLength(sentBefore)
    expect(
      (await demo.api<{ holidays: Holiday[] }>('/api/v1/holidays')).holidays.map((h) => h.date),
    ).not.toContain(tomorrow)
    // What was typed is still there; confirmed, it goes.
    expect(await date.inputValue()).toBe(formatDate(tomorrow))
    await page.getByRole('button', { name: 'Add holiday' }).click()
    await ask.getByRole('button', { name: `Close on ${formatDate(tomorrow)}` }).click()
    const row = page.locator(`tr[data-holiday="${tomorrow}"]`)
    if (tomorrow.slice(0, 4) !== istNow().date.slice(0, 4))
      await page.getByRole('button', { name: 'Next year' }).click()
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 15_000 }).toBe('confirmed')
    expect(
      (await vendorRequests()).filter((p) => p.action === 'holiday' && p.hdate === tomorrow),
    ).toHaveLength(1)
    // The API refuses the same without the confirmation.
    const res = await fetch(`${demo.apiBase}/api/v1/holidays`, {
      method: 'POST',
      headers: { authorization: `Bearer ${demo.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ date: plusDays(istNow().date, 0) }),
    })
    expect(res.status).toBe(409)
    expect(((await res.json()) as { fields: string[] }).fields).toEqual(['confirmed'])

    // Removal says what it does and does not do, before it does it.
    await row.getByRole('button', { name: `Remove holiday ${formatDate(tomorrow)}` }).click()
    const remove = page.getByRole('dialog', { name: `Remove ${formatDate(tomorrow)}?` })
    const words = await remove.innerText()
    expect(words).toMatch(/What this does: Takes .* off this app's list/)
    expect(words).toMatch(
      /What it does not do: Remove it at the vendor\. The vendor's API has no way to remove a holiday: callers still hear the holiday message/,
    )
    await remove.getByRole('button', { name: 'Remove from this list only' }).click()
    await page
      .getByRole('status')
      .filter({ hasText: 'It is still a holiday at the vendor' })
      .waitFor()
    await row.waitFor({ state: 'detached' })
  })

  it('resolves several waiting callers at once, then undoes it in one step', async () => {
    const callers = ['9876500101', '9876500102', '9876500103']
    for (const [i, c] of callers.entries())
      await demo.push(vendorPush(`tools-${run}-m${i}`, c, 'MISSED'))
    await goTo(/^Missed & dropped/)
    for (const c of callers) await page.locator(`tr[data-caller="+91${c}"]`).waitFor()
    const state = async (): Promise<string[]> => {
      const { items } = await demo.api<{ items: MissedItem[] }>('/api/v1/missed')
      return callers.map((c) => items.find((i) => i.callerNumber === `+91${c}`)?.state ?? '?')
    }
    await page.getByRole('checkbox', { name: 'Select +91 98765 00101' }).check()
    await page.getByRole('checkbox', { name: 'Select +91 98765 00102' }).check()
    const bar = page.getByRole('group', { name: 'Selected callers' })
    await bar.getByText('2 callers selected').waitFor()
    await screenshot(page, 'missed-bulk')
    await bar.getByRole('button', { name: 'Resolve 2 callers' }).click()
    await page.getByRole('status').filter({ hasText: 'Resolved: 2 callers.' }).waitFor()
    await expect.poll(state).toEqual(['resolved', 'resolved', 'open'])
    await page.locator(`tr[data-caller="+919876500101"]`).waitFor({ state: 'detached' })
    await page.getByRole('button', { name: 'Undo' }).click()
    await page.getByRole('status').filter({ hasText: 'Undone: 2 callers as before.' }).waitFor()
    await expect.poll(state).toEqual(['open', 'open', 'open'])
    await page.locator(`tr[data-caller="+919876500101"]`).waitFor()

    // Every caller shown, assigned at once (no team here: the name is typed).
    await page.getByRole('checkbox', { name: 'Select every caller shown' }).check()
    await bar.getByLabel('Who calls them back').fill('Meena')
    await bar.getByRole('button', { name: /^Assign \d+ callers to Meena$/ }).click()
    await page
      .getByRole('status')
      .filter({ hasText: /Assigned to Meena: \d+ callers/ })
      .waitFor()
    const { items } = await demo.api<{ items: MissedItem[] }>('/api/v1/missed')
    expect(items.filter((i) => i.state === 'open').every((i) => i.assignee === 'Meena')).toBe(true)
  })

  it('takes a pasted webhook URL as the tunnel address with a word, and shows a failed test push whole', async () => {
    await goTo('Connection')
    const field = page.getByLabel('Public tunnel address')
    await field.fill('https://abc.trycloudflare.com/api/PostCallLogs/xyz/')
    await page
      .getByTestId('public-url-reading')
      .filter({ hasText: 'Will be saved as https://abc.trycloudflare.com.' })
      .filter({ hasText: 'The webhook path (/api/PostCallLogs/…) was taken off' })
      .waitFor()
    await field.fill('http://abc.example.com')
    await page.getByText(/^Plain http: .*unencrypted/).waitFor()
    await field.fill('abc.trycloudflare.com/api/PostCallLogs/xyz/')
    await page.getByRole('button', { name: 'Save address' }).click()
    await page
      .getByText('Saved as https://abc.trycloudflare.com. https:// was put in front')
      .waitFor()
    const webhook = page.getByLabel('Webhook URL', { exact: true })
    await expect
      .poll(() => webhook.innerText())
      .toMatch(/^https:\/\/abc\.trycloudflare\.com\/api\/PostCallLogs\/[A-Za-z0-9_-]+\/$/)

    const tunnel = await brokenTunnel()
    try {
      await demo.api('/api/v1/settings', {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ publicUrl: tunnel.url }),
      })
      await expect.poll(() => webhook.innerText()).toContain(tunnel.url)
      await page.getByRole('button', { name: 'Send a test push' }).click()
      const failed = page.getByRole('alert').filter({ hasText: 'The test push failed' })
      await failed.waitFor({ timeout: 20_000 })
      // Whole, to its last words, and where it went.
      const message = await failed.getByTestId('test-push-message').innerText()
      expect(message).toMatch(/^The listener answered 502: Bad gateway The tunnel could not/)
      expect(message).toMatch(/Ray ID END-7f3a$/)
      expect(await failed.innerText()).toContain(
        `Sent to ${tunnel.url}/api/PostCallLogs/<token>/ (the public address: through the tunnel)`,
      )
      await failed.scrollIntoViewIfNeeded()
      await screenshot(page, 'connection-test-push-failed')
    } finally {
      await new Promise<void>((r) => tunnel.server.close(() => r()))
      await demo.api('/api/v1/settings', {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ publicUrl: null }),
      })
    }
  })

  it("exports the history in the screen's words, with the agent's name and durations as m:ss", async () => {
    const id = `tools-${run}-a`
    await demo.push(vendorPush(id, '9876500111', 'ANSWER'))
    await goTo('History')
    await page.locator(`[role=row][data-call-id="${id}"]`).waitFor()
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ])
    const rows = parse(await readFile(await download.path()), { columns: true }) as Record<
      string,
      string
    >[]
    expect(rows.find((r) => r.id === id)).toMatchObject({
      status: 'Answered',
      agentNumber: '+919876543210',
      agentName: 'Asha Kulkarni',
      ivrWait: '0:14',
      ivrSeconds: '14',
      talkTime: '1:35',
      talkSeconds: '95',
    })
    expect(rows.every((r) => ['Answered', 'Missed', 'Dropped'].includes(r.status!))).toBe(true)
  })

  it('logged no console errors (besides the browser noting the refused test above)', () => {
    // The ftp:// address was refused by the service (400), as it should be; the browser logs
    // every 4xx answer as a failed resource. Anything else is an error of the app.
    const refused = /Failed to load resource: .* 400 .*\/api\/v1\/settings\/test-connection\]$/
    expect(session.errors.filter((e) => !refused.test(e))).toEqual([])
    expect(session.errors.filter((e) => refused.test(e))).toHaveLength(1)
  })
})
