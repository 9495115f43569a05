import { describe, expect, it } from 'vitest'
import {
  actionFor,
  belongsToTarget,
  screenKey,
  shortcutList,
} from '../../../src/renderer/src/shortcuts/keys'
import { SCREENS } from '../../../src/renderer/src/store/uiSlice'

/** A stand-in for a focused element: the handler reads only these. */
function target(tag: string, attrs: Record<string, string> = {}, editable = false): EventTarget {
  return {
    tagName: tag.toUpperCase(),
    isContentEditable: editable,
    getAttribute: (name: string) => attrs[name] ?? null,
  } as unknown as EventTarget
}
const key = (
  t: EventTarget | null,
  mods: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey', boolean>> = {},
) => ({
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  target: t,
  ...mods,
})

describe('keyboard shortcuts', () => {
  it('gives the screens digits in tab order, and the list says so', () => {
    expect(actionFor('1')).toEqual({ kind: 'screen', screen: SCREENS[0].id })
    expect(actionFor('2')).toEqual({ kind: 'screen', screen: 'missed' })
    expect(screenKey('office-hours')).toBe(
      String(SCREENS.findIndex((s) => s.id === 'office-hours') + 1),
    )
    const list = shortcutList()
    for (const s of SCREENS.slice(0, 10))
      expect(list).toContainEqual({ keys: screenKey(s.id), what: `Go to ${s.label}` })
  })

  it('maps search, next and previous, and help; other keys are not shortcuts', () => {
    expect(actionFor('/')).toEqual({ kind: 'search' })
    expect(actionFor('j')).toEqual({ kind: 'row', step: 1 })
    expect(actionFor('k')).toEqual({ kind: 'row', step: -1 })
    expect(actionFor('?')).toEqual({ kind: 'help' })
    for (const other of ['a', 'J', 'Enter', ' ', 'Escape', 'Tab'])
      expect(actionFor(other)).toBeNull()
  })

  it('leaves keys typed into a field, or held with Ctrl, Alt or Cmd, to the field', () => {
    for (const t of [
      target('input'),
      target('input', { type: 'search' }),
      target('textarea'),
      target('select'),
      target('div', {}, true),
      target('div', { role: 'combobox' }),
      target('div', { role: 'textbox' }),
    ])
      expect(belongsToTarget(key(t))).toBe(true)
    for (const mod of ['ctrlKey', 'metaKey', 'altKey'] as const)
      expect(belongsToTarget(key(target('body'), { [mod]: true }))).toBe(true)
  })

  it('acts from the page, a button, a link or a check box', () => {
    for (const t of [
      null,
      target('body'),
      target('button'),
      target('a'),
      target('input', { type: 'checkbox' }),
      target('input', { type: 'radio' }),
    ])
      expect(belongsToTarget(key(t))).toBe(false)
  })
})
