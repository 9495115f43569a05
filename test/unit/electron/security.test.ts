import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  APP_ENTRY_URL,
  isAppUrl,
  isTrustedFrame,
  rendererLocation,
} from '../../../src/main/electron/appUrl'
import { appRequestHandler, resolveAppFile } from '../../../src/main/electron/appProtocol'
import { contentSecurityPolicy } from '../../../src/shared/csp'
import {
  denyWindowOpen,
  isHttpUrl,
  permissionCheckHandler,
  permissionRequestHandler,
} from '../../../src/main/electron/security'

describe('renderer location and the app origin', () => {
  it('uses app://renderer in production and the dev server in development', () => {
    expect(rendererLocation(undefined)).toEqual({
      entryUrl: APP_ENTRY_URL,
      origin: 'app://renderer',
      dev: false,
    })
    expect(rendererLocation('http://localhost:5173')).toEqual({
      entryUrl: 'http://localhost:5173',
      origin: 'http://localhost:5173',
      dev: true,
    })
    expect(() => rendererLocation('file:///x')).toThrow(/http/)
  })

  it.each([
    ['app://renderer/index.html#/live', true],
    ['app://renderer/assets/x.js', true],
    ['app://other/index.html', false],
    ['app://user:pw@renderer/', false],
    ['https://renderer/', false],
    ['not a url', false],
  ])('isAppUrl(%s) = %s', (url, expected) => {
    expect(isAppUrl(url, 'app://renderer')).toBe(expected)
  })

  it('trusts only the top-level app frame', () => {
    expect(
      isTrustedFrame({ url: 'app://renderer/index.html', parent: null }, 'app://renderer'),
    ).toBe(true)
    expect(isTrustedFrame({ url: 'app://renderer/index.html', parent: {} }, 'app://renderer')).toBe(
      false,
    )
    expect(isTrustedFrame(null, 'app://renderer')).toBe(false)
  })
})

describe('content security policy', () => {
  it('allows only the app’s own scripts in production', () => {
    const csp = contentSecurityPolicy({ dev: false, origin: 'app://renderer' })
    expect(csp).toMatch(/default-src 'none'/)
    expect(csp).toMatch(/script-src 'self'(;|$)/)
    expect(csp).not.toMatch(/unsafe-eval/)
    expect(csp).toMatch(/object-src 'none'/)
    expect(csp).toMatch(/frame-ancestors 'none'/)
    expect(csp).toMatch(/connect-src 'self'(;|$)/)
  })

  it('lets the dev server’s hot reload through in development only', () => {
    const csp = contentSecurityPolicy({ dev: true, origin: 'http://localhost:5173' })
    expect(csp).toMatch(/connect-src 'self' ws:\/\/localhost:5173/)
    expect(csp).not.toMatch(/unsafe-eval/)
  })
})

describe('links and permissions', () => {
  it('opens only http(s) links externally', () => {
    const opened: string[] = []
    const h = denyWindowOpen((u) => opened.push(u))
    for (const url of [
      'http://a.example/',
      'https://b.example/x',
      'mailto:x@y',
      'file:///x',
      'ms-settings:',
    ])
      expect(h({ url })).toEqual({ action: 'deny' })
    expect(opened).toEqual(['http://a.example/', 'https://b.example/x'])
    expect(isHttpUrl('https://user:pw@x.example/')).toBe(false)
  })

  it('grants nothing but clipboard writes, and only to the app', () => {
    const req = permissionRequestHandler('app://renderer')
    const answers: [string, boolean][] = []
    const page = (url: string) => ({ getURL: () => url })
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read'])
      req(page('app://renderer/index.html'), p, (ok) => answers.push([p, ok]))
    req(page('app://renderer/index.html'), 'clipboard-sanitized-write', (ok) =>
      answers.push(['w', ok]),
    )
    req(page('https://evil.example/'), 'clipboard-sanitized-write', (ok) =>
      answers.push(['evil', ok]),
    )
    expect(answers.filter(([, ok]) => ok)).toEqual([['w', true]])
    const check = permissionCheckHandler('app://renderer')
    expect(check(null, 'media', 'app://renderer')).toBe(false)
    expect(check(null, 'clipboard-sanitized-write', 'https://evil.example')).toBe(false)
  })
})

describe('app:// protocol', () => {
  let root: string
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'ivrs-app-'))
    await mkdir(join(root, 'renderer', 'assets'), { recursive: true })
    await writeFile(join(root, 'renderer', 'index.html'), '<!doctype html><p>hi</p>')
    await writeFile(join(root, 'renderer', 'assets', 'a.js'), 'console.log(1)')
    await writeFile(join(root, 'secret.txt'), 'outside')
  })
  afterAll(async () => {
    await rm(root, { recursive: true, force: true })
  })

  it('maps app URLs into the renderer folder and refuses escapes', () => {
    const dir = join(root, 'renderer')
    expect(resolveAppFile(dir, 'app://renderer/')).toBe(join(dir, 'index.html'))
    expect(resolveAppFile(dir, 'app://renderer/assets/a.js?v=1')).toBe(join(dir, 'assets', 'a.js'))
    // The URL parser already folds a literal `..` away: it stays inside the folder.
    expect(resolveAppFile(dir, 'app://renderer/../secret.txt')).toBe(join(dir, 'secret.txt'))
    expect(resolveAppFile(dir, 'app://renderer/%2e%2e/secret.txt')).toBe(join(dir, 'secret.txt'))
    for (const bad of [
      'app://renderer/assets/%2e%2e%2f..%2fsecret.txt',
      'app://renderer/..%5csecret.txt',
      'app://other/index.html',
      'https://renderer/index.html',
      'app://renderer/%E0%A4%A',
    ])
      expect(resolveAppFile(dir, bad), bad).toBeNull()
  })

  it('serves files with the CSP and a content type; 404 otherwise', async () => {
    const h = appRequestHandler({ rootDir: join(root, 'renderer'), csp: "default-src 'none'" })
    const ok = await h({ url: 'app://renderer/index.html', method: 'GET' })
    expect(ok.status).toBe(200)
    expect(ok.headers.get('content-type')).toMatch(/text\/html/)
    expect(ok.headers.get('content-security-policy')).toBe("default-src 'none'")
    expect(await ok.text()).toContain('<p>hi</p>')
    const js = await h({ url: 'app://renderer/assets/a.js' })
    expect(js.headers.get('content-type')).toMatch(/javascript/)
    expect((await h({ url: 'app://renderer/missing.js' })).status).toBe(404)
    const escape = await h({ url: 'app://renderer/%2e%2e/secret.txt' })
    expect(escape.status).toBe(404)
    expect(await escape.text()).not.toContain('outside')
    expect((await h({ url: 'app://renderer/index.html', method: 'POST' })).status).toBe(404)
  })
})
