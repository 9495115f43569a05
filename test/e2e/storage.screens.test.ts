/**
 * Storage problems told on screen, in the demo's browser mode: a damaged document found at
 * start-up shows the Connection screen's banner (what, what to do) until acknowledged; Settings
 * checks the data folder and makes a backup; a month file gone from the folder is shown with how
 * many calls it held and which.
 */
import { mkdir, mkdtemp, unlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApp, screenshot, type BrowserSession } from './support/browser'
import { startDemo, type Demo } from './support/demo'
import { samplePush, todayIn } from '../support/fixtures'
import { startHeadless } from '../support/headless'

let demo: Demo
let session: BrowserSession
let page: Page

beforeAll(async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'ivrs-e2e-storage-'))
  await mkdir(join(dataDir, 'vendor'))
  // The agent directory was cut short (a power cut on a disk without a journal, say).
  await writeFile(join(dataDir, 'vendor/agents.json'), '{"agents":[{"number":"98')
  demo = await startDemo({ simRatePerMinute: 0, dataDir })
  session = await openApp(demo.appUrl)
  page = session.page
})

afterAll(async () => {
  await session?.close()
  await demo?.stop()
})

describe('storage problems on screen', () => {
  it('shows the banner on the Connection screen until the user has seen it', async () => {
    await page.getByRole('tab', { name: 'Connection' }).click()
    const banner = page.getByRole('alert', { name: 'Storage problem' })
    await banner.waitFor()
    expect(await banner.textContent()).toContain('The file of the agent directory was damaged')
    expect(await banner.textContent()).toContain('What you can do:')
    expect(await banner.textContent()).toContain('vendor/agents.json')
    await screenshot(page, 'storage-banner')
    await banner.getByRole('button', { name: 'I have seen this' }).click()
    await banner.waitFor({ state: 'detached' })
    const health = await demo.api<{ storage: { state: string } }>('/api/v1/health')
    expect(health.storage.state).toBe('ok')
  })

  it('checks the data folder and backs it up from Settings', async () => {
    await page.getByRole('tab', { name: 'Settings' }).click()
    await page.getByRole('button', { name: 'Check data folder' }).click()
    const report = page.getByLabel('Data folder check')
    await report.waitFor()
    expect(await report.textContent()).toContain('No damage found.')
    await page.getByRole('button', { name: 'Back up now' }).click()
    const made = page.getByLabel('Backup made')
    await made.waitFor()
    expect(await made.textContent()).toContain(join(demo.dataDir, 'backups', 'ivrs-backup-'))
  })
})

describe('a file missing from the data folder, on screen', () => {
  it('shows what it held: how many calls were lost, and which', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ivrs-e2e-missing-'))
    // Three calls saved in this month's file (the app stopped cleanly), which then goes missing.
    const date = todayIn()
    const month = date.slice(0, 7)
    const first = await startHeadless({ dataDir })
    for (const id of ['lost-1', 'lost-2', 'lost-3']) {
      const res = await fetch(
        `${first.webhookUrl}?${new URLSearchParams(samplePush(id, { date }))}`,
      )
      expect(await res.text()).toBe('Accepted')
    }
    expect(await first.stop()).toBe(0)
    await unlink(join(dataDir, `calls/shards/${month}.json`))
    const missing = await startDemo({ simRatePerMinute: 0, dataDir })
    const view = await openApp(missing.appUrl)
    try {
      await view.page.getByRole('tab', { name: 'Connection' }).click()
      const banner = view.page.getByRole('alert', { name: 'Storage problem' })
      await banner.waitFor()
      const text = (await banner.textContent()) ?? ''
      expect(text).toContain('A file of the data folder is missing')
      expect(text).toContain(
        `The call file of ${month} is missing from the data folder. It held 3 calls.`,
      )
      expect(text).toContain('Calls lost: 3')
      for (const id of ['lost-1', 'lost-2', 'lost-3']) expect(text).toContain(id)
      expect(text).toContain(`calls/shards/${month}.json`)
      await screenshot(view.page, 'storage-banner-file-missing')
    } finally {
      await view.close()
      await missing.stop()
    }
  })
})
