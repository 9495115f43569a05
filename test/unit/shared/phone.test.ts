import fc from 'fast-check'
import { parsePhoneNumberFromString } from 'libphonenumber-js/min'
import { describe, expect, it } from 'vitest'
import {
  formatPhone,
  normalizePhone,
  parsePhoneInput,
  phoneMatches,
  phoneSearchDigits,
  vendorAgentNumber,
} from '../../../src/shared/phone'

describe('parsePhoneInput: what a person types or imports', () => {
  it.each([
    ['9812345678', '+919812345678'],
    ['09812345678', '+919812345678'],
    ['098123 45678', '+919812345678'],
    ['+91 98123-45678', '+919812345678'],
    ['919812345678', '+919812345678'],
    ['(080) 4718 1234', '+918047181234'],
    ['+1 415 555 0100', '+14155550100'],
    ['0044 20 7946 0958', '+442079460958'],
  ])('accepts %j as %s', (input, e164) => {
    expect(parsePhoneInput(input)).toEqual({ ok: true, e164 })
  })

  it.each([
    ['12345', /10 digits after the 0 or \+91, this one has 5/],
    // A trunk 0 and nine digits: not "+91 09812 34567".
    ['0981234567', /10 digits after the 0 or \+91, this one has 9/],
    ['+91 98123 4567', /this one has 9/],
    ['call me', /digits only/],
    ['BUSY 9812345678', /digits only/],
    ['', /No phone number/],
    ['+44 1', /not a valid phone number/],
  ])('refuses %j with the reason', (input, reason) => {
    const r = parsePhoneInput(input)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.reason).toMatch(reason)
  })

  it('keeps the fast path for Indian 10-digit numbers in step with libphonenumber-js', () => {
    const national = fc
      .tuple(fc.integer({ min: 1, max: 9 }), fc.stringMatching(/^\d{9}$/))
      .map(([a, b]) => `${a}${b}`)
    const prefix = fc.constantFrom('', '0', '91', '+91', '+91 ', '0 ')
    fc.assert(
      fc.property(national, prefix, (n, p) => {
        const lib = parsePhoneNumberFromString(`${p}${n}`, 'IN')
        expect(lib?.isValid()).toBe(true)
        expect(parsePhoneInput(`${p}${n}`)).toEqual({ ok: true, e164: lib!.number })
        expect(normalizePhone(`${p}${n}`)).toBe(lib!.number)
      }),
      { numRuns: 500 },
    )
  })
})

describe('normalizePhone: what vendors push, as lenient as ever', () => {
  it('gives every valid number the same E.164 as a typed one', () => {
    for (const n of ['09812345678', '+91 98123 45678', '080 4718 1234', '+44 20 7946 0958'])
      expect(normalizePhone(n)).toBe((parsePhoneInput(n) as { e164: string }).e164)
  })

  it('keeps what no rule reads as digits instead of refusing the call', () => {
    expect(normalizePhone('0981234567')).toBe('0981234567')
    expect(normalizePhone('4155550100123')).toBe('4155550100123')
    expect(normalizePhone('+123')).toBe('+123')
    expect(normalizePhone('12')).toBeNull()
    expect(normalizePhone('anonymous')).toBeNull()
  })

  it('drops a status word before the number', () => {
    expect(normalizePhone('BUSY +919123456780')).toBe('+919123456780')
  })
})

describe('searching and showing numbers', () => {
  it('searches a whole number by its E.164 digits, so any spelling finds it', () => {
    expect(phoneSearchDigits('085978 34899')).toEqual(['918597834899'])
    expect(phoneMatches('+918597834899', phoneSearchDigits('085978 34899')!)).toBe(true)
    expect(phoneMatches('+918597834899', phoneSearchDigits('+91 85978-34899')!)).toBe(true)
  })

  it('searches a fragment with a trunk 0 with and without it; words are not numbers', () => {
    expect(phoneSearchDigits('085978')).toEqual(['085978', '85978'])
    expect(phoneMatches('+918597834899', phoneSearchDigits('085978')!)).toBe(true)
    expect(phoneSearchDigits('34899')).toEqual(['34899'])
    expect(phoneSearchDigits('Sales')).toBeNull()
    expect(phoneMatches(null, ['1'])).toBe(false)
  })

  it('formats for people and keeps the vendor its 10 digits', () => {
    expect(formatPhone('+918597834899')).toBe('+91 85978 34899')
    expect(formatPhone('+14155550100')).toBe('+1 415 555 0100')
    expect(formatPhone('0981234567')).toBe('0981234567')
    expect(vendorAgentNumber('+919812345678')).toBe('9812345678')
    expect(vendorAgentNumber('+14155550100')).toBe('+14155550100')
  })
})
