import { describe, expect, it } from 'vitest'
import { formatAge, plural } from '../../../src/renderer/src/format'

describe('plural', () => {
  it('says one thing in the singular, any other count in the plural, with Indian digit groups', () => {
    expect(plural(1, 'call')).toBe('1 call')
    expect(plural(0, 'call')).toBe('0 calls')
    expect(plural(2, 'caller')).toBe('2 callers')
    expect(plural(125000, 'call')).toBe('1,25,000 calls')
    expect(plural(3, 'entry', 'entries')).toBe('3 entries')
  })
})

describe('formatAge', () => {
  it('says how long ago in words, from the clock it is given', () => {
    const now = Date.now()
    const ago = (ms: number) => formatAge(new Date(now - ms).toISOString(), now)
    expect(ago(30_000)).toBe('just now')
    expect(ago(4 * 60_000)).toBe('4 min')
    expect(formatAge('not a date', now)).toBe('–')
  })
})
