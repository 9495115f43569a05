import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { DocStore } from '../../../src/main/dataFolder/docStore'

interface Doc {
  items: string[]
  count: number
}

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ivrs-doc-'))
})

describe('DocStore', () => {
  it('creates the document with its defaults and keeps every update across a reopen', async () => {
    const a = await DocStore.open<Doc>(join(dir, 'd.json'), { items: [], count: 0 })
    await Promise.all([
      a.update((d) => void d.items.push('x')),
      a.update((d) => void d.items.push('y')),
      a.update((d) => void (d.count = d.items.length)),
    ])
    const b = await DocStore.open<Doc>(join(dir, 'd.json'), { items: [], count: 0 })
    expect(b.data).toEqual({ items: ['x', 'y'], count: 2 })
  })

  it('fills fields added to the defaults after the file was written', async () => {
    const a = await DocStore.open<{ a: number }>(join(dir, 'd.json'), { a: 1 })
    await a.update((d) => void (d.a = 5))
    const b = await DocStore.open<{ a: number; b: string }>(join(dir, 'd.json'), { a: 0, b: 'new' })
    expect(b.data).toEqual({ a: 5, b: 'new' })
  })

  it('rolls back a change whose function throws half-way, and later updates still run', async () => {
    const s = await DocStore.open<Doc>(join(dir, 'd.json'), { items: ['keep'], count: 1 })
    await expect(
      s.update((d) => {
        d.items.push('half')
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    expect(s.data.items).toEqual(['keep'])
    await s.update((d) => void (d.count = 7))
    expect(JSON.parse(await readFile(join(dir, 'd.json'), 'utf8'))).toEqual({
      items: ['keep'],
      count: 7,
    })
  })

  it('rolls back a change that could not be written', async () => {
    const sub = join(dir, 'sub')
    const s = await DocStore.open<Doc>(join(sub, 'd.json'), { items: [], count: 0 })
    // A plain file where the folder should be: the write fails even for root.
    await writeFile(sub, 'not a folder')
    await expect(s.update((d) => void d.items.push('lost'))).rejects.toThrow()
    expect(s.data.items).toEqual([])
  })
})
