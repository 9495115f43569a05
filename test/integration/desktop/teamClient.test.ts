/**
 * The desktop app as a team server's client, through the seams the Electron layer is built on
 * (IPC, window, tray and notifications as fakes), against a real team server (`serve.ts` in a
 * child process) reached through a relay whose network the test cuts and restores.
 */
import { fileDocuments } from '../../../src/main/storage/folder/documents'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Menu } from 'electron'
import { request } from 'undici'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { EventName, Events } from '../../../src/shared/contract'
import { maskWebhookUrl } from '../../../src/shared/vendorPaths'
import { readEnvConfig } from '../../../src/main/config/env'
import { createClientCore, type ClientCore } from '../../../src/main/teamClient/createClientCore'
import { forwardEvents, registerIpc } from '../../../src/main/electron/ipc'
import { wireNotifications } from '../../../src/main/electron/notifications'
import { createTrayController } from '../../../src/main/electron/tray'
import { silentLogger } from '../../../src/main/ground/logger'
import { MemorySecretStore } from '../../../src/main/dataFolder/secretsFile'
import { cutProxy, type CutProxy } from '../../support/cutProxy'
import { samplePushUrl, startHeadless, type Headless } from '../../support/headless'
import { addPerson, runUsers } from '../../support/users'
import { fakeNotifications } from '../../unit/electron/fakeNotification'

/** A team server behind a (declared) proxy: the relay is that proxy. */
const TEAM_ENV = {
  IVRS_API_HOST: '0.0.0.0',
  IVRS_TRUST_PROXY: 'loopback',
  IVRS_API_HOSTNAMES: 'team.test',
}

let serverDir: string
let clientDir: string
let server: Headless
let proxy: CutProxy
let core: ClientCore
const sent: { event: EventName; payload: unknown }[] = []
const notes = fakeNotifications()
let tooltip = ''
let invoke: (channel: string, req?: unknown) => Promise<unknown>

const portOf = (url: string): number => Number(new URL(url).port)
const sentOf = <E extends EventName>(event: E): Events[E][] =>
  sent.filter((s) => s.event === event).map((s) => s.payload as Events[E])
const storedIds = (): string[] => sentOf('call:stored').map((p) => p.call.id)

async function push(calllogid: string, callernumber = '9876501234'): Promise<void> {
  const res = await request(
    samplePushUrl(server.webhookUrl, {
      calllogid,
      callernumber,
      callstatus: 'MISSED',
      agentnumber: 'NA',
    }),
  )
  expect(await res.body.text()).toBe('Accepted')
}

beforeAll(async () => {
  serverDir = await mkdtemp(join(tmpdir(), 'ivrs-team-server-'))
  clientDir = await mkdtemp(join(tmpdir(), 'ivrs-team-desk-'))
  const token = await addPerson(serverDir, 'Vikram Shah', 'viewer')
  server = await startHeadless({ dataDir: serverDir, env: TEAM_ENV })
  proxy = await cutProxy(portOf(server.apiUrl))

  core = await createClientCore({
    env: readEnvConfig({ IVRS_DATA_DIR: clientDir }),
    dataDir: clientDir,
    documents: fileDocuments(clientDir),
    secrets: new MemorySecretStore(),
    logger: silentLogger,
    server: `http://127.0.0.1:${proxy.port}`,
    token,
    minDelayMs: 50,
    maxDelayMs: 200,
  })
  await core.start()

  forwardEvents(core, () => ({
    isDestroyed: () => false,
    send: (event, payload) => void sent.push({ event: event as EventName, payload }),
  }))
  const handles = new Map<string, (e: unknown, ...a: unknown[]) => Promise<unknown>>()
  registerIpc({
    ipcMain: {
      handle: (c: string, fn: (e: unknown, ...a: unknown[]) => Promise<unknown>) =>
        void handles.set(c, fn),
      removeHandler: (c: string) => void handles.delete(c),
    } as never,
    core,
    isTrustedSender: () => true,
    saveCsv: async () => null,
    user: 'desk-user',
    logger: silentLogger,
  })
  invoke = (channel, req) =>
    handles.get(channel)!({ senderFrame: null }, ...(req === undefined ? [] : [req]))
  createTrayController({
    tray: {
      setToolTip: (t: string) => void (tooltip = t),
      setContextMenu: () => {},
      on: () => {},
    } as never,
    buildMenu: () => ({}) as Menu,
    core,
    settings: () => core.settings(),
    webhookUrl: () => core.webhookUrl(),
    writeClipboard: () => {},
    showWindow: () => {},
    quit: () => {},
    user: 'desk-user',
    logger: silentLogger,
  })
  wireNotifications({
    core,
    settings: () => core.settings(),
    isOpenAt: (ms) => core.isOpenAt(ms),
    isSupported: () => true,
    createNotification: notes.create,
    openCall: () => {},
    logger: silentLogger,
  })
})

afterAll(async () => {
  await core?.stop()
  await server?.stop()
  await proxy?.close()
  await rm(serverDir, { recursive: true, force: true })
  await rm(clientDir, { recursive: true, force: true })
})

describe('the desktop as a client of a team server', () => {
  it('says which server it shows, and as whom', async () => {
    await vi.waitFor(() =>
      expect(core.client.team()).toEqual({
        mode: 'client',
        server: `http://127.0.0.1:${proxy.port}`,
        as: { name: 'Vikram Shah', role: 'viewer', owner: false },
        state: 'connected',
        error: null,
      }),
    )
    expect(await invoke('team:get')).toMatchObject({ state: 'connected', mode: 'client' })
    expect(sentOf('team:updated').at(-1)).toMatchObject({ state: 'connected' })
    // It runs no listener of its own: the webhook it shows is the server's, its token an
    // admin's to see.
    expect(core.webhookUrl()).toBe(maskWebhookUrl(server.webhookUrl))
  })

  it("shows a call pushed to the server in the window, the tray's count and a notification", async () => {
    await push('desk-1')
    await vi.waitFor(() => expect(storedIds()).toContain('desk-1'))
    await vi.waitFor(() => expect(tooltip).toBe('IVR Supervisor: 1 missed call waiting'))
    expect(notes.shown.at(-1)!.title).toBe('Missed call from +91 98765 01234')
  })

  it('is refused beyond its role by the server, and keeps its alerts to itself', async () => {
    await expect(
      invoke('agents:setStatus', { number: '9876543210', status: 'OFF' }),
    ).rejects.toThrow(
      'Forbidden: agents:setStatus needs the supervisor role or above; Vikram Shah is a viewer.',
    )
    await expect(invoke('settings:update', { publicUrl: 'https://x.example' })).rejects.toThrow(
      /settings:update needs the admin role/,
    )
    // Pausing alerts, and their sound, are this desktop's own choices: allowed, and nobody
    // else's alerts change.
    const paused = await invoke('settings:update', { alertsPaused: true, alertSound: true })
    expect(paused).toMatchObject({ alertsPaused: true, alertSound: true })
    const serverSettings = await request(`${server.apiUrl}/api/v1/settings`, {
      headers: { authorization: `Bearer ${server.apiToken}` },
    })
    expect(await serverSettings.body.json()).toMatchObject({
      alertsPaused: false,
      alertSound: false,
    })
    const before = notes.shown.length
    await push('desk-paused')
    await vi.waitFor(() => expect(storedIds()).toContain('desk-paused'))
    expect(notes.shown.length).toBe(before)
    await invoke('settings:update', { alertsPaused: false, alertSound: false })
  })

  it('says when the server cannot be reached, and gets exactly what it missed on return', async () => {
    const reloadsBefore = sentOf('app:reload').length
    proxy.cut()
    await vi.waitFor(() => expect(core.client.team().state).toBe('unreachable'))
    expect(sentOf('team:updated').at(-1)).toMatchObject({
      state: 'unreachable',
      error: expect.stringMatching(/team server/),
    })
    await expect(invoke('health:get')).rejects.toThrow(/cannot be reached/)

    const away = ['lid-1', 'lid-2', 'lid-3', 'lid-4', 'lid-5']
    for (const [i, id] of away.entries()) await push(id, `900000000${i}`)
    proxy.restore()
    await vi.waitFor(() => expect(core.client.team().state).toBe('connected'), { timeout: 10_000 })
    await vi.waitFor(() => expect(storedIds()).toEqual(expect.arrayContaining(away)))
    for (const id of away) expect(storedIds().filter((x) => x === id)).toHaveLength(1)
    expect(sentOf('app:reload').length).toBe(reloadsBefore)
    // Five more callers waiting, besides the one before.
    await vi.waitFor(() => expect(tooltip).toBe('IVR Supervisor: 6 missed calls waiting'))
  })

  it('reloads after the server restarted, since its events are no longer known', async () => {
    const reloadsBefore = sentOf('app:reload').length
    await server.stop()
    server = await startHeadless({ dataDir: serverDir, env: TEAM_ENV })
    proxy.retarget(portOf(server.apiUrl))
    await vi.waitFor(() => expect(sentOf('app:reload').length).toBe(reloadsBefore + 1), {
      timeout: 15_000,
    })
    expect(sentOf('app:reload').at(-1)!.reason).toMatch(/restarted/)
    expect(core.client.team().state).toBe('connected')
    // The webhook URL (a new port) was read again.
    await vi.waitFor(() => expect(core.webhookUrl()).toBe(maskWebhookUrl(server.webhookUrl)))
  })

  it('stops, saying why, once its token is revoked', async () => {
    const run = await runUsers(serverDir, ['revoke', 'Vikram Shah'])
    expect(run.code, run.stderr).toBe(0)
    await vi.waitFor(() => expect(core.client.team().state).toBe('refused'), { timeout: 10_000 })
    expect(core.client.team().error).toMatch(/revoked/)
    await expect(invoke('health:get')).rejects.toThrow(/not valid here/)
  })
})
