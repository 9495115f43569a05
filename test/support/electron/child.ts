/**
 * The child process of a stand-in run (started by ./harness.ts with `node --import tsx`): it
 * becomes the platform asked for (`process.platform`, `argv`, `execPath`, `resourcesPath`),
 * resolves `electron` to the stand-in, loads the real built main bundle, and answers the test's
 * commands over the IPC channel.
 */
import { readFileSync } from 'node:fs'
import { register } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { StandIn, electronEvent, type StandInConfig } from './standIn'

export interface ChildConfig extends StandInConfig {
  bundle: string
  execPath: string
  resourcesPath: string
}

export type Command =
  | { cmd: 'state' }
  | { cmd: 'ready' }
  | { cmd: 'quit' }
  | {
      cmd: 'emit'
      target: 'app' | 'powerMonitor' | { window: number } | { notification: number }
      event: string
      /** Prepend an Electron event (with preventDefault) to the arguments. */
      preventable?: boolean
      args?: unknown[]
    }
  | { cmd: 'invoke'; channel: string; payload?: unknown; frameUrl?: string }
  | { cmd: 'fetch'; url: string; method?: string }
  | { cmd: 'activate'; arguments: string }
  /** Several commands in one turn of the event loop: nothing the app awaits happens between. */
  | { cmd: 'sequence'; commands: Command[] }

const config = JSON.parse(readFileSync(process.env['STANDIN_CONFIG']!, 'utf8')) as ChildConfig
Object.defineProperty(process, 'platform', { value: config.platform })
Object.defineProperty(process, 'execPath', { value: config.execPath })
Object.defineProperty(process, 'resourcesPath', { value: config.resourcesPath })
process.argv = [config.execPath, ...config.argv]

const standIn = new StandIn(config)
;(globalThis as { __electronStandIn?: StandIn }).__electronStandIn = standIn

const send = (message: unknown): Promise<void> =>
  new Promise((resolve) => process.send!(message, () => resolve()))
// The state goes with the exit, so a test can read what happened up to the end.
standIn.onExit = (code) => {
  void send({ type: 'exit', code, state: state() }).then(() => process.exit(code))
}
process.on('uncaughtException', (err) => void send({ type: 'crash', error: String(err.stack) }))
process.on(
  'unhandledRejection',
  (err) => void send({ type: 'crash', error: String((err as Error)?.stack ?? err) }),
)

function state() {
  return {
    ready: standIn.ready,
    calls: standIn.calls,
    violations: standIn.violations,
    listening: standIn.listening,
    ipcChannels: [...standIn.ipcHandlers.keys()],
    schemes: [...standIn.protocolHandlers.keys()],
    activation: standIn.activation !== null,
    windows: standIn.windows.map((w) => ({
      options: JSON.parse(JSON.stringify(w.options)) as unknown,
      visible: w.visible,
      destroyed: w.destroyed,
      url: w.url,
      loaded: w.loaded,
      sent: w.sent.map((s) => ({ channel: s.channel, payload: s.payload })),
      flashes: w.flashes,
      listening: w.eventNames().map(String),
    })),
    trays: standIn.trays.map((t) => ({
      tooltip: t.tooltip,
      images: t.images,
      titles: t.titles,
    })),
    notifications: standIn.notifications.map((n) => ({
      options: n.options,
      shown: n.shown,
      listening: n.eventNames().map(String),
    })),
  }
}
export type StandInState = ReturnType<typeof state>

async function run(c: Command): Promise<unknown> {
  switch (c.cmd) {
    case 'state':
      return state()
    case 'ready':
      standIn.becomeReady()
      return null
    case 'quit':
      ;(standIn.module['app'] as { quit(): void }).quit()
      return null
    case 'emit': {
      const [target, owners] =
        c.target === 'app'
          ? [standIn.app, ['App']]
          : c.target === 'powerMonitor'
            ? [standIn.powerMonitor, ['PowerMonitor']]
            : 'window' in c.target
              ? [standIn.windows[c.target.window]!, ['BrowserWindow', 'BaseWindow']]
              : [standIn.notifications[c.target.notification]!, ['Notification']]
      const event = electronEvent()
      standIn.emit(target, owners, c.event, [...(c.preventable ? [event] : []), ...(c.args ?? [])])
      return { defaultPrevented: event.defaultPrevented }
    }
    case 'invoke': {
      const handler = standIn.ipcHandlers.get(c.channel)
      if (!handler) throw new Error(`no IPC handler for ${c.channel}`)
      const frame = { url: c.frameUrl ?? 'app://renderer/index.html', parent: null }
      const args = c.payload === undefined ? [] : [c.payload]
      return await handler({ senderFrame: frame }, ...args)
    }
    case 'fetch': {
      const scheme = new URL(c.url).protocol.slice(0, -1)
      const handler = standIn.protocolHandlers.get(scheme)
      if (!handler) throw new Error(`no protocol handler for ${scheme}`)
      const res = await handler(new Request(c.url, { method: c.method ?? 'GET' }))
      const body = await res.text()
      return {
        status: res.status,
        headers: Object.fromEntries(res.headers),
        body: body.slice(0, 4000),
        length: body.length,
      }
    }
    case 'activate':
      standIn.activation?.({ type: 'click', arguments: c.arguments })
      return null
    case 'sequence': {
      const results: unknown[] = []
      for (const each of c.commands) results.push(await run(each))
      return results
    }
  }
}

process.on('message', (m: { id: number; command: Command }) => {
  run(m.command).then(
    (result) => void send({ type: 'reply', id: m.id, result }),
    (err: unknown) => void send({ type: 'reply', id: m.id, error: String(err) }),
  )
})

register(pathToFileURL(join(import.meta.dirname, 'hooks.mjs')), {
  data: { electronModule: pathToFileURL(join(import.meta.dirname, 'electronModule.mjs')).href },
})
await import(pathToFileURL(config.bundle).href)
await send({ type: 'loaded' })
