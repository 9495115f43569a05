import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { hashId, IdTable, type RowRefs } from '../../../src/main/storage/folder/idTable'

interface Row {
  id: string
  v: number
}

type Op =
  | { op: 'set'; id: string; v: number }
  | { op: 'ref'; id: string; v: number }
  | { op: 'delete'; id: string }
  | { op: 'get'; id: string }
  | { op: 'clear' }

/**
 * The store's id map is an open-addressing table: after any sequence of sets, deletes (backward
 * shift, wrapping around the end of the table), growth and clears, it must answer exactly as a
 * Map does. Ids come from a small alphabet so that the same ids are set, deleted and set again,
 * and probe runs collide and wrap in a table that starts at 16 slots.
 */
describe('IdTable', () => {
  /** Operations over ids drawn from `keys` ids (a few: the table stays small and crowded). */
  const ops = (keys: number): fc.Arbitrary<Op[]> => {
    const id = fc.oneof(
      fc.integer({ min: 0, max: keys - 1 }).map((n) => `c${n}`),
      fc.string({ unit: 'grapheme', maxLength: 4 }),
    )
    const op: fc.Arbitrary<Op> = fc.oneof(
      { weight: 3, arbitrary: fc.record({ op: fc.constant('set' as const), id, v: fc.nat() }) },
      { weight: 3, arbitrary: fc.record({ op: fc.constant('ref' as const), id, v: fc.nat() }) },
      { weight: 4, arbitrary: fc.record({ op: fc.constant('delete' as const), id }) },
      { weight: 3, arbitrary: fc.record({ op: fc.constant('get' as const), id }) },
      { weight: 1, arbitrary: fc.constant({ op: 'clear' as const }) },
    )
    return fc.array(op, { minLength: 50, maxLength: 600 })
  }
  const scenario = fc
    .integer({ min: 4, max: 300 })
    .chain((keys) => fc.tuple(ops(keys), fc.nat({ max: 64 })))

  it('answers get, has, delete and size exactly as a Map after any sequence of operations (rows set or referred to)', () => {
    fc.assert(
      fc.property(scenario, ([ops, expected]) => {
        // Rows set by reference (as start-up does) live in two "months", made on first lookup.
        const months: Row[][] = [[], []]
        const refs: RowRefs<Row> = {
          idIs: (slot, pos, id) => months[slot]![pos]!.id === id,
          idAt: (slot, pos) => months[slot]![pos]!.id,
          rowAt: (slot, pos) => months[slot]![pos]!,
        }
        const table = new IdTable<Row>((r) => r.id, expected, refs)
        const map = new Map<string, Row>()
        for (const o of ops) {
          if (o.op === 'set') {
            const row = { id: o.id, v: o.v }
            expect(table.put(o.id, row)).toBe(!map.has(o.id))
            map.set(o.id, row)
          } else if (o.op === 'ref') {
            const row = { id: o.id, v: o.v }
            const slot = o.v % 2
            const pos = months[slot]!.push(row) - 1
            expect(table.putRef(hashId(o.id), slot, pos)).toBe(!map.has(o.id))
            map.set(o.id, row)
          } else if (o.op === 'delete') expect(table.delete(o.id)).toBe(map.delete(o.id))
          else if (o.op === 'get') {
            expect(table.get(o.id)).toBe(map.get(o.id))
            expect(table.has(o.id)).toBe(map.has(o.id))
          } else {
            table.clear()
            map.clear()
          }
          expect(table.size).toBe(map.size)
        }
        // Every id ever used, present or not, is looked up at the end.
        for (const o of ops) if (o.op !== 'clear') expect(table.get(o.id)).toBe(map.get(o.id))
        for (const [k, row] of map) expect(table.get(k)).toBe(row)
      }),
      { numRuns: 300 },
    )
  })

  it('keeps every id of a large fill findable, and finds none it was not given', () => {
    const table = new IdTable<Row>((r) => r.id)
    const rows = Array.from({ length: 50_000 }, (_, i) => ({ id: `call-${i * 7}`, v: i }))
    for (const r of rows) expect(table.put(r.id, r)).toBe(true)
    expect(table.size).toBe(rows.length)
    for (const r of rows) expect(table.get(r.id)).toBe(r)
    for (let i = 0; i < 1000; i++) expect(table.has(`call-${i * 7 + 1}`)).toBe(false)
    for (const r of rows.filter((_, i) => i % 2 === 0)) table.delete(r.id)
    rows.forEach((r, i) => expect(table.get(r.id)).toBe(i % 2 === 0 ? undefined : r))
  })

  it('hashes ids as the index files written since version 4 store them (a change needs a new version)', () => {
    expect([hashId(''), hashId('c-1'), hashId('ünïcode-✓-𝄞')]).toEqual([
      -1421968373, -1929555559, -403716968,
    ])
    expect(hashId('10000001-1a2b-4cb1-9a7e-000000000001')).toBe(-45976421)
  })
})
