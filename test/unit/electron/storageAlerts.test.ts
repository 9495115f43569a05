import { describe, expect, it } from 'vitest'
import type { EventName, Events } from '../../../src/shared/contract'
import type { StorageProblem } from '../../../src/shared/storage'
import type { Core } from '../../../src/main/core/core'
import { silentLogger } from '../../../src/main/ground/logger'
import { DataFolderInUseError } from '../../../src/main/dataFolder/lock'
import {
  startupFailureDialog,
  storageNotificationContent,
  wireFolderLost,
  wireStorageAlerts,
} from '../../../src/main/electron/storageAlerts'
import { FolderLostError } from '../../../src/main/dataFolder/fence'
import { fakeNotifications } from './fakeNotification'

const problem: StorageProblem = {
  id: 'month-set-aside:2026-01',
  kind: 'month-set-aside',
  firstAt: '2026-03-15T06:00:00.000Z',
  lastAt: '2026-03-15T06:00:00.000Z',
  count: 1,
  file: 'calls/shards/2026-01.json',
  summary: 'The call file of 2026-01 was damaged. 1 call could not be read back.',
  advice: 'Restore this month from a backup.',
  ongoing: false,
  lost: { count: 1, ids: ['c1'] },
  keptAt: 'calls/damaged/2026-01.json.1',
}

function setup(supported = true, refuse = false) {
  let emit: (<E extends EventName>(e: E, p: Events[E]) => void) | null = null
  const core = {
    subscribe: (h: typeof emit) => {
      emit = h
      return () => (emit = null)
    },
  } as unknown as Pick<Core, 'subscribe'>
  const notifier = fakeNotifications({ refuse })
  const shown = notifier.shown
  let windows = 0
  const notShown: string[] = []
  const off = wireStorageAlerts({
    core,
    isSupported: () => supported,
    createNotification: notifier.create,
    showWindow: () => windows++,
    notShown: (reason) => notShown.push(reason),
    logger: silentLogger,
  })
  return {
    emit: (e: EventName, p: unknown) => emit!(e, p as never),
    shown,
    notShown,
    windows: () => windows,
    off,
    subscribed: () => emit !== null,
  }
}

describe('storage problems in the desktop shell', () => {
  it('notifies each storage problem with what happened and what to do; a click shows the window', () => {
    const t = setup()
    t.emit('call:stored', { call: {}, outcome: 'created' })
    t.emit('storage:problem', problem)
    expect(t.shown).toHaveLength(1)
    expect(t.shown[0]).toMatchObject(storageNotificationContent(problem))
    expect(t.shown[0]!.body).toContain('could not be read back')
    expect(t.shown[0]!.body).toContain('Restore this month from a backup.')
    t.shown[0]!.click()
    expect(t.windows()).toBe(1)
    t.off()
    expect(t.subscribed()).toBe(false)
  })

  it('where the platform has no notifications, or refuses one, the fallback is told why', () => {
    const t = setup(false)
    t.emit('storage:problem', problem)
    expect(t.shown).toEqual([])
    expect(t.notShown).toEqual(['this system offers no notification service'])
    const u = setup(true, true)
    u.emit('storage:problem', problem)
    expect(u.notShown).toEqual(['it could not be created (Error: notifications are not available)'])
    const v = setup()
    v.emit('storage:problem', problem)
    expect(v.shown[0]!.listens).toContain('failed')
    v.shown[0]!.fail('Notifications are disabled for this app')
    expect(v.notShown).toEqual(['the system refused it (Notifications are disabled for this app)'])
  })

  it('a data folder in use gets its own dialog naming the folder and the holder', () => {
    const err = new DataFolderInUseError('/data/IVR Supervisor', {
      pid: 4242,
      host: 'desk-1',
      since: '2026-03-15T06:00:00.000Z',
      mode: 'headless',
    })
    const d = startupFailureDialog(err, 'IVR Supervisor')
    expect(d.title).toBe('IVR Supervisor: the data folder is in use')
    expect(d.body).toContain('/data/IVR Supervisor')
    expect(d.body).toContain('process 4242 on desk-1, since 2026-03-15T06:00:00.000Z')
    expect(startupFailureDialog(new Error('boom'), 'IVR Supervisor')).toEqual({
      title: 'IVR Supervisor could not start',
      body: 'boom',
    })
  })
})

describe('the data folder taken over while the app runs', () => {
  it('says so in a dialog, then ends the app with a non-zero code', () => {
    let lose: ((err: Error) => void) | null = null
    const calls: string[] = []
    wireFolderLost({
      onFolderLost: (fn) => {
        lose = fn
        return () => {}
      },
      showErrorBox: (title, body) => calls.push(`dialog: ${title} | ${body}`),
      exit: (code) => calls.push(`exit ${code}`),
      product: 'IVR Supervisor',
    })
    expect(calls).toEqual([])
    lose!(new FolderLostError('/data/IVR Supervisor', 'process 77 on desk-2 took it over'))
    expect(calls).toHaveLength(2)
    expect(calls[0]).toMatch(
      /^dialog: IVR Supervisor stopped: another program took over its data folder \| /,
    )
    expect(calls[0]).toContain('process 77 on desk-2 took it over')
    expect(calls[0]).toContain('Nothing more was written to the folder')
    expect(calls[1]).toBe('exit 3')
  })

  it('ends the app even when the dialog cannot be shown', () => {
    let lose: ((err: Error) => void) | null = null
    const exits: number[] = []
    wireFolderLost({
      onFolderLost: (fn) => ((lose = fn), () => {}),
      showErrorBox: () => {
        throw new Error('no display')
      },
      exit: (code) => exits.push(code),
      product: 'IVR Supervisor',
    })
    expect(() => lose!(new Error('taken'))).toThrow('no display')
    expect(exits).toEqual([3])
  })
})
