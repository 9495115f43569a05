import type { Menu, MenuItem, MenuItemConstructorOptions } from 'electron'
import { describe, expect, it } from 'vitest'
import type { EventName, Events } from '../../../src/shared/contract'
import { ownerContext, type Core, type RequestContext } from '../../../src/main/core/core'
import { silentLogger } from '../../../src/main/ground/logger'
import { createTrayController, trayMenuTemplate, trayStatus } from '../../../src/main/electron/tray'

describe('trayStatus', () => {
  it.each([
    [0, false, 'IVR Supervisor: no missed calls waiting', '', 0],
    [1, false, 'IVR Supervisor: 1 missed call waiting', '1', 1],
    [12, false, 'IVR Supervisor: 12 missed calls waiting', '12', 12],
    [3, true, 'IVR Supervisor: 3 missed calls waiting (alerts paused)', '3', 3],
  ])('%i open, paused=%s', (count, paused, tooltip, title, badge) => {
    expect(trayStatus(count, paused)).toEqual({ tooltip, title, badge })
  })
})

const noop = { open() {}, setPaused() {}, copyWebhookUrl() {}, quit() {} }

describe('trayMenuTemplate', () => {
  it('offers Open, Pause alerts (checkbox), Copy webhook URL and Quit', () => {
    const t = trayMenuTemplate({ alertsPaused: true, openCount: 0 }, noop)
    const items = t.filter((i) => i.type !== 'separator')
    expect(items.map((i) => i.label)).toEqual(['Open', 'Pause alerts', 'Copy webhook URL', 'Quit'])
    const pause = items.find((i) => i.id === 'pause')!
    expect(pause.type).toBe('checkbox')
    expect(pause.checked).toBe(true)
    expect(trayMenuTemplate({ alertsPaused: false, openCount: 2 }, noop)[0]!.label).toBe(
      'Open (2 missed waiting)',
    )
  })
})

function click(template: MenuItemConstructorOptions[], id: string, checked = false) {
  const item = template.find((i) => i.id === id)!
  item.click!({ checked } as MenuItem, undefined, {} as never)
}

describe('createTrayController', () => {
  function setup(initialOpen = 4) {
    const state = { alertsPaused: false }
    let emit: (<E extends EventName>(e: E, p: Events[E]) => void) | null = null
    const updates: { req: unknown; ctx: RequestContext }[] = []
    const core = {
      subscribe: (h: typeof emit) => {
        emit = h
        return () => {
          emit = null
        }
      },
      handlers: {
        'missed:list': async () => ({ items: [], openCount: initialOpen }),
        'settings:update': async (req: { alertsPaused: boolean }, ctx: RequestContext) => {
          updates.push({ req, ctx })
          state.alertsPaused = req.alertsPaused
          return state
        },
      },
    } as unknown as Pick<Core, 'subscribe' | 'handlers'>
    const tray = { tooltip: '', title: '', menus: [] as MenuItemConstructorOptions[][] }
    const badges: number[] = []
    const clipboard: string[] = []
    const actions: string[] = []
    const icons: string[] = []
    const ctl = createTrayController({
      tray: {
        setToolTip: (t: string) => void (tray.tooltip = t),
        setContextMenu: (m: Menu | null) =>
          void tray.menus.push(m as unknown as MenuItemConstructorOptions[]),
        on: () => undefined,
      } as never,
      buildMenu: (template) => template as unknown as Menu,
      setBadgeCount: (n) => badges.push(n) > 0,
      setTitle: (t: string) => void (tray.title = t),
      setImage: (icon) => void icons.push(icon),
      core,
      settings: () => state,
      webhookUrl: () => 'http://127.0.0.1:8787/ivr/webhook/SECRETTOKEN',
      writeClipboard: (t) => clipboard.push(t),
      showWindow: () => actions.push('show'),
      quit: () => actions.push('quit'),
      user: 'asha',
      logger: silentLogger,
    })
    const lastMenu = () => tray.menus[tray.menus.length - 1]!
    return {
      ctl,
      tray,
      badges,
      icons,
      clipboard,
      actions,
      updates,
      state,
      emit: () => emit!,
      lastMenu,
    }
  }

  it('shows the open count read at start and follows missed:updated', async () => {
    const t = setup(4)
    await new Promise((r) => setImmediate(r))
    expect(t.tray.tooltip).toBe('IVR Supervisor: 4 missed calls waiting')
    expect(t.tray.title).toBe('4')
    t.emit()('missed:updated', { items: [], openCount: 1 })
    expect(t.tray.tooltip).toBe('IVR Supervisor: 1 missed call waiting')
    expect(t.badges.slice(-2)).toEqual([4, 1])
    t.emit()('missed:updated', { items: [], openCount: 0 })
    expect(t.tray.title).toBe('')
    expect(t.badges[t.badges.length - 1]).toBe(0)
  })

  it('persists Pause alerts through settings:update and redraws the checkbox', async () => {
    const t = setup()
    await new Promise((r) => setImmediate(r))
    click(t.lastMenu(), 'pause', true)
    await new Promise((r) => setImmediate(r))
    expect(t.updates).toEqual([{ req: { alertsPaused: true }, ctx: ownerContext('ipc', 'asha') }])
    expect(t.lastMenu().find((i) => i.id === 'pause')!.checked).toBe(true)
    expect(t.tray.tooltip).toMatch(/alerts paused/)
  })

  it('copies the webhook URL, opens the window and quits from the menu', async () => {
    const t = setup()
    click(t.lastMenu(), 'copyWebhook')
    click(t.lastMenu(), 'open')
    click(t.lastMenu(), 'quit')
    expect(t.clipboard).toEqual(['http://127.0.0.1:8787/ivr/webhook/SECRETTOKEN'])
    expect(t.actions).toEqual(['show', 'quit'])
  })

  it('refresh() picks up settings changed elsewhere', () => {
    const t = setup()
    t.state.alertsPaused = true
    t.ctl.refresh()
    expect(t.lastMenu().find((i) => i.id === 'pause')!.checked).toBe(true)
  })
  it('takes over as the signal while notifications do not show, until the window is opened', async () => {
    const t = setup(2)
    await new Promise((r) => setImmediate(r))
    expect(t.icons).toEqual([])
    t.ctl.attention('no notification service is running')
    expect(t.icons).toEqual(['attention'])
    expect(t.tray.tooltip).toBe(
      'IVR Supervisor: 2 missed calls waiting. Notifications are not showing: no notification service is running',
    )
    // The count keeps following the queue meanwhile.
    t.emit()('missed:updated', { items: [], openCount: 3 })
    expect(t.tray.tooltip).toMatch(/^IVR Supervisor: 3 missed calls waiting\. Notifications/)
    expect(t.icons).toEqual(['attention'])
    t.ctl.attention(null)
    expect(t.icons).toEqual(['attention', 'normal'])
    expect(t.tray.tooltip).toBe('IVR Supervisor: 3 missed calls waiting')
  })
})
