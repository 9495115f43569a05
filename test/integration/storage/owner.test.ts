import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { HOLDER_NAME } from '../../../src/main/dataFolder/lock'
import { ids, push, startExpectingExit, storedIds, headlessRunner } from './helpers'

/**
 * One owner per data folder, with the real headless process (`npm run serve`): a second instance
 * on the same folder is refused and touches nothing; the first keeps every acknowledged call; a
 * lock left by a killed process does not keep the next one from starting.
 */
const { start, stop, forget } = headlessRunner()

describe('one owner per data folder', () => {
  it('refuses a second instance on the folder; the first loses no acknowledged call', async () => {
    const first = await start()
    const before = await push(first.webhookUrl, ids('first', 200))
    expect(before.acked).toHaveLength(200)

    const second = await startExpectingExit(first.dataDir)
    expect(second.code).not.toBe(0)
    expect(second.stderr).toContain(`The data folder ${first.dataDir} is in use by`)
    expect(second.stderr).toContain(`process ${first.child.pid} on`)
    expect(second.stdout).not.toContain('Ready.')

    const after = await push(first.webhookUrl, ids('after', 200))
    expect(after.acked).toHaveLength(200)
    expect(await stop(first)).toBe(0)

    const again = await start(first.dataDir)
    const stored = await storedIds(again)
    const lost = [...before.acked, ...after.acked].filter((id) => !stored.has(id))
    expect(lost).toEqual([])
    expect(stored.size).toBe(400)
  })

  it('takes over the folder of a killed instance, with every call it acknowledged', async () => {
    const first = await start()
    const { acked } = await push(first.webhookUrl, ids('killed', 100))
    first.child.kill('SIGKILL')
    await new Promise((r) => first.child.once('exit', r))
    forget(first)

    const next = await start(first.dataDir)
    const holder = JSON.parse(await readFile(join(first.dataDir, HOLDER_NAME), 'utf8'))
    expect(holder.pid).toBe(next.child.pid)
    const stored = await storedIds(next)
    expect(acked.filter((id) => !stored.has(id))).toEqual([])
  })
})
