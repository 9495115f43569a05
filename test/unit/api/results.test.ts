import { describe, expect, it } from 'vitest'
import { statusFor } from '../../../src/main/api/results'
import { changeResult } from './fakeCore'

describe('statusFor', () => {
  it('maps one change by its state', () => {
    expect(statusFor(changeResult('confirmed'))).toBe(200)
    expect(statusFor(changeResult('pending'))).toBe(202)
    expect(statusFor(changeResult('refused'))).toBe(422)
  })

  it('maps several changes by the worst: refused, then pending', () => {
    const [c, p, r] = [changeResult('confirmed'), changeResult('pending'), changeResult('refused')]
    expect(statusFor([c, c])).toBe(200)
    expect(statusFor([c, p])).toBe(202)
    expect(statusFor([p, r, c])).toBe(422)
    expect(statusFor({ results: [c, p], rule: null, message: '' })).toBe(202)
    expect(statusFor({ results: [r], rule: null, message: '' })).toBe(422)
    expect(statusFor({ results: [], rule: null, message: '' })).toBe(200)
  })

  it('leaves everything else at 200', () => {
    for (const x of [
      null,
      [],
      [1, 2],
      { calls: [] },
      'text',
      { change: null },
      { removed: true },
    ]) {
      expect(statusFor(x)).toBe(200)
    }
  })
})
