/**
 * Two people on one team server, each in their own browser context with their own token: a viewer
 * cannot switch an agent (no control, and the server refuses the request), a supervisor can, and
 * the viewer's screen shows the change as it happens; the missed-call queue's marks and
 * assignment and the weekly closures are the supervisor's too, its export anyone's.
 */
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Agent } from '../../src/shared/domain'
import { addPerson } from '../support/users'
import { goTo, openApp, screenshot, type BrowserSession } from './support/browser'
import { startDemo, type Demo } from './support/demo'
import { vendorPush } from './support/vendorPush'

const AGENT = 'Asha Kulkarni'

let demo: Demo
let viewerSession: BrowserSession
let viewer: Page
let supervisorContext: BrowserContext
let supervisor: Page

async function open(page: Page): Promise<void> {
  // Main has said who is looking: the controls their role allows are in place.
  await page.getByText(/ · (viewer|supervisor)$/).waitFor()
  await page.getByRole('tab', { name: 'Agents' }).click()
  await page.locator('tr[data-agent]').first().waitFor()
}

const row = (page: Page) => page.locator('tr[data-agent]', { hasText: AGENT })

/**
 * The agent's status control: its switch once a status is known, and while it is UNKNOWN (the
 * demo's agents start so) the two actions that send exactly one status.
 */
const statusControls = (page: Page) =>
  row(page)
    .getByRole('switch', { name: AGENT })
    .or(row(page).getByRole('button', { name: new RegExp(`^Set (available|off): ${AGENT}$`) }))

const agentNow = async (): Promise<Agent> =>
  (await demo.api<Agent[]>('/api/v1/agents')).find((a) => a.name === AGENT)!

beforeAll(async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'ivrs-e2e-team-'))
  const viewerToken = await addPerson(dataDir, 'Vikram Shah', 'viewer')
  const supervisorToken = await addPerson(dataDir, 'Asha Rao', 'supervisor')
  demo = await startDemo({ simRatePerMinute: 0, dataDir })
  const base = `${demo.apiBase}/#token=`
  viewerSession = await openApp(base + encodeURIComponent(viewerToken))
  viewer = viewerSession.page
  supervisorContext = await viewerSession.browser.newContext({
    viewport: { width: 1280, height: 800 },
  })
  supervisor = await supervisorContext.newPage()
  await supervisor.goto(base + encodeURIComponent(supervisorToken))
  await open(viewer)
  await open(supervisor)
})

afterAll(async () => {
  await viewerSession?.close()
  await demo?.stop()
})

describe('two people on one team server', () => {
  it('names each person in the header', async () => {
    await viewer.getByText('Vikram Shah · viewer').waitFor()
    await supervisor.getByText('Asha Rao · supervisor').waitFor()
  })

  it('gives the viewer no switch, and the server refuses the request anyway', async () => {
    await row(viewer).waitFor()
    await statusControls(supervisor).first().waitFor()
    expect(await statusControls(viewer).count()).toBe(0)
    expect(await viewer.getByRole('button', { name: 'Add agent' }).count()).toBe(0)

    const agent = await agentNow()
    // The viewer's own browser, with the viewer's own token, asks anyway.
    const refused = await viewer.evaluate(async (number) => {
      const token = sessionStorage.getItem('ivrs.apiToken')
      const res = await fetch(`/api/v1/agents/${number}/status`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ status: 'AVAIL' }),
      })
      return { status: res.status, body: (await res.json()) as { error: string } }
    }, agent.number)
    expect(refused.status).toBe(403)
    expect(refused.body.error).toBe(
      'Forbidden: agents:setStatus needs the supervisor role or above; Vikram Shah is a viewer. Ask an admin of this team server.',
    )
    expect((await agentNow()).status).toBe(agent.status)
  })

  it("lets the supervisor switch the agent, and the viewer's screen follows live", async () => {
    const before = (await agentNow()).status
    const expected = before === 'AVAIL' ? 'Off' : 'Available'
    if (before === 'UNKNOWN')
      await row(supervisor)
        .getByRole('button', { name: `Set available: ${AGENT}` })
        .click()
    else await row(supervisor).getByRole('switch', { name: AGENT }).click({ force: true })
    // Pending first, then confirmed by the vendor (the simulator), with who asked.
    await expect
      .poll(async () => await row(viewer).innerText(), { timeout: 15_000 })
      .toMatch(new RegExp(`${expected}[\\s\\S]*by Asha Rao`))
    await screenshot(viewer, 'team-viewer-agents')
  })

  it('gives the viewer the queue and the weekly closures to read, and the supervisor to work', async () => {
    await demo.push(vendorPush('team-queue-1', '9876500099', 'MISSED'))
    const works = async (page: Page) => {
      await goTo(page, /^Missed/)
      const line = page.locator('tr[data-caller="+919876500099"]')
      await line.waitFor()
      await page.getByRole('button', { name: 'Export CSV' }).waitFor()
      const queue = {
        mark: await line.getByRole('button', { name: /called back$/ }).count(),
        resolve: await line.getByRole('button', { name: /^Resolve/ }).count(),
        assign: await line.getByRole('button', { name: /^Assign/ }).count(),
      }
      await goTo(page, 'Office hours')
      const sunday = page.getByRole('checkbox', { name: 'Closed every Sunday' })
      await sunday.waitFor()
      return { ...queue, closeSundays: await sunday.isEnabled() }
    }
    expect(await works(viewer)).toEqual({ mark: 0, resolve: 0, assign: 0, closeSundays: false })
    expect(await works(supervisor)).toEqual({ mark: 1, resolve: 1, assign: 1, closeSundays: true })
  })

  it('shows the viewer no Accounts tab and no vendor settings', async () => {
    await viewer.getByRole('tab', { name: 'Settings' }).click()
    await viewer.getByRole('tab', { name: 'General' }).waitFor()
    expect(await viewer.getByRole('tab', { name: 'Accounts' }).count()).toBe(0)
    expect(await viewer.getByText('Vendor settings URL').count()).toBe(0)
  })
})
