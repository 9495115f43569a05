/**
 * WCAG 2.1 AA as axe-core checks it, on every screen of the browser mode (every tab the app
 * shows, so a new screen is audited too), every settings tab and the dialogs and forms a
 * supervisor opens, in light and dark mode, at 1280×800 and zoomed to 200 % (a 640×400 window at
 * device scale 2). Any serious or critical finding fails, with its rule, where and the elements.
 */
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addPerson } from '../support/users'
import { describeFindings, seriousFindings, type Finding } from './support/axe'
import { openApp } from './support/browser'
import { startDemo, type Demo } from './support/demo'
import { emulateDesktop } from './support/desktopBridge'
import { istNow, vendorPush } from './support/vendorPush'

let demo: Demo
const run = Date.now().toString(36)

/** What shows that a screen has its data (screens not listed: their heading). */
const READY: Record<string, string> = {
  Live: 'tr[data-call-id]',
  'Missed & dropped': 'tr[data-caller]',
  Agents: 'tr[data-agent]',
  History: '[role=row][data-call-id]',
  Dashboard: '[data-stat-value]',
  Holidays: 'tr[data-holiday]',
  'Office hours': 'tr[data-day]',
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** The screens' tabs, as the app lists them (their names without a count badge). */
async function screenNames(page: Page): Promise<string[]> {
  const tabs = page.getByRole('tablist', { name: 'Screens' }).getByRole('tab')
  return tabs.evaluateAll((els) =>
    els.map((el) => el.querySelector('.mantine-Tabs-tabLabel')?.textContent?.trim() ?? ''),
  )
}

async function openScreen(page: Page, name: string): Promise<void> {
  const tab = page
    .getByRole('tablist', { name: 'Screens' })
    .getByRole('tab', { name: new RegExp(`^${escapeRe(name)}`) })
  await tab.click()
  await expect.poll(() => tab.getAttribute('aria-selected')).toBe('true')
  await page.locator('main h2').first().waitFor()
  const ready = READY[name]
  if (ready) await page.locator(ready).first().waitFor({ timeout: 15_000 })
  await page.waitForFunction(() => !document.querySelector('main .mantine-Loader-root'))
}

/** Waits for a dialog to be open and its opening transition to be over. */
async function dialogOpen(page: Page): Promise<void> {
  const dialog = page.getByRole('dialog')
  await dialog.waitFor()
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'))
}

async function closeDialog(page: Page): Promise<void> {
  await page.keyboard.press('Escape')
  await page.getByRole('dialog').waitFor({ state: 'detached' })
}

/** A screen, a dialog or a form state: how to show it and how to leave it. */
interface State {
  name: string
  show: (page: Page) => Promise<void>
  leave?: (page: Page) => Promise<void>
}

/** Dialogs, forms and tabs within screens; every screen comes first (from the tabs). */
/**
 * A file to import: one agent to add (a new one each time: the audit runs in several modes on one
 * server, and an agent added before would be a line already as written), one line refused.
 */
let imports = 0
const importFile = () => ({
  name: 'agents.csv',
  mimeType: 'text/csv',
  buffer: Buffer.from(
    `name,number,department\nMeera Iyer,98123${String(10001 + imports++)},Sales\nNobody,12345,\n`,
  ),
})

const STATES: State[] = [
  {
    name: 'Settings → Accounts',
    show: async (page) => {
      await openScreen(page, 'Settings')
      await page.getByRole('tab', { name: 'Accounts' }).click()
      await page.getByRole('table').first().waitFor()
    },
  },
  {
    name: 'Add agent (with a refused number)',
    show: async (page) => {
      await openScreen(page, 'Agents')
      await page.getByRole('button', { name: 'Add agent' }).click()
      await dialogOpen(page)
      const dialog = page.getByRole('dialog')
      await dialog.getByLabel('Phone number').fill('12345')
      await dialog.getByRole('button', { name: 'Add agent' }).click()
      await dialog.getByText('"12345" is not a valid phone number').waitFor()
    },
    leave: closeDialog,
  },
  {
    name: 'Agents import preview',
    show: async (page) => {
      await openScreen(page, 'Agents')
      await page.locator('input[type=file]').setInputFiles(importFile())
      await dialogOpen(page)
    },
    leave: (page) => page.getByRole('button', { name: 'Cancel: change nothing' }).click(),
  },
  {
    name: 'Agents import report',
    show: async (page) => {
      await openScreen(page, 'Agents')
      await page.locator('input[type=file]').setInputFiles(importFile())
      await page.getByRole('button', { name: 'Add 1 agent' }).click()
      await page.getByText(/^Import: /).waitFor()
    },
    leave: (page) => page.getByRole('button', { name: 'Close import report' }).click(),
  },
  {
    name: 'Remove agent',
    show: async (page) => {
      await openScreen(page, 'Agents')
      await page.getByRole('button', { name: 'Remove Asha Kulkarni' }).click()
      await dialogOpen(page)
    },
    leave: closeDialog,
  },
  {
    name: 'Mark called back',
    show: async (page) => {
      await openScreen(page, 'Missed & dropped')
      await page
        .getByRole('button', { name: /called back$/ })
        .first()
        .click()
      await dialogOpen(page)
    },
    leave: closeDialog,
  },
  {
    name: 'Holiday form (a range, refused)',
    show: async (page) => {
      await openScreen(page, 'Holidays')
      await page.getByText('Range', { exact: true }).click()
      await page.getByRole('button', { name: 'Add these days' }).click()
      await page.getByRole('alert').filter({ hasText: /day/ }).first().waitFor()
    },
    leave: (page) => page.getByText('One date', { exact: true }).click(),
  },
  {
    name: 'Holiday date picker',
    show: async (page) => {
      await openScreen(page, 'Holidays')
      await page.getByRole('button', { name: 'Calendar' }).first().click()
      await page.locator('.mantine-Popover-dropdown').waitFor()
    },
    leave: async (page) => {
      await page.keyboard.press('Escape')
    },
  },
  {
    name: 'Call detail',
    show: async (page) => {
      await openScreen(page, 'History')
      await page.locator('[data-shortcut="row"]').first().click()
      await dialogOpen(page)
      await page.getByRole('list', { name: 'Every call from this number' }).waitFor()
    },
    leave: closeDialog,
  },
  {
    name: 'Keyboard shortcuts',
    show: async (page) => {
      await openScreen(page, 'Live')
      await page.locator('body').focus()
      await page.keyboard.press('?')
      await dialogOpen(page)
    },
    leave: closeDialog,
  },
]

beforeAll(async () => {
  // A person on the team, so Settings → Accounts lists one.
  const dataDir = await mkdtemp(join(tmpdir(), 'ivrs-e2e-a11y-'))
  await addPerson(dataDir, 'Vikram Shah', 'viewer')
  demo = await startDemo({ simRatePerMinute: 0, dataDir })
  const json = { 'content-type': 'application/json' }
  // Something in every state a screen can show: each status, a recording, a settled caller, an
  // assignee, an agent switched on, a holiday and office hours.
  const pushes: [string, string, 'ANSWER' | 'MISSED' | 'DROPPED', Record<string, string>][] = [
    ['a1', '9812345001', 'ANSWER', { recordingurl: 'https://recordings.invalid/a1.mp3' }],
    ['m1', '9812345002', 'MISSED', {}],
    ['d1', '9812345003', 'DROPPED', { department: 'Support' }],
    ['m2', '9812345004', 'MISSED', { department: 'Billing' }],
    ['m3', '9812345005', 'MISSED', { time: istNow(-120).time }],
  ]
  for (const [id, caller, status, over] of pushes)
    expect(await demo.push(vendorPush(`a11y-${run}-${id}`, caller, status, over))).toMatch(
      /Accepted|Success/,
    )
  const send = (method: string, path: string, body: unknown): Promise<unknown> =>
    demo.api(path, { method, headers: json, body: JSON.stringify(body) })
  await send('PUT', '/api/v1/missed/%2B919812345004/assignee', { assignee: 'Meena' })
  await send('PUT', '/api/v1/missed/%2B919812345005', {
    state: 'called-back',
    note: 'Rang at noon',
  })
  await send('PUT', '/api/v1/agents/9876543210/status', { status: 'AVAIL' })
  await send('POST', '/api/v1/holidays', { yearly: '12-25', name: 'Christmas' })
  await send('PUT', '/api/v1/office-hours/Daily', { start: '09:30', end: '18:00' })
})

afterAll(async () => {
  await demo?.stop()
})

const CONFIGS = [
  { scheme: 'light', zoom: false },
  { scheme: 'dark', zoom: false },
  { scheme: 'light', zoom: true },
  { scheme: 'dark', zoom: true },
] as const

describe('axe-core finds nothing serious or critical', () => {
  for (const { scheme, zoom } of CONFIGS) {
    const label = `${scheme} mode${zoom ? ', 200 % zoom' : ''}`
    it(`on every screen, settings tab and dialog, ${label}`, async () => {
      const session = await openApp(demo.appUrl, {
        colorScheme: scheme,
        ...(zoom ? { viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 } : {}),
      })
      const page = session.page
      const findings: Finding[] = []
      try {
        await page.getByRole('tab', { name: 'Live' }).waitFor()
        expect(await page.locator('html').getAttribute('data-mantine-color-scheme')).toBe(scheme)
        const screens = await screenNames(page)
        expect(screens).toEqual(expect.arrayContaining(Object.keys(READY)))
        const states: State[] = [
          ...screens.map((name) => ({ name, show: (p: Page) => openScreen(p, name) })),
          ...STATES,
        ]
        for (const state of states) {
          await state.show(page)
          findings.push(...(await seriousFindings(page, `${state.name} (${label})`)))
          await state.leave?.(page)
        }
        // What only the desktop app shows (Settings → Team server, its connect form), and the
        // page a browser sees without a token (or with an expired one): the sign-in screen.
        const desktop = await page.context().newPage()
        await emulateDesktop(desktop, demo, {
          'team:get': { mode: 'local', server: null, as: null, state: 'connecting', error: null },
        })
        await desktop.goto(demo.apiBase + '/')
        await openScreen(desktop, 'Settings')
        await desktop.getByRole('tab', { name: 'Team server' }).click()
        await desktop.getByLabel('Team server address').waitFor()
        findings.push(...(await seriousFindings(desktop, `Settings → Team server (${label})`)))
        await desktop.close()
        const signIn = await page.context().newPage()
        await signIn.goto(demo.apiBase + '/')
        await signIn.getByRole('heading', { name: 'Sign in' }).waitFor()
        findings.push(...(await seriousFindings(signIn, `Sign-in screen (${label})`)))
        await signIn.close()
      } finally {
        await session.close()
      }
      expect(findings, describeFindings(findings)).toEqual([])
      expect(session.errors).toEqual([])
    }, 420_000)
  }
})
