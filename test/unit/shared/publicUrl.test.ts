import { describe, expect, it } from 'vitest'
import { readPublicUrl } from '../../../src/shared/publicUrl'

describe("the tunnel's public address, as people paste it", () => {
  it('accepts a bare origin or host, and keeps a proxy prefix', () => {
    expect(readPublicUrl('https://abc.trycloudflare.com')).toEqual({
      url: 'https://abc.trycloudflare.com',
      notes: [],
      warning: null,
    })
    expect(readPublicUrl(' https://abc.trycloudflare.com/ ')).toMatchObject({
      url: 'https://abc.trycloudflare.com',
      notes: [],
    })
    const bare = readPublicUrl('abc.trycloudflare.com')
    expect(bare).toMatchObject({ url: 'https://abc.trycloudflare.com', warning: null })
    expect('notes' in bare && bare.notes[0]).toMatch(/https:\/\/ was put in front/)
    expect(readPublicUrl('tunnel.example.com:8443/ivrs/')).toMatchObject({
      url: 'https://tunnel.example.com:8443/ivrs',
    })
    expect(readPublicUrl('')).toEqual({ url: null, notes: [], warning: null })
  })

  it('takes a pasted webhook path off, with a word, instead of doubling it', () => {
    const r = readPublicUrl('https://abc.trycloudflare.com/api/PostCallLogs/xyz/?x=1')
    expect(r).toMatchObject({ url: 'https://abc.trycloudflare.com', warning: null })
    expect('notes' in r && r.notes).toEqual([
      expect.stringMatching(/^The webhook path \(\/api\/PostCallLogs\/…\) was taken off/),
      'What followed ? or # was left out.',
    ])
    expect(readPublicUrl('https://x.example/prefix/api/postcalllogs/tok')).toMatchObject({
      url: 'https://x.example/prefix',
    })
  })

  it('warns on plain http beyond this machine', () => {
    expect(readPublicUrl('http://abc.example.com')).toMatchObject({
      url: 'http://abc.example.com',
      warning: expect.stringMatching(/^Plain http: .*unencrypted/),
    })
    expect(readPublicUrl('http://127.0.0.1:8787')).toMatchObject({ warning: null })
  })

  it('refuses what is no web address, saying why', () => {
    expect(readPublicUrl('ftp://x.example')).toEqual({
      error: 'The public address must start with https:// (or http://)',
    })
    expect(readPublicUrl('nonsense')).toMatchObject({
      error: expect.stringMatching(/not a web address/),
    })
    expect(readPublicUrl('https://user:pw@x.example')).toMatchObject({
      error: expect.stringMatching(/user name or password/),
    })
    expect(readPublicUrl('mailto:a@b.example')).toMatchObject({
      error: expect.stringMatching(/must start with https:\/\//),
    })
  })
})
