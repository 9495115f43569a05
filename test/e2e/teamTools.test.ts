/**
 * A team of three on one server, in the browser mode: the address `npm run users -- add` prints
 * and the one Settings → Accounts shows open the app as that person; a bare address signs in with
 * a pasted personal token; each person chooses their own alerts (a supervisor and a viewer, not
 * admins) without touching the team's defaults or each other's; a caller is assigned to someone
 * chosen from the team.
 */
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MissedItem, Settings } from '../../src/shared/domain'
import { runUsers } from '../support/users'
import { goTo, openApp, screenshot, type BrowserSession } from './support/browser'
import { startDemo, type Demo } from './support/demo'
import { vendorPush } from './support/vendorPush'

let demo: Demo
let owner: BrowserSession
let supervisorContext: BrowserContext
let supervisor: Page
let viewerContext: BrowserContext
let viewer: Page
let viewerToken = ''
const run = Date.now().toString(36)

/** Errors thrown in the pages of the supervisor and the viewer. */
const pageErrors: string[] = []

/** A fresh browser context (its own storage, as another person's browser). */
async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await owner.browser.newContext({ viewport: { width: 1280, height: 800 } })
  const page = await context.newPage()
  page.on('pageerror', (err) => pageErrors.push(err.message))
  return { context, page }
}

/** The alert strip's words while no call alert shows. */
const strip = (page: Page) => page.getByLabel('Call alerts')

beforeAll(async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'ivrs-e2e-team-tools-'))
  demo = await startDemo({ simRatePerMinute: 0, dataDir })
  owner = await openApp(demo.appUrl)
  await owner.page.getByRole('tab', { name: 'Live' }).waitFor()
})

afterAll(async () => {
  await owner?.close()
  await demo?.stop()
})

describe('adding a colleague and signing in', () => {
  it('prints the address that opens the app as the person added, and it does', async () => {
    // The server runs: the command asks it, and it answers with its own address.
    const added = await runUsers(demo.dataDir, ['add', 'Asha Rao', '--role', 'supervisor'])
    expect(added.code, added.stderr).toBe(0)
    const line = added.stdout.split('\n').find((l) => l.startsWith('Open the app as Asha Rao: '))
    const address = line?.slice('Open the app as Asha Rao: '.length) ?? ''
    expect(address).toBe(`${demo.apiBase}/#token=${encodeURIComponent(added.lastLine)}`)
    ;({ context: supervisorContext, page: supervisor } = await newPage())
    await supervisor.goto(address)
    await supervisor.getByText('Asha Rao · supervisor').waitFor()
    // The token left the address bar at once.
    expect(supervisor.url()).not.toContain('#token=')
  })

  it('shows the address under Settings → Accounts, and a bare address signs in with the token', async () => {
    const page = owner.page
    await goTo(page, 'Settings')
    await page.getByRole('tab', { name: 'Accounts' }).click()
    await page.getByLabel('Name').fill('Vikram Shah')
    await page.getByRole('button', { name: 'Add', exact: true }).click()
    const shown = page.getByLabel('Address for Vikram Shah', { exact: true })
    await shown.waitFor()
    viewerToken = await page.getByLabel('Personal token', { exact: true }).innerText()
    expect(await shown.innerText()).toBe(
      `${demo.apiBase}/#token=${encodeURIComponent(viewerToken)}`,
    )
    await screenshot(page, 'accounts-address')

    ;({ context: viewerContext, page: viewer } = await newPage())
    await viewer.goto(demo.apiBase)
    const token = viewer.getByLabel('Your personal token, or the address you were given')
    await token.fill('ivrs_not_a_real_token')
    await viewer.getByRole('button', { name: 'Sign in' }).click()
    await viewer.getByText(/This token is not accepted here: it was revoked, mistyped/).waitFor()
    await screenshot(viewer, 'sign-in')
    // The token alone, or the whole address it came in: either opens the app.
    await token.fill(`  ${viewerToken}  `)
    await viewer.getByRole('button', { name: 'Sign in' }).click()
    await viewer.getByText('Vikram Shah · viewer').waitFor()
    // Kept for the tab: a reload stays signed in.
    await viewer.reload()
    await viewer.getByText('Vikram Shah · viewer').waitFor()
  })
})

describe('alerts that are each person’s own', () => {
  it('lets a supervisor pause their own alerts without touching the team’s or a viewer’s', async () => {
    await goTo(supervisor, 'Settings')
    const mine = supervisor.getByRole('group', { name: 'Your alerts, in this browser' })
    await mine.getByRole('switch', { name: 'Your alerts: Pause alerts' }).click({ force: true })
    await expect.poll(() => strip(supervisor).innerText()).toMatch(/^Alerts: paused/)
    await screenshot(supervisor, 'own-alerts')
    // Nobody else's: the team's defaults and the viewer's strip are as they were.
    expect((await demo.api<Settings>('/api/v1/settings')).alertsPaused).toBe(false)
    await expect.poll(() => strip(viewer).innerText()).toBe('Alerts: missed and dropped calls')

    // A viewer chooses too: every call.
    await goTo(viewer, 'Settings')
    const theirs = viewer.getByRole('group', { name: 'Your alerts, in this browser' })
    await theirs.getByRole('combobox', { name: 'Your alerts: Alerts' }).click()
    await viewer.getByRole('option', { name: 'Every call' }).click()
    await expect.poll(() => strip(viewer).innerText()).toBe('Alerts: every call')
    expect((await demo.api<Settings>('/api/v1/settings')).notify).toBe('missed')

    // A missed call: the viewer is alerted, the supervisor who paused is not.
    await demo.push(vendorPush(`team-tools-${run}-m`, '9876500201', 'MISSED'))
    await strip(viewer).getByText('Missed call from +91 98765 00201').waitFor()
    await goTo(supervisor, /^Missed & dropped/)
    await supervisor.locator('tr[data-caller="+919876500201"]').waitFor()
    expect(await strip(supervisor).innerText()).toMatch(/^Alerts: paused/)

    // Kept by the browser for that person, across a reload; and back to the team's defaults.
    await supervisor.reload()
    await expect.poll(() => strip(supervisor).innerText()).toMatch(/^Alerts: paused/)
    await goTo(supervisor, 'Settings')
    await supervisor.getByRole('button', { name: 'Use the team’s defaults' }).click()
    await expect.poll(() => strip(supervisor).innerText()).toBe('Alerts: missed and dropped calls')
  })

  it('leaves the team’s defaults to an admin', async () => {
    expect(await supervisor.getByText('The team’s default alerts').count()).toBe(0)
    const page = owner.page
    await page.getByRole('tab', { name: 'General' }).click()
    await page.getByText('The team’s default alerts').waitFor()
    const res = await fetch(`${demo.apiBase}/api/v1/settings`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${viewerToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ alertsPaused: true }),
    })
    expect(res.status).toBe(403)
  })
})

describe('the missed queue with a team', () => {
  it('assigns a caller to someone chosen from the team', async () => {
    await goTo(supervisor, /^Missed & dropped/)
    const row = supervisor.locator('tr[data-caller="+919876500201"]')
    await row.getByRole('button', { name: /^Assign/ }).click()
    const dialog = supervisor.getByRole('dialog')
    await dialog.getByRole('combobox', { name: 'Who calls back' }).click()
    // The team's people, by name and role.
    for (const person of ['Asha Rao (supervisor)', 'Vikram Shah (viewer)'])
      await supervisor.getByRole('option', { name: person }).waitFor()
    await supervisor.getByRole('option', { name: 'Vikram Shah (viewer)' }).click()
    await dialog.getByRole('button', { name: 'Save' }).click()
    await row.getByText('Vikram Shah').waitFor()
    const { items } = await demo.api<{ items: MissedItem[] }>('/api/v1/missed')
    expect(items.find((i) => i.callerNumber === '+919876500201')?.assignee).toBe('Vikram Shah')
  })

  it("logged no console error for the admin, and no page error in the others' browsers", async () => {
    expect(owner.errors).toEqual([])
    // (The viewer's first, mistyped token was answered 401, which the browser logs.)
    expect(pageErrors).toEqual([])
    await supervisorContext.close()
    await viewerContext.close()
  })
})
