/**
 * The small documents' contract (storage/documents.ts `Document`), run over both backends; and,
 * for PostgreSQL, what several instances on one database need: no change lost between them, and
 * each hearing of the others' changes.
 */
import { describe, expect, it } from 'vitest'
import { BACKENDS, until, useBackend } from './backends'

interface Doc {
  items: string[]
  count: number
  added?: string
}

const DEFAULTS: Doc = { items: [], count: 0 }

describe.each(BACKENDS)('Document contract: $name', (factory) => {
  const place = useBackend(factory)

  it('creates with defaults, applies updates in order and keeps them across a reopen', async () => {
    const a = await (await place().documents()).open<Doc>('d.json', DEFAULTS)
    expect(a.data).toEqual(DEFAULTS)
    const results = await Promise.all([
      a.update((d) => d.items.push('x')),
      a.update((d) => d.items.push('y')),
      a.update((d) => (d.count = d.items.length)),
    ])
    expect(results).toEqual([1, 2, 2])
    await place().closeAll()
    const b = await (await place().documents()).open<Doc>('d.json', { ...DEFAULTS, added: 'new' })
    // A field added to the defaults later is filled in.
    expect(b.data).toEqual({ items: ['x', 'y'], count: 2, added: 'new' })
  })

  it('leaves the document as it was when an update throws', async () => {
    const a = await (await place().documents()).open<Doc>('d.json', DEFAULTS)
    await a.update((d) => d.items.push('kept'))
    await expect(
      a.update((d) => {
        d.items.push('half')
        throw new Error('refused')
      }),
    ).rejects.toThrow('refused')
    expect(a.data.items).toEqual(['kept'])
    await place().closeAll()
    const b = await (await place().documents()).open<Doc>('d.json', DEFAULTS)
    expect(b.data.items).toEqual(['kept'])
  })

  it('shows a change at once and stores it on save', async () => {
    const a = await (await place().documents()).open<Doc>('d.json', DEFAULTS)
    a.change((d) => (d.count += 5))
    expect(a.data.count).toBe(5)
    await a.save()
    await place().closeAll()
    const b = await (await place().documents()).open<Doc>('d.json', DEFAULTS)
    expect(b.data.count).toBe(5)
  })
})

describe('Document on PostgreSQL: several instances', () => {
  const place = useBackend(BACKENDS.find((b) => b.name === 'PostgreSQL')!)

  it('loses no update when two instances change one document at once, and each hears the other', async () => {
    const a = await (await place().documents()).open<Doc>('shared.json', DEFAULTS)
    const b = await (await place().documents()).open<Doc>('shared.json', DEFAULTS)
    let heardByA = 0
    a.onExternalChange(() => heardByA++)
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 ? a : b).update((d) => {
          d.count++
          d.items.push(`${i % 2 ? 'a' : 'b'}${i}`)
        }),
      ),
    )
    await until(() => a.data.count === 40 && b.data.count === 40)
    expect(new Set(a.data.items).size).toBe(40)
    expect(b.data.items).toEqual(a.data.items)
    // A change from B alone reaches A's copy, and A's subscribers hear of it.
    const before = heardByA
    await b.update((d) => (d.added = 'by b'))
    await until(() => a.data.added === 'by b')
    expect(heardByA).toBe(before + 1)
  })

  it('applies unsaved changes again to the newer version another instance stored', async () => {
    const a = await (await place().documents()).open<Doc>('shared.json', DEFAULTS)
    const b = await (await place().documents()).open<Doc>('shared.json', DEFAULTS)
    a.change((d) => {
      if (!d.items.includes('from-a')) d.items.push('from-a')
    })
    await b.update((d) => d.items.push('from-b'))
    await a.save()
    await until(() => b.data.items.length === 2)
    expect([...b.data.items].sort()).toEqual(['from-a', 'from-b'])
    expect([...a.data.items].sort()).toEqual(['from-a', 'from-b'])
  })
})
