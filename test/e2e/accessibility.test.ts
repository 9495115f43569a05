/**
 * WCAG 2.1 AA as axe-core checks it, on every screen of the browser mode (every tab the app
 * shows, so a new screen is audited too), every settings tab and the dialogs and forms a
 * supervisor opens, in light and dark mode, at 1280×800 and zoomed to 200 % (a 640×400 window at
 * device scale 2; dark at 200 % the screens only). Any serious or critical finding fails, with its
 * rule, where and the elements.
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
import { closedPort } from '../support/ports'
import { formatDate } from '../../src/shared/dateTime'
import { shiftDate } from '../../src/shared/periods'

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
  // A spinner never ends (the form that asked waits for the answer): only transitions count.
  await page.waitForFunction(() =>
    document
      .getAnimations()
      .every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity),
  )
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
/** A new colleague each time Settings → Accounts adds one (one server, several modes). */
let people = 0
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
    name: 'Settings → Accounts: a person added, with the address that opens the app as them',
    show: async (page) => {
      const name = `Nila Rao ${String.fromCharCode(65 + people++)}`
      await page.getByLabel('Name').fill(name)
      await page.getByRole('button', { name: 'Add', exact: true }).click()
      await page.getByLabel(`Address for ${name}`, { exact: true }).waitFor()
    },
  },
  {
    name: 'Test connection of the values typed (refused)',
    show: async (page) => {
      await openScreen(page, 'Settings')
      await page.getByRole('tab', { name: 'General' }).click()
      await page.getByLabel('Vendor settings URL').fill(`http://127.0.0.1:${await closedPort()}`)
      await page.getByLabel('API key', { exact: true }).fill('typed-not-saved')
      await page.getByLabel('Customer id').fill('C-42')
      await page.getByRole('button', { name: 'Test connection' }).click()
      await page
        .getByRole('alert')
        .filter({ hasText: 'Connection failed' })
        .waitFor({ timeout: 20_000 })
    },
    leave: async (page) => {
      for (const field of ['Vendor settings URL', 'API key', 'Customer id'])
        await page.getByLabel(field, { exact: true }).fill('')
    },
  },
  {
    name: 'Your own alerts, chosen',
    show: async (page) => {
      await page
        .getByRole('group', { name: 'Your alerts, in this browser' })
        .getByRole('switch', { name: 'Your alerts: Pause alerts' })
        .click({ force: true })
      await page.getByRole('button', { name: 'Use the team’s defaults' }).waitFor()
    },
    leave: (page) => page.getByRole('button', { name: 'Use the team’s defaults' }).click(),
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
    name: 'Missed & dropped: callers selected, the bulk actions',
    show: async (page) => {
      await openScreen(page, 'Missed & dropped')
      // By keyboard: at 200 % the sticky header lies over the table's head, where the box is.
      await page.getByRole('checkbox', { name: 'Select every caller shown' }).focus()
      await page.keyboard.press('Space')
      await page.getByRole('group', { name: 'Selected callers' }).waitFor()
    },
  },
  {
    name: 'Missed & dropped: resolved in bulk, with its undo',
    show: async (page) => {
      await page
        .getByRole('group', { name: 'Selected callers' })
        .getByRole('button', { name: /^Resolve \d+ callers?$/ })
        .focus()
      await page.keyboard.press('Enter')
      await page.getByRole('button', { name: 'Undo' }).waitFor()
    },
    leave: async (page) => {
      await page.getByRole('button', { name: 'Undo' }).focus()
      await page.keyboard.press('Enter')
      await page
        .getByRole('status')
        .filter({ hasText: /Undone: / })
        .waitFor()
    },
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
    name: 'Holiday for tomorrow: the confirmation',
    show: async (page) => {
      await openScreen(page, 'Holidays')
      await page
        .getByRole('textbox', { name: 'Date', exact: true })
        .fill(formatDate(shiftDate(istNow().date, 1)))
      await page.getByRole('button', { name: 'Add holiday' }).click()
      await dialogOpen(page)
    },
    leave: async (page) => {
      await page.getByRole('button', { name: 'Cancel: send nothing' }).click()
      await page.getByRole('dialog').waitFor({ state: 'detached' })
    },
  },
  {
    name: 'Remove a yearly holiday: what it does and does not do',
    show: async (page) => {
      await page.getByRole('button', { name: 'Remove yearly holiday Christmas' }).click()
      await dialogOpen(page)
    },
    leave: async (page) => {
      await page.getByRole('button', { name: 'Keep it' }).click()
      await page.getByRole('dialog').waitFor({ state: 'detached' })
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

/**
 * Dark at 200 % audits the screens only: colour does not change with zoom (dark is audited in
 * every state at 100 %) and layout does not change with colour (light at 200 %), and the test is
 * the slowest of the suite.
 */
const CONFIGS = [
  { scheme: 'light', zoom: false, states: true },
  { scheme: 'dark', zoom: false, states: true },
  { scheme: 'light', zoom: true, states: true },
  { scheme: 'dark', zoom: true, states: false },
] as const

describe('axe-core finds nothing serious or critical', () => {
  for (const { scheme, zoom, states: withStates } of CONFIGS) {
    const label = `${scheme} mode${zoom ? ', 200 % zoom' : ''}`
    const what = withStates ? 'every screen, settings tab and dialog' : 'every screen'
    it(`on ${what}, ${label}`, async () => {
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
          ...(withStates ? STATES : []),
        ]
        for (const state of states) {
          await state.show(page)
          findings.push(...(await seriousFindings(page, `${state.name} (${label})`)))
          await state.leave?.(page)
        }
        if (withStates) {
          // What only the desktop app shows (Settings → Team server, its connect form), and the
          // page a browser sees without a token (or with an expired one): the sign-in screen, with
          // a pasted token refused.
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
          await signIn
            .getByLabel('Your personal token, or the address you were given')
            .fill('not-a-token-of-this-server')
          await signIn.getByRole('button', { name: 'Sign in' }).click()
          await signIn.getByText(/This token is not accepted here/).waitFor()
          findings.push(...(await seriousFindings(signIn, `Sign-in screen (${label})`)))
          await signIn.close()
        }
      } finally {
        await session.close()
      }
      expect(findings, describeFindings(findings)).toEqual([])
      expect(session.errors).toEqual([])
    }, 420_000)
  }
})
