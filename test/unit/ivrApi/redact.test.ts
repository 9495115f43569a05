import { describe, expect, it } from 'vitest'
import { redact } from '../../../src/main/ivrApi/redact'

describe('redact', () => {
  it('removes the key in every encoding and any apikey= value', () => {
    const key = 'a b+c/d'
    const text = `x ${key} y ${encodeURIComponent(key)} z a+b%2Bc%2Fd ?apikey=other&custid=1`
    const out = redact(text, key)
    expect(out).not.toContain(key)
    expect(out).not.toContain(encodeURIComponent(key))
    expect(out).toContain('apikey=[redacted]&custid=1')
  })
})
