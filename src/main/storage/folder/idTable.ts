/**
 * Where rows not made yet live: {@link IdTable.putRef} stores a reference (a month's slot and a
 * row's position in it) instead of a row, and the table asks this for the row's id and, on the
 * first lookup that finds it, for the row itself (kept from then on).
 */
export interface RowRefs<V> {
  idIs(slot: number, pos: number, id: string): boolean
  idAt(slot: number, pos: number): string
  rowAt(slot: number, pos: number): V
}

/**
 * The store's map from call id to its current row: the part of a `Map<string, V>` the store uses
 * (get, has, set, delete, size, clear), kept as an open-addressing hash table over typed arrays.
 *
 * Why not a Map: start-up fills it with every stored call (a million at a million calls), and a
 * Map spent about 0.9 s of CPU on that and left a million hash-table entries for the collector to
 * walk on every major GC. Here an insert is one hash of the id's UTF-16 units and a probe into an
 * Int32Array of hashes; the values sit in one flat array. Linear probing, at most half full,
 * deletion by backward shift (no tombstones, so lookups never slow down after many deletes).
 *
 * Start-up fills it with references instead of rows ({@link putRef}: two integers a call, no
 * object, the hash computed over the month's id text): a row is made when a lookup first finds
 * it (see {@link RowRefs}).
 */
export class IdTable<V extends object> {
  /**
   * Four int32 per slot, so a probe reads one cache line: the id's hash, what the slot holds
   * (0: empty, -1: the value `vals[meta[4i + 2]]`, s > 0: the row at position `meta[4i + 2]` of
   * month slot s - 1 of the {@link RowRefs}), that position, and a spare.
   */
  private meta: Int32Array
  /**
   * The values held (not by slot: start-up fills the table with references only, and an array
   * of a slot each cost ~60 ms to make at the first push); `free` lists the places let go.
   */
  private vals: (V | undefined)[] = []
  private free: number[] = []
  private mask: number
  private count = 0

  /** `keyOf` gives a value's id (a row carries its own: no array of keys beside the values). */
  constructor(
    private readonly keyOf: (v: V) => string,
    expected = 0,
    private readonly refs: RowRefs<V> | null = null,
  ) {
    let cap = 16
    while (cap < expected * 2) cap *= 2
    this.mask = cap - 1
    this.meta = new Int32Array(cap * 4)
  }

  get size(): number {
    return this.count
  }

  get(id: string): V | undefined {
    const i = this.find(id, hashId(id))
    return i < 0 ? undefined : this.valueAt(i)
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
    const i = this.probe(h, () => id)
    const meta = this.meta
    if (meta[4 * i + 1] === -1) {
      this.vals[meta[4 * i + 2]!] = v
      return false
    }
    const fresh = meta[4 * i + 1] === 0
    this.hold(i, v)
    return fresh && this.added(i, h)
  }

  /**
   * Sets the id of the row at (`slot`, `pos`) of the {@link RowRefs} to that row, unmade;
   * `hash` is its id's {@link hashId}. Returns whether the id was new.
   */
  putRef(hash: number, slot: number, pos: number): boolean {
    const refs = this.refs!
    const i = this.probe(hash, () => refs.idAt(slot, pos))
    const meta = this.meta
    const fresh = meta[4 * i + 1] === 0
    if (meta[4 * i + 1] === -1) this.release(meta[4 * i + 2]!)
    meta[4 * i + 1] = slot + 1
    meta[4 * i + 2] = pos
    return fresh && this.added(i, hash)
  }

  /** Slot `i` holds `v` (in a place of `vals`). */
  private hold(i: number, v: V): void {
    const at = this.free.pop() ?? this.vals.length
    this.vals[at] = v
    this.meta[4 * i + 1] = -1
    this.meta[4 * i + 2] = at
  }

  private release(at: number): void {
    this.vals[at] = undefined
    this.free.push(at)
  }

  /** The slot holding the id (`idOf()`, asked only on a hash match), or the empty slot for it. */
  private probe(h: number, idOf: () => string): number {
    const mask = this.mask
    const meta = this.meta
    let i = h & mask
    let id: string | undefined
    while (meta[4 * i + 1] !== 0) {
      if (meta[4 * i] === h && this.holds(i, (id ??= idOf()))) return i
      i = (i + 1) & mask
    }
    return i
  }

  /** After a put of a new id into slot `i`: counts it (returns true). */
  private added(i: number, h: number): true {
    this.meta[4 * i] = h
    if (++this.count * 2 > this.mask + 1) this.grow()
    return true
  }

  delete(id: string): boolean {
    let i = this.find(id, hashId(id))
    if (i < 0) return false
    const mask = this.mask
    const meta = this.meta
    if (meta[4 * i + 1] === -1) this.release(meta[4 * i + 2]!)
    // Backward shift: every later entry of the run that may sit in `i` moves there.
    let j = i
    for (;;) {
      j = (j + 1) & mask
      if (meta[4 * j + 1] === 0) break
      const home = meta[4 * j]! & mask
      // `home` cyclically in (i, j]: the entry at j is fine where it is.
      const stays = i <= j ? i < home && home <= j : i < home || home <= j
      if (stays) continue
      this.move(j, i)
      i = j
    }
    meta[4 * i + 1] = 0
    this.count--
    return true
  }

  clear(): void {
    this.vals = []
    this.free = []
    this.meta.fill(0)
    this.count = 0
  }

  /** Whether occupied slot `i` holds `id`. */
  private holds(i: number, id: string): boolean {
    const held = this.meta[4 * i + 1]!
    if (held === -1) return this.keyOf(this.vals[this.meta[4 * i + 2]!]!) === id
    return this.refs!.idIs(held - 1, this.meta[4 * i + 2]!, id)
  }

  /** The value of occupied slot `i` (a referenced row is made now, and kept). */
  private valueAt(i: number): V {
    const held = this.meta[4 * i + 1]!
    if (held === -1) return this.vals[this.meta[4 * i + 2]!]!
    const row = this.refs!.rowAt(held - 1, this.meta[4 * i + 2]!)
    this.hold(i, row)
    return row
  }

  private move(from: number, to: number): void {
    this.meta.copyWithin(4 * to, 4 * from, 4 * from + 4)
  }

  /** The slot holding `id`, or -1. */
  private find(id: string, h: number): number {
    const mask = this.mask
    const meta = this.meta
    let i = h & mask
    while (meta[4 * i + 1] !== 0) {
      if (meta[4 * i] === h && this.holds(i, id)) return i
      i = (i + 1) & mask
    }
    return -1
  }

  private grow(): void {
    const { meta } = this
    const cap = (this.mask + 1) * 2
    this.mask = cap - 1
    this.meta = new Int32Array(cap * 4)
    const mask = this.mask
    for (let s = 0; s < meta.length / 4; s++) {
      if (meta[4 * s + 1] === 0) continue
      const h = meta[4 * s]!
      let i = h & mask
      while (this.meta[4 * i + 1] !== 0) i = (i + 1) & mask
      this.meta.set(meta.subarray(4 * s, 4 * s + 4), 4 * i)
    }
  }
}

/** FNV-1a over the id's UTF-16 units, then murmur3's finaliser (so the low bits spread). */
export function hashId(id: string): number {
  return hashRange(id, 0, id.length)
}

/** {@link hashId} of `text.slice(from, to)`, without making that string. */
export function hashRange(text: string, from: number, to: number): number {
  let h = 0x811c9dc5
  for (let i = from; i < to; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  return finish(h)
}

/**
 * {@link hashId} of an ASCII id held as bytes (`bytes[from..to)`, each byte below 0x80: its
 * UTF-16 units), without making the string.
 */
export function hashAsciiBytes(bytes: Uint8Array, from: number, to: number): number {
  let h = 0x811c9dc5
  for (let i = from; i < to; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193)
  return finish(h)
}

function finish(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return h ^ (h >>> 16)
}
