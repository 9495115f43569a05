/**
 * The built preload (out/preload/index.cjs, from `npm run build`) as a sandboxed window runs it:
 * a CommonJS script whose `require` offers `electron` and nothing of Node. It carries the
 * contract's names only (src/shared/contractNames.ts); the schemas stay in main, which validates
 * every request with them, so TypeBox is not bundled here.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { runInNewContext } from 'node:vm'
import { beforeAll, describe, expect, it } from 'vitest'
import { CHANNELS, EVENT_NAMES, splitChannel } from '../../../src/shared/contract'
import { desktopBuild } from '../../support/desktopBuild'

let code = ''

beforeAll(async () => {
  code = await readFile(join(await desktopBuild(), 'preload', 'index.cjs'), 'utf8')
}, 600_000)

/** Runs the bundle with a stand-in `electron`; returns what it exposed and what it required. */
function runPreload() {
  const required: string[] = []
  const exposed: Record<string, unknown> = {}
  const invoked: { channel: string; args: unknown[] }[] = []
  const subscribed: string[] = []
  const electron = {
    contextBridge: {
      exposeInMainWorld: (key: string, value: unknown) => (exposed[key] = value),
    },
    ipcRenderer: {
      invoke: async (channel: string, ...args: unknown[]) => {
        invoked.push({ channel, args })
        return { answered: channel }
      },
      on: (channel: string) => subscribed.push(channel),
      removeListener: () => {},
    },
  }
  const module = { exports: {} }
  runInNewContext(code, {
    require: (name: string) => {
      required.push(name)
      if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`)
      return electron
    },
    module,
    exports: module.exports,
    // Web globals a sandboxed preload has, beside what Node's vm context already gives.
    TextEncoder,
    TextDecoder,
  })
  return { required, exposed, invoked, subscribed }
}

describe('the built preload', () => {
  it('exposes one function per channel of the contract and requires only electron', async () => {
    const run = runPreload()
    expect(run.required).toEqual(['electron'])
    const api = run.exposed['api'] as Record<string, Record<string, (r?: unknown) => unknown>>
    for (const channel of CHANNELS) {
      const [domain, verb] = splitChannel(channel)
      await expect(api[domain]![verb]!({ probe: channel }), channel).resolves.toEqual({
        answered: channel,
      })
    }
    expect(run.invoked.map((i) => i.channel)).toEqual(CHANNELS)
    for (const event of EVENT_NAMES)
      (api['on'] as unknown as (e: string, h: () => void) => void)(event, () => {})
    expect(run.subscribed).toEqual(EVENT_NAMES)
  })

  it('bundles no schema: TypeBox stays in main, which validates every request', () => {
    expect(code).not.toMatch(/typebox/i)
    expect(code).not.toMatch(/CallQuerySchema|\$schema|additionalProperties/)
  })
})
