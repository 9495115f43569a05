import { describe, expect, it } from 'vitest'
import {
  decodeComponent,
  jsonToPairs,
  parseUrlEncoded,
  toRawParams,
} from '../../../src/main/listener/params'

describe('parseUrlEncoded', () => {
  it('decodes %XX and + and keeps order and repeats', () => {
    expect(parseUrlEncoded('a=1&b=x+y%2Bz&a=2&&c&d=')).toEqual([
      ['a', '1'],
      ['b', 'x y+z'],
      ['a', '2'],
      ['c', ''],
      ['d', ''],
    ])
  })
  it('keeps broken escapes literally instead of failing', () => {
    expect(decodeComponent('100%')).toBe('100%')
    expect(decodeComponent('%zz%41%')).toBe('%zzA%')
    expect(decodeComponent('%E0%A4%A')).toBe('%E0%A4%A')
    expect(decodeComponent('%C3%A9t%C3')).toBe('ét%C3')
  })
})

describe('toRawParams', () => {
  it('stores __proto__ and constructor as plain data without touching prototypes', () => {
    const raw = toRawParams([
      ['__proto__', 'x'],
      ['constructor', 'y'],
      ['toString', 'z'],
    ])
    expect(Object.getPrototypeOf(raw)).toBeNull()
    expect(Object.keys(raw)).toEqual(['__proto__', 'constructor', 'toString'])
    expect(raw['__proto__']).toBe('x')
    expect(JSON.parse(JSON.stringify(raw))).toHaveProperty('constructor', 'y')
    expect(({} as Record<string, unknown>).x).toBeUndefined()
  })
  it('keeps every distinct value of a repeated key', () => {
    expect(
      toRawParams([
        ['a', '1'],
        ['a', '1'],
        ['b', '1'],
        ['b', '2'],
      ]),
    ).toEqual({ a: '1', b: '["1","2"]' })
  })
})

describe('jsonToPairs', () => {
  it('turns scalars into text, arrays into repeats, nested values into JSON', () => {
    const body = JSON.parse(
      '{"a":1,"b":true,"c":null,"d":["x","y"],"e":{"f":1},"__proto__":{"polluted":1}}',
    )
    expect(jsonToPairs(body)).toEqual([
      ['a', '1'],
      ['b', 'true'],
      ['c', 'null'],
      ['d', 'x'],
      ['d', 'y'],
      ['e', '{"f":1}'],
      ['__proto__', '{"polluted":1}'],
    ])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
  it('refuses bodies that are not objects', () => {
    expect(jsonToPairs([1, 2])).toBeNull()
    expect(jsonToPairs('x')).toBeNull()
    expect(jsonToPairs(null)).toBeNull()
  })
})
