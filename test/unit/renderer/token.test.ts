import { describe, expect, it } from 'vitest'
import { forgetToken, keepToken, takeToken } from '../../../src/renderer/src/api/token'
import { pastedToken, personalAddress } from '../../../src/shared/team'
import { isWallboardHash, screenFromHash } from '../../../src/renderer/src/routing'

function page(hash: string) {
  const store = new Map<string, string>()
  const replaced: string[] = []
  return {
    replaced,
    store,
    location: { hash, pathname: '/', search: '' },
    history: {
      replaceState: (_d: unknown, _u: string, url?: string) => void replaced.push(url ?? ''),
    },
    sessionStorage: {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
      removeItem: (k: string) => void store.delete(k),
    },
  }
}

describe('token from the address', () => {
  it('takes #token=, keeps it for the tab and removes it from the address', () => {
    const p = page('#token=abc%2Bdef')
    expect(takeToken(p)).toBe('abc+def')
    expect(p.replaced).toEqual(['/#/'])
    expect([...p.store.values()]).toEqual(['abc+def'])
  })

  it('opens the screen named after the token: a viewer token opens the wallboard', () => {
    const p = page('#token=ivrs_abc_def&screen=wallboard')
    expect(takeToken(p)).toBe('ivrs_abc_def')
    expect(p.replaced).toEqual(['/#/wallboard'])
    expect(isWallboardHash('#/wallboard')).toBe(true)
    expect(isWallboardHash('#/live')).toBe(false)
  })

  it('falls back to the token kept in this tab, or none', () => {
    const p = page('#/agents')
    expect(takeToken(p)).toBeNull()
    p.store.set('ivrs.apiToken', 'kept')
    expect(takeToken(p)).toBe('kept')
    expect(p.replaced).toEqual([])
  })

  it('keeps a token signed in with, and forgets one the service refused', () => {
    const p = page('')
    keepToken(p, 'ivrs_abc_def')
    expect(takeToken(p)).toBe('ivrs_abc_def')
    forgetToken(p)
    expect(takeToken(p)).toBeNull()
  })

  it('takes a token pasted alone or in the address it came in', () => {
    const token = 'ivrs_Ab-12_x+y/z='
    const address = personalAddress('https://supervisor.example.com/', token)
    expect(address).toBe('https://supervisor.example.com/#token=ivrs_Ab-12_x%2By%2Fz%3D')
    expect(pastedToken(` ${address} `)).toBe(token)
    expect(pastedToken(' ivrs_abc_def\n')).toBe('ivrs_abc_def')
    expect(pastedToken('https://supervisor.example.com/')).toBeNull()
    expect(pastedToken('two words')).toBeNull()
    expect(pastedToken('')).toBeNull()
  })

  it('routes hashes to screens, anything unknown to Live', () => {
    expect(screenFromHash('#/office-hours')).toBe('office-hours')
    expect(screenFromHash('#token=x')).toBe('live')
    expect(screenFromHash('')).toBe('live')
  })
})
