import { describe, expect, it } from 'vitest'
import { hostChecker, peerChecker } from '../../../src/main/api/security'
import { maskWebhookUrl } from '../../../src/shared/vendorPaths'

describe('hostChecker', () => {
  const port = (): number => 8788

  it('on loopback alone: 127.0.0.1 and localhost with our port, nothing else', () => {
    const ok = hostChecker({ port, hostnames: [], ipHosts: false })
    expect(ok('127.0.0.1:8788')).toBe(true)
    expect(ok('LOCALHOST:8788')).toBe(true)
    for (const h of ['10.0.0.5:8788', 'evil.example:8788', '127.0.0.1:9999', undefined])
      expect(ok(h), h).toBe(false)
  })

  it('for a team server: its own names on any port, and bare addresses when bound beyond loopback', () => {
    const ok = hostChecker({ port, hostnames: ['supervisor.example.com'], ipHosts: true })
    for (const h of [
      'supervisor.example.com',
      'Supervisor.Example.com:443',
      '10.0.0.5:8788',
      '[fd00::5]:8788',
    ])
      expect(ok(h), h).toBe(true)
    for (const h of [
      'evil.example',
      'supervisor.example.com.evil.example',
      'evil.supervisor.example.com',
      'supervisor.example.com@evil',
    ])
      expect(ok(h), h).toBe(false)
  })
})

describe('peerChecker', () => {
  it('takes the declared proxies only, an IPv4 address mapped into IPv6 as itself', () => {
    const ok = peerChecker(['10.9.9.9', '192.0.2.0/24'])
    for (const a of ['10.9.9.9', '::ffff:10.9.9.9', '192.0.2.200']) expect(ok(a), a).toBe(true)
    for (const a of ['127.0.0.1', '::1', '10.9.9.8', '192.0.3.1', undefined])
      expect(ok(a), a).toBe(false)
  })

  it('takes loopback only when it is declared', () => {
    const ok = peerChecker(['loopback'])
    for (const a of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) expect(ok(a), a).toBe(true)
    expect(ok('10.0.0.1')).toBe(false)
  })
})

describe('maskWebhookUrl', () => {
  it('hides the token of a webhook URL and nothing else', () => {
    expect(maskWebhookUrl('https://abc.example/api/PostCallLogs/s3cretToken_123/')).toBe(
      'https://abc.example/api/PostCallLogs/<token>/',
    )
    expect(maskWebhookUrl('http://127.0.0.1:8787/api/PostCallLogs/tok')).toBe(
      'http://127.0.0.1:8787/api/PostCallLogs/<token>',
    )
    expect(maskWebhookUrl('http://127.0.0.1:8787/other')).toBe('http://127.0.0.1:8787/other')
  })
})
