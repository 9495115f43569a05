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

export function trayStatus(
  openCount: number,
  alertsPaused: boolean,
  /** Why native notifications are not showing (see {@link TrayController.attention}). */
  notShowing: string | null = null,
): TrayStatus {
  const n = Math.max(0, Math.floor(openCount))
  const waiting =
    n === 0 ? 'no missed calls waiting' : `${n} missed call${n === 1 ? '' : 's'} waiting`
  const notice = notShowing ? `. Notifications are not showing: ${notShowing}` : ''
  return {
    tooltip: `IVR Supervisor: ${waiting}${alertsPaused ? ' (alerts paused)' : ''}${notice}`,
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
  tray: Pick<Tray, 'setToolTip' | 'setContextMenu' | 'on'>
  /** `Menu.buildFromTemplate`. */
  buildMenu: (template: MenuItemConstructorOptions[]) => Menu
  /** `app.setBadgeCount`, documented for macOS and Linux launchers only: absent elsewhere. */
  setBadgeCount?: (count: number) => boolean
  /** `tray.setTitle`, the text beside the icon in the macOS menu bar: absent elsewhere. */
  setTitle?: (title: string) => void
  /**
   * `tray.setImage` with the icon to show: `attention` (the icon with a dot) while notifications
   * have failed and the window has not been opened since, `normal` otherwise.
   */
  setImage?: (icon: 'normal' | 'attention') => void
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
  /**
   * Native notifications did not show (`reason`), or the window was opened since (null): the tray
   * takes over as the signal, with the attention icon and the reason in its tooltip.
   */
  attention(reason: string | null): void
  dispose(): void
}

/**
 * Keeps the tray in step with the missed-call queue (`missed:updated`) and the alerts setting.
 * The menu is rebuilt on each change because Linux trays do not see later edits of a menu.
 */
export function createTrayController(deps: TrayDeps): TrayController {
  const ctx: RequestContext = ownerContext('ipc', deps.user)
  let openCount = 0
  let notShowing: string | null = null
  let icon: 'normal' | 'attention' | null = null

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
    const status = trayStatus(openCount, alertsPaused, notShowing)
    deps.tray.setToolTip(status.tooltip)
    deps.setTitle?.(status.title)
    deps.setBadgeCount?.(status.badge)
    const wanted = notShowing ? 'attention' : 'normal'
    // The first draw keeps the icon the tray was made with; later ones change it when it changes.
    if (icon !== null && icon !== wanted) deps.setImage?.(wanted)
    icon = wanted
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

  return {
    refresh: render,
    attention: (reason) => {
      if (reason === notShowing) return
      notShowing = reason
      render()
    },
    dispose: unsubscribe,
  }
}
