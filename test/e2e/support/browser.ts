/** Debian's Chromium driven by playwright-core (never a downloaded browser). */
import { mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'

export const SCREENSHOTS = resolve(import.meta.dirname, '../screenshots')

export interface BrowserSession {
  browser: Browser
  page: Page
  /** Console errors and uncaught page errors seen so far. */
  errors: string[]
  close(): Promise<void>
}

export async function openApp(url: string): Promise<BrowserSession> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return
    const where = msg.location().url
    errors.push(where ? `${msg.text()} [${where}]` : msg.text())
  })
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`))
  await page.goto(url)
  return { browser, page, errors, close: () => browser.close() }
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true })
  // Toasts come and go with the simulator's calls; keep them out of the pictures.
  await page.screenshot({
    path: resolve(SCREENSHOTS, `${name}.png`),
    style: '.mantine-Notifications-root { display: none !important; }',
  })
}
