import { describe, expect, it } from 'vitest'
import type { EventName, Events } from '../../../src/shared/contract'
import type { StorageProblem } from '../../../src/shared/storage'
import type { Core } from '../../../src/main/core/core'
import { silentLogger } from '../../../src/main/ground/logger'
import { DataFolderInUseError } from '../../../src/main/storage/lock'
import {
  startupFailureDialog,
  storageNotificationContent,
  wireStorageAlerts,
} from '../../../src/main/electron/storageAlerts'
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
