import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { request } from 'undici'
import { describe, expect, it } from 'vitest'
import type { CallPage, Health } from '../../../src/shared/domain'
import { todayIn } from '../../support/fixtures'
import { api, ids, push, storedIds, headlessRunner } from './helpers'

/**
 * A month file damaged in its syntax (it no longer parses), with the real headless process:
 * on `main` start-up said "store opened", then history answered 500, the CSV export stopped and
 * every checkpoint failed. Now history and export answer with every readable call and say what
 * they miss, pushes and checkpoints go on, and shutdown is clean.
 */
const { start, stop } = headlessRunner()

describe('a damaged month file', () => {
  it('history and export answer with what is readable and say what is not; the rest goes on', async () => {
    // The pushes are dated today in the server's zone: their month file is this month's.
    const month = todayIn().slice(0, 7)
    const first = await start()
    const before = await push(first.webhookUrl, ids('m', 60))
    expect(await stop(first)).toBe(0)

    // One byte of the month's syntax: the brace closing call m-0031 becomes a letter.
    const file = join(first.dataDir, `calls/shards/${month}.json`)
    const doc = await readFile(file)
    const at = doc.indexOf('{"id":"m-0032"') - 2
    expect(String.fromCharCode(doc[at]!)).toBe('}')
    doc[at] = 0x78
    await writeFile(file, doc)
    expect(() => JSON.parse(doc.toString())).toThrow()

    const h = await start(first.dataDir)
    const page = await api<CallPage>(h, 'GET', '/api/v1/calls?limit=500')
    expect(page.status).toBe(200)
    expect(page.json.unreadable).toEqual([{ month, calls: 1 }])
    expect(page.json.calls).toHaveLength(59)
    expect((await api(h, 'GET', '/api/v1/calls/m-0031')).status).toBe(404)
    expect((await api(h, 'GET', '/api/v1/calls/m-0032')).status).toBe(200)

    const csv = await request(`${h.apiUrl}/api/v1/calls.csv`, {
      headers: { authorization: `Bearer ${h.apiToken}` },
    })
    expect(csv.statusCode).toBe(200)
    expect(csv.headers['x-unreadable-calls']).toBe(`${month}=1`)
    const rows = (await csv.body.text()).trim().split('\n')
    expect(rows).toHaveLength(1 + 59)

    const health = await api<Health>(h, 'GET', '/api/v1/health')
    const problem = health.json.storage.problems[0]!
    expect(problem).toMatchObject({
      kind: 'month-set-aside',
      file: `calls/shards/${month}.json`,
      lost: { count: 1, ids: ['m-0031'] },
    })
    expect(problem.keptAt).toMatch(new RegExp(`^calls/damaged/${month}\\.json\\.\\d+$`))

    const later = await push(h.webhookUrl, ids('later', 20))
    expect(later.acked).toHaveLength(20)
    expect(await stop(h)).toBe(0)
    expect(h.stderr()).not.toContain('Stopping the core failed')

    const again = await start(first.dataDir)
    const stored = await storedIds(again)
    const lost = [...before.acked, ...later.acked].filter((id) => !stored.has(id))
    expect(lost).toEqual(['m-0031'])
  })
})
