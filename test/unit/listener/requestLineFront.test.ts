import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { repairRequestLine } from '../../../src/main/listener/requestLineFront'

const repair = (line: string | Buffer): string | null => {
  const out = repairRequestLine(Buffer.isBuffer(line) ? line : Buffer.from(line, 'latin1'))
  return out && out.toString('latin1')
}

describe('repairing a request line', () => {
  it('writes raw spaces and bytes above 127 of the target as percent escapes, byte for byte', () => {
    expect(repair('GET /p?state=Tamil Nadu&x=1 HTTP/1.1\r\n')).toBe(
      'GET /p?state=Tamil%20Nadu&x=1 HTTP/1.1\r\n',
    )
    expect(repair(Buffer.from('GET /p?d=बि HTTP/1.1\r\n'))).toBe(
      'GET /p?d=%E0%A4%AC%E0%A4%BF HTTP/1.1\r\n',
    )
    expect(repair('POST /p?t=Caf\xe9 HTTP/1.0\n')).toBe('POST /p?t=Caf%E9 HTTP/1.0\n')
  })

  it('takes the last " HTTP/x.y" as the end of the target', () => {
    expect(repair('GET /p?note=see HTTP/1.1 spec HTTP/1.1\r\n')).toBe(
      'GET /p?note=see%20HTTP/1.1%20spec HTTP/1.1\r\n',
    )
  })

  it('leaves alone what needs no repair or is no request line it knows', () => {
    for (const line of [
      'GET /p?a=b HTTP/1.1\r\n',
      'get /p?a b HTTP/1.1\r\n',
      'GET /p?a b\r\n',
      'GET /p?a b HTTP/11\r\n',
      ' GET /p HTTP/1.1\r\n',
      'GET /p?x=a\x01b HTTP/1.1\r\n',
    ])
      expect(repair(line), line).toBeNull()
  })

  it('never changes a line that holds no raw space or high byte in its target', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Z]{1,7}$/),
        fc.stringMatching(/^\/[\x21-\x7e]{0,80}$/),
        (method, target) => repair(`${method} ${target} HTTP/1.1\r\n`) === null,
      ),
    )
  })

  it('a repaired target holds no raw space and no high byte, and decodes to the same bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 60 }), (bytes) => {
        // Targets without CR, LF or '%' (which the decode below would read as escapes).
        const clean = Buffer.from([...bytes].filter((b) => b !== 10 && b !== 13 && b !== 0x25))
        const line = Buffer.concat([Buffer.from('GET /p?v='), clean, Buffer.from(' HTTP/1.1\r\n')])
        const out = repairRequestLine(line) ?? line
        const target = out.subarray(4, out.length - ' HTTP/1.1\r\n'.length)
        expect([...target].every((b) => b !== 0x20 && b < 0x80)).toBe(true)
        const decoded = Buffer.from(
          target
            .toString('latin1')
            .replace(/%([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
          'latin1',
        )
        expect(decoded.equals(Buffer.concat([Buffer.from('/p?v='), clean]))).toBe(true)
      }),
    )
  })
})
