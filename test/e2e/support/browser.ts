/** Debian's Chromium driven by playwright-core (never a downloaded browser). */
import { copyFile, mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'

export const SCREENSHOTS = resolve(import.meta.dirname, '../screenshots')
const DOCS_IMAGES = resolve(import.meta.dirname, '../../../docs/images')

/** The screenshots the README shows; `E2E_UPDATE_DOCS=1` copies them to `docs/images/`. */
const README_IMAGES = new Set([
  'live',
  'missed',
  'agents',
  'connection',
  'history',
  'dashboard',
  'holidays',
  'office-hours',
  'wallboard',
  'phone-missed',
])

export interface BrowserSession {
  browser: Browser
  page: Page
  /** Console errors and uncaught page errors seen so far. */
  errors: string[]
  close(): Promise<void>
}

export interface OpenOptions {
  grantNotifications?: boolean
  viewport?: { width: number; height: number }
  /** 2 with a 640×400 viewport: a 1280×800 window zoomed to 200 %. */
  deviceScaleFactor?: number
  colorScheme?: 'light' | 'dark'
  reducedMotion?: 'reduce' | 'no-preference'
  /** Runs before the page opens (e.g. a desktop bridge); the page is not loaded yet. */
  before?: (page: Page) => Promise<void>
}

export async function openApp(url: string, opts: OpenOptions = {}): Promise<BrowserSession> {
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
  const context = await browser.newContext({
    viewport: opts.viewport ?? { width: 1280, height: 800 },
    deviceScaleFactor: opts.deviceScaleFactor,
    colorScheme: opts.colorScheme,
    reducedMotion: opts.reducedMotion,
  })
  if (opts.grantNotifications)
    await context.grantPermissions(['notifications'], { origin: new URL(url).origin })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return
    const where = msg.location().url
    errors.push(where ? `${msg.text()} [${where}]` : msg.text())
  })
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`))
  await opts.before?.(page)
  await page.goto(url)
  return { browser, page, errors, close: () => browser.close() }
}

/**
 * A picture of the page in `test/e2e/screenshots/`; with `E2E_UPDATE_DOCS=1`, the ones the README
 * shows are copied to `docs/images/` too (deliberately, when the screens change).
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true })
  const path = resolve(SCREENSHOTS, `${name}.png`)
  await page.screenshot({ path })
  if (process.env.E2E_UPDATE_DOCS === '1' && README_IMAGES.has(name)) {
    await mkdir(DOCS_IMAGES, { recursive: true })
    await copyFile(path, resolve(DOCS_IMAGES, `${name}.png`))
  }
}

/** Opens a screen by its tab. */
export async function goTo(page: Page, name: string | RegExp): Promise<void> {
  await page.getByRole('tab', { name }).click()
}
