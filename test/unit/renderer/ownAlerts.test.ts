import { describe, expect, it } from 'vitest'
import { createOwnAlertsStore, personKey, withOwnAlerts } from '../../../src/renderer/src/ownAlerts'
import { createCallAlerts } from '../../../src/renderer/src/alerts'
import { call, settings } from './fixtures'

const TEAM = settings()

function memory() {
  const m = new Map<string, string>()
  return {
    m,
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
  }
}

describe("each person's own alert choices, over the team's defaults", () => {
  it('keeps one person’s choice theirs, in the browser’s storage, and back to the defaults', () => {
    const storage = memory()
    const store = createOwnAlertsStore(storage)
    const asha = personKey({ name: 'Asha Rao', owner: false })!
    const vikram = personKey({ name: 'Vikram Shah', owner: false })!
    store.getState().chose(asha, { alertsPaused: true })
    store.getState().chose(asha, { notify: 'all' })
    const mine = withOwnAlerts(TEAM, store.getState().byPerson[asha])
    expect(mine).toMatchObject({ alertsPaused: true, notify: 'all', alertSound: false })
    // Nobody else's alerts change, nor the team's defaults.
    expect(withOwnAlerts(TEAM, store.getState().byPerson[vikram])).toBe(TEAM)
    expect(TEAM.alertsPaused).toBe(false)
    // Kept by the browser: a new page (a new store on the same storage) has it.
    expect(createOwnAlertsStore(storage).getState().byPerson[asha]).toEqual({
      alertsPaused: true,
      notify: 'all',
    })
    store.getState().reset(asha)
    expect(withOwnAlerts(TEAM, store.getState().byPerson[asha])).toBe(TEAM)
    expect(JSON.parse(storage.m.get('ivrs.alerts')!).state.byPerson).toEqual({})
  })

  it('tells the owner from a person of the same name', () => {
    expect(personKey({ name: 'Asha', owner: true })).not.toBe(
      personKey({ name: 'Asha', owner: false }),
    )
    expect(personKey(null)).toBeNull()
  })

  it('alerts by the person’s choice: paused for one, not for the team', () => {
    const alerted: string[] = []
    const page = { hidden: () => false, notifier: () => null, focus: () => {} }
    const forMe = createCallAlerts({
      settings: () => withOwnAlerts(TEAM, { alertsPaused: true }),
      browser: true,
      page,
      openCall: () => {},
      sound: (c) => alerted.push(`me:${c.id}`),
    })
    const forTeam = createCallAlerts({
      settings: () => withOwnAlerts(TEAM, { alertSound: true }),
      browser: true,
      page,
      openCall: () => {},
      sound: (c) => alerted.push(`team:${c.id}`),
    })
    const missed = call('m1', { status: 'MISSED' })
    forMe(missed)
    forTeam(missed)
    expect(alerted).toEqual(['team:m1'])
  })
})
