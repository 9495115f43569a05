import { decodeWindows1252, decoderFor } from '../../../src/main/listener/textDecoding'
import { describe, expect, it } from 'vitest'
import {
  decodeComponent,
  jsonBodyPairs,
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
    // Escapes that are not UTF-8: the sender's Windows-1252 (0x80-0x9F included), as in a body.
    expect(decodeComponent('Caf%E9')).toBe('Café')
    expect(decodeComponent('%E0%A4%A')).toBe('à¤%A')
    expect(decodeComponent('%C3%A9t%C3')).toBe('étÃ')
    expect(decodeComponent('%93quoted%94')).toBe('\u201cquoted\u201d')
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

describe('jsonBodyPairs', () => {
  it('turns scalars into text, arrays into repeats, nested values into JSON', () => {
    const body = '{"a":1,"b":true,"c":null,"d":["x","y"],"e":{"f":1.50},"__proto__":{"polluted":1}}'
    expect(jsonBodyPairs(body)).toEqual([
      ['a', '1'],
      ['b', 'true'],
      ['c', 'null'],
      ['d', 'x'],
      ['d', 'y'],
      ['e', '{"f":1.50}'],
      ['__proto__', '{"polluted":1}'],
    ])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('keeps every number as the digits that were sent', () => {
    const body =
      '{"calllogid":12345678901234567890,"callernumber":919876543210,"ivrduration":12.50,' +
      '"x":1e400,"y":-0.000000000000000000001,"z":[98765432109876543210,7]}'
    expect(jsonBodyPairs(body)).toEqual([
      ['calllogid', '12345678901234567890'],
      ['callernumber', '919876543210'],
      ['ivrduration', '12.50'],
      ['x', '1e400'],
      ['y', '-0.000000000000000000001'],
      ['z', '98765432109876543210'],
      ['z', '7'],
    ])
    const ids = ['12345678901234567890', '12345678901234567891', '12345678901234567892']
    expect(ids.map((id) => jsonBodyPairs(`{"calllogid":${id}}`)![0]![1])).toEqual(ids)
  })

  it('reads a lone surrogate escape as U+FFFD, like any character that cannot be read', () => {
    // JSON escapes can make one (bytes cannot); no stored form keeps it as it is.
    const body = String.raw`{"calllogid":"a\ud800b","dep\udc00t":["x\udbff","\ud83d\ude00"],"e":{"f":"\ud800"}}`
    expect(jsonBodyPairs(body)).toEqual([
      ['calllogid', 'a\ufffdb'],
      ['dep\ufffdt', 'x\ufffd'],
      ['dep\ufffdt', '😀'],
      // A nested value stays JSON text, its escape as sent (ASCII: nothing to lose).
      ['e', String.raw`{"f":"\ud800"}`],
    ])
  })

  it('counts a key sent twice as sent twice, instead of keeping only the last value', () => {
    expect(
      jsonBodyPairs('{"callstatus":"ANSWER","a":1,"callstatus":"MISSED","callstatus":3}'),
    ).toEqual([
      ['callstatus', 'ANSWER'],
      ['callstatus', 'MISSED'],
      ['callstatus', '3'],
      ['a', '1'],
    ])
  })

  it('refuses bodies that are not objects, and throws on text that is not JSON', () => {
    expect(jsonBodyPairs('[1, 2]')).toBeNull()
    expect(jsonBodyPairs('"x"')).toBeNull()
    expect(jsonBodyPairs('null')).toBeNull()
    expect(() => jsonBodyPairs('{"a":')).toThrow(SyntaxError)
    expect(() => jsonBodyPairs('{"a":1} x')).toThrow(SyntaxError)
  })
})

describe('Windows-1252', () => {
  it('reads 0x80-0x9F as the code page does, every other byte as Latin-1', () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i))
    const text = decodeWindows1252(all)
    expect(text).toHaveLength(256)
    expect(text.slice(0x80, 0xa0)).toBe('€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ')
    expect(text.slice(0, 0x80) + text.slice(0xa0)).toBe(
      all.subarray(0, 0x80).toString('latin1') + all.subarray(0xa0).toString('latin1'),
    )
    expect(decoderFor('iso-8859-1').decode(Buffer.from([0x93, 0xe9]))).toBe('“é')
    expect(decoderFor('utf-8').decode(Buffer.from('é'))).toBe('é')
  })
})
