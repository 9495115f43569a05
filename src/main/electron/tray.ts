import type { Menu, MenuItemConstructorOptions, Tray } from 'electron'
import type { EventName, Events } from '../../shared/contract'
import type { Settings } from '../../shared/domain'
import { ownerContext, type Core, type RequestContext } from '../core/core'
import type { Logger } from '../ground/logger'

/** What the tray shows for a number of unresolved missed callers. */
export interface TrayStatus {
  tooltip: string
  /** Text beside the icon in the macOS menu bar ('' hides it). */
  title: string
  /** Dock / launcher badge count (0 clears it). */
  badge: number
}

export function trayStatus(openCount: number, alertsPaused: boolean): TrayStatus {
  const n = Math.max(0, Math.floor(openCount))
  const waiting =
    n === 0 ? 'no missed calls waiting' : `${n} missed call${n === 1 ? '' : 's'} waiting`
  return {
    tooltip: `IVR Supervisor: ${waiting}${alertsPaused ? ' (alerts paused)' : ''}`,
    title: n > 0 ? String(n) : '',
    badge: n,
  }
}

export interface TrayActions {
  open(): void
  setPaused(paused: boolean): void
  copyWebhookUrl(): void
  quit(): void
}

/** The tray menu: Open, Pause alerts (checkbox), Copy webhook URL, Quit. */
export function trayMenuTemplate(
  state: { alertsPaused: boolean; openCount: number },
  actions: TrayActions,
): MenuItemConstructorOptions[] {
  return [
    {
      id: 'open',
      label: state.openCount > 0 ? `Open (${state.openCount} missed waiting)` : 'Open',
      click: () => actions.open(),
    },
    { type: 'separator' },
    {
      id: 'pause',
      label: 'Pause alerts',
      type: 'checkbox',
      checked: state.alertsPaused,
      click: (item) => actions.setPaused(item.checked),
    },
    { id: 'copyWebhook', label: 'Copy webhook URL', click: () => actions.copyWebhookUrl() },
    { type: 'separator' },
    { id: 'quit', label: 'Quit', click: () => actions.quit() },
  ]
}

export interface TrayDeps {
  tray: Pick<Tray, 'setToolTip' | 'setTitle' | 'setContextMenu' | 'on'>
  /** `Menu.buildFromTemplate`. */
  buildMenu: (template: MenuItemConstructorOptions[]) => Menu
  /** `app.setBadgeCount` where the platform has badges (macOS, Unity launchers). */
  setBadgeCount?: (count: number) => boolean
  core: Pick<Core, 'subscribe' | 'handlers'>
  settings: () => Pick<Settings, 'alertsPaused'>
  webhookUrl: () => string
  writeClipboard: (text: string) => void
  showWindow: () => void
  quit: () => void
  user: string
  logger: Logger
}

export interface TrayController {
  /** Re-reads settings (e.g. after the renderer changed `alertsPaused`) and redraws. */
  refresh(): void
  dispose(): void
}

/**
 * Keeps the tray in step with the missed-call queue (`missed:updated`) and the alerts setting.
 * The menu is rebuilt on each change because Linux trays do not see later edits of a menu.
 */
export function createTrayController(deps: TrayDeps): TrayController {
  const ctx: RequestContext = ownerContext('ipc', deps.user)
  let openCount = 0

  const actions: TrayActions = {
    open: () => deps.showWindow(),
    setPaused: (paused) => {
      deps.core.handlers['settings:update']({ alertsPaused: paused }, ctx).then(
        () => render(),
        (err: unknown) => {
          deps.logger.error('Could not change "Pause alerts"', { error: String(err) })
          render()
        },
      )
    },
    copyWebhookUrl: () => deps.writeClipboard(deps.webhookUrl()),
    quit: () => deps.quit(),
  }

  function render(): void {
    const { alertsPaused } = deps.settings()
    const status = trayStatus(openCount, alertsPaused)
    deps.tray.setToolTip(status.tooltip)
    deps.tray.setTitle(status.title)
    deps.setBadgeCount?.(status.badge)
    deps.tray.setContextMenu(deps.buildMenu(trayMenuTemplate({ alertsPaused, openCount }, actions)))
  }

  const unsubscribe = deps.core.subscribe(<E extends EventName>(event: E, payload: Events[E]) => {
    if (event !== 'missed:updated') return
    const next = (payload as Events['missed:updated']).openCount
    if (next !== openCount) {
      openCount = next
      render()
    }
  })
  deps.tray.on('click', () => deps.showWindow())
  render()
  deps.core.handlers['missed:list'](undefined, ctx).then(
    (res) => {
      openCount = res.openCount
      render()
    },
    (err: unknown) =>
      deps.logger.warn('Could not read the missed-call count', { error: String(err) }),
  )

  return { refresh: render, dispose: unsubscribe }
}
