/**
 * The store's map from call id to its current row: the part of a `Map<string, V>` the store uses
 * (get, has, set, delete, size, clear), kept as an open-addressing hash table over typed arrays.
 *
 * Why not a Map: start-up fills it with every stored call (a million at a million calls), and a
 * Map spent about 0.9 s of CPU on that and left a million hash-table entries for the collector to
 * walk on every major GC. Here an insert is one hash of the id's UTF-16 units and a probe into an
 * Int32Array of hashes; the values sit in one flat array. Linear probing, at most half full,
 * deletion by backward shift (no tombstones, so lookups never slow down after many deletes).
 */
export class IdTable<V extends object> {
  private hashes: Int32Array
  /** The values by slot (undefined: empty); each one's id is `keyOf(value)`. */
  private vals: (V | undefined)[]
  private mask: number
  private count = 0

  /** `keyOf` gives a value's id (a row carries its own: no array of keys beside the values). */
  constructor(
    private readonly keyOf: (v: V) => string,
    expected = 0,
  ) {
    let cap = 16
    while (cap < expected * 2) cap *= 2
    this.mask = cap - 1
    this.hashes = new Int32Array(cap)
    this.vals = new Array<V | undefined>(cap).fill(undefined)
  }

  get size(): number {
    return this.count
  }

  get(id: string): V | undefined {
    const i = this.find(id, hashId(id))
    return i < 0 ? undefined : this.vals[i]
  }

  has(id: string): boolean {
    return this.find(id, hashId(id)) >= 0
  }

  /** Sets `id` (which must be `keyOf(v)`) to `v`; returns this (as Map.set does). */
  set(id: string, v: V): this {
    this.put(id, v)
    return this
  }

  /** Sets `id` (which must be `keyOf(v)`) to `v`; returns whether `id` was new. */
  put(id: string, v: V): boolean {
    const h = hashId(id)
    const mask = this.mask
    let i = h & mask
    for (;;) {
      const k = this.vals[i]
      if (k === undefined) break
      if (this.hashes[i] === h && this.keyOf(k) === id) {
        this.vals[i] = v
        return false
      }
      i = (i + 1) & mask
    }
    this.hashes[i] = h
    this.vals[i] = v
    if (++this.count * 2 > mask + 1) this.grow()
    return true
  }

  delete(id: string): boolean {
    let i = this.find(id, hashId(id))
    if (i < 0) return false
    const mask = this.mask
    // Backward shift: every later entry of the run that may sit in `i` moves there.
    let j = i
    for (;;) {
      j = (j + 1) & mask
      if (this.vals[j] === undefined) break
      const home = this.hashes[j]! & mask
      // `home` cyclically in (i, j]: the entry at j is fine where it is.
      const stays = i <= j ? i < home && home <= j : i < home || home <= j
      if (stays) continue
      this.hashes[i] = this.hashes[j]!
      this.vals[i] = this.vals[j]
      i = j
    }
    this.vals[i] = undefined
    this.count--
    return true
  }

  clear(): void {
    this.vals.fill(undefined)
    this.count = 0
  }

  /** The slot holding `id`, or -1. */
  private find(id: string, h: number): number {
    const mask = this.mask
    let i = h & mask
    for (;;) {
      const k = this.vals[i]
      if (k === undefined) return -1
      if (this.hashes[i] === h && this.keyOf(k) === id) return i
      i = (i + 1) & mask
    }
  }

  private grow(): void {
    const { hashes, vals } = this
    const cap = (this.mask + 1) * 2
    this.mask = cap - 1
    this.hashes = new Int32Array(cap)
    this.vals = new Array<V | undefined>(cap).fill(undefined)
    const mask = this.mask
    for (let s = 0; s < vals.length; s++) {
      const v = vals[s]
      if (v === undefined) continue
      const h = hashes[s]!
      let i = h & mask
      while (this.vals[i] !== undefined) i = (i + 1) & mask
      this.hashes[i] = h
      this.vals[i] = v
    }
  }
}

/** FNV-1a over the id's UTF-16 units, then murmur3's finaliser (so the low bits spread). */
export function hashId(id: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193)
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return h ^ (h >>> 16)
}
