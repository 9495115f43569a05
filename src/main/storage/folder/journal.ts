import { open, readFile, type FileHandle } from 'node:fs/promises'
import { crc32 } from 'node:zlib'
import { fsyncDir, writeFileDurable } from '../../dataFolder/durableFile'
import { dirname } from 'node:path'
import { checkOwner, fenceOf, type FolderFence } from '../../dataFolder/fence'

/**
 * The I/O a journal performs, as a seam: tests count or fail fsyncs without touching the disk
 * layer. The default writes with `FileHandle.write` and makes data durable with `datasync`.
 */
export interface JournalIo {
  write(fh: FileHandle, buf: Buffer): Promise<void>
  sync(fh: FileHandle): Promise<void>
}

export const defaultJournalIo: JournalIo = {
  async write(fh, buf) {
    let off = 0
    while (off < buf.length) {
      const { bytesWritten } = await fh.write(buf, off, buf.length - off)
      off += bytesWritten
    }
  },
  sync: (fh) => fh.datasync(),
}

/** A complete line in the middle of a journal that failed its checksum (a damaged record). */
export interface SkippedRecord {
  /** Byte offset of the line in the journal file. */
  offset: number
  length: number
}

/**
 * A record of a damaged region that could still be named: its sequence number and call id, read
 * from the start of the record where it survived (a block zeroed or overwritten further on).
 */
export interface Fragment {
  q: number
  id: string
}

/** What replaying a journal file found. */
export interface ReplayResult<T> {
  records: T[]
  /** Bytes of a torn last record (a crash in the middle of a write) that were cut off. */
  truncatedBytes: number
  /** Damaged records that were skipped; replay went on with the next intact one. */
  skipped: SkippedRecord[]
  /** Where the cut and skipped bytes were kept (mode 0600), or null when there were none. */
  asidePath: string | null
  /** Records of the skipped and cut bytes whose number and id could still be read. */
  fragments: Fragment[]
  /** Length of the file once replayed (after a torn last record was cut). */
  bytes: number
}

/**
 * One record per line: `<crc32 of the JSON, 8 hex digits> <JSON>\n`. JSON.stringify never emits
 * a raw newline, so a line is a record; the checksum tells a complete record from a torn one.
 */
export function encodeRecord(record: unknown): Buffer {
  return encodeJsonRecord(JSON.stringify(record))
}

const HEX = '0123456789abcdef'

/**
 * {@link encodeRecord} of a record already in JSON text. The line is encoded to UTF-8 once and
 * the checksum taken over those bytes (no second conversion of the text), then written in front.
 */
export function encodeJsonRecord(json: string): Buffer {
  const buf = Buffer.from(`00000000 ${json}\n`, 'utf8')
  let crc = crc32(buf.subarray(9, buf.length - 1))
  for (let i = 7; i >= 0; i--) {
    buf[i] = HEX.charCodeAt(crc & 15)
    crc >>>= 4
  }
  return buf
}

/** What {@link scanJournal} found in a journal's bytes (nothing is changed on disk). */
export interface JournalScan<T> {
  records: T[]
  skipped: SkippedRecord[]
  /** Offset where a torn last record (no newline) starts; `data.length` when there is none. */
  end: number
}

/**
 * Reads every intact record of a journal's bytes. A line failing its checksum is skipped and the
 * scan goes on with the next line; inside a bad line the scan looks for the start of a record
 * (a newline flipped into another byte merges two lines), so one damaged byte costs one record.
 */
export function scanJournal<T>(data: Buffer): JournalScan<T> {
  const records: T[] = []
  const skipped: SkippedRecord[] = []
  let pos = 0
  while (pos < data.length) {
    const nl = data.indexOf(10, pos)
    if (nl < 0) break
    const line = data.toString('utf8', pos, nl)
    const parsed = decodeLine<T>(line)
    if (parsed !== undefined) records.push(parsed)
    else {
      const tail = resync<T>(data, pos, nl)
      skipped.push({ offset: pos, length: (tail ? tail.at : nl + 1) - pos })
      if (tail) records.push(tail.record)
    }
    pos = nl + 1
  }
  return { records, skipped, end: pos }
}

const RECORD_START = Buffer.from(' {')
const isHex = (b: number): boolean => (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x66)

/** The first intact record that starts inside the damaged line [pos, nl) and runs to its end. */
function resync<T>(data: Buffer, pos: number, nl: number): { at: number; record: T } | undefined {
  for (let sp = data.indexOf(RECORD_START, pos + 9); sp >= 0 && sp < nl;) {
    const at = sp - 8
    let hex = true
    for (let i = at; i < sp && hex; i++) hex = isHex(data[i]!)
    if (hex) {
      const record = decodeLine<T>(data.toString('utf8', at, nl))
      if (record !== undefined) return { at, record }
    }
    sp = data.indexOf(RECORD_START, sp + 1)
  }
  return undefined
}

/** The start of a sequenced record: its number and, for a call record, the call's id. */
// JSON strings hold no raw control character: the id ends at the first one (a zeroed block).
// eslint-disable-next-line no-control-regex
const FRAGMENT_RE = /\{"q":(\d+),"[cu]":\{"id":("(?:[^"\\\u0000-\u001f]|\\.){1,512}")/g

/** The records that can still be named inside damaged bytes (see {@link Fragment}). */
export function fragmentsIn(bytes: Buffer): Fragment[] {
  const out: Fragment[] = []
  for (const m of bytes.toString('utf8').matchAll(FRAGMENT_RE)) {
    try {
      out.push({ q: Number(m[1]), id: JSON.parse(m[2]!) as string })
    } catch {
      // An id cut inside an escape: not nameable.
    }
  }
  return out
}

/**
 * Reads every intact record of the journal at `path` (see {@link scanJournal}). A torn last
 * record (a crash in the middle of a write) is cut off the file so appends continue from a clean
 * end. The cut bytes and every skipped record are kept, with their offsets, in
 * `<path>.damaged-<time>` (mode 0600: they hold callers' numbers), so nothing is silently lost.
 * A missing file is an empty journal.
 */
export async function replayJournal<T>(path: string, now = Date.now()): Promise<ReplayResult<T>> {
  let data: Buffer
  try {
    data = await readFile(path)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      return {
        records: [],
        truncatedBytes: 0,
        skipped: [],
        asidePath: null,
        fragments: [],
        bytes: 0,
      }
    throw err
  }
  const { records, skipped, end } = scanJournal<T>(data)
  const fragments = skipped.flatMap((sk) =>
    fragmentsIn(data.subarray(sk.offset, sk.offset + sk.length)),
  )
  // A last record complete but for its newline (that one byte damaged) is kept: only its newline
  // is written again.
  const whole = end < data.length ? decodeLine<T>(data.toString('utf8', end)) : undefined
  if (whole !== undefined) {
    records.push(whole)
    checkOwner(path)
    const fh = await open(path, 'a')
    try {
      await fh.write('\n')
      await fh.sync()
    } finally {
      await fh.close()
    }
    return {
      records,
      truncatedBytes: 0,
      skipped,
      asidePath: await keepAside(path, now, data, skipped, 0),
      fragments,
      bytes: data.length + 1,
    }
  }
  const truncatedBytes = data.length - end
  fragments.push(...fragmentsIn(data.subarray(end)))
  const asidePath = await keepAside(path, now, data, skipped, truncatedBytes)
  if (truncatedBytes > 0) {
    checkOwner(path)
    const fh = await open(path, 'r+')
    try {
      await fh.truncate(end)
      await fh.sync()
    } finally {
      await fh.close()
    }
  }
  return { records, truncatedBytes, skipped, asidePath, fragments, bytes: end }
}

/**
 * Writes the skipped records and a torn tail to `<path>.damaged-<now>` (mode 0600), one JSON line
 * per piece with its offset, its exact bytes (base64) and their text; null when there are none.
 */
async function keepAside(
  path: string,
  now: number,
  data: Buffer,
  skipped: SkippedRecord[],
  tornBytes: number,
): Promise<string | null> {
  const pieces = skipped.map((s) => ({ ...s, kind: 'skipped' }))
  if (tornBytes > 0)
    pieces.push({ offset: data.length - tornBytes, length: tornBytes, kind: 'torn' })
  if (pieces.length === 0) return null
  const lines = pieces.map((p) => {
    const bytes = data.subarray(p.offset, p.offset + p.length)
    return JSON.stringify({ ...p, base64: bytes.toString('base64'), text: bytes.toString() })
  })
  const aside = `${path}.damaged-${now}`
  await writeFileDurable(aside, lines.join('\n') + '\n')
  return aside
}

function decodeLine<T>(line: string): T | undefined {
  if (line.length < 10 || line[8] !== ' ') return undefined
  const json = line.slice(9)
  const crc = parseInt(line.slice(0, 8), 16)
  if (!Number.isFinite(crc) || crc32(json) !== crc) return undefined
  try {
    return JSON.parse(json) as T
  } catch {
    return undefined
  }
}

/** The records waiting for the next batch, and the one promise they all settle with. */
interface Batch {
  /** Whole lines, or (sequenced journals) the members each line's JSON gets after its number. */
  bufs: Buffer[]
  done: Promise<void>
  resolve: () => void
  reject: (err: unknown) => void
}

function newBatch(): Batch {
  let resolve!: () => void
  let reject!: (err: unknown) => void
  const done = new Promise<void>((res, rej) => {
    resolve = res
    reject = rej
  })
  // Every append awaits `done`; this keeps a failed batch from also counting as unhandled.
  done.catch(() => {})
  return { bufs: [], done, resolve, reject }
}

/**
 * An append-only journal with group commit: appends that arrive while a write + fsync is in
 * flight are queued and written together with one write and one fsync, so many concurrent
 * appends share the cost of one disk flush. Every `append` resolves only after the fsync that
 * covers its record; if the write or fsync fails, every append of that batch rejects and the
 * file is cut back to its last durable length.
 */
export class Journal {
  /** fsyncs performed (observable for tests and benchmarks). */
  syncCount = 0
  /** Records made durable. */
  recordCount = 0
  /** Appends not yet being written (they share one promise: no promise per record). */
  private next: Batch = newBatch()
  private draining: Promise<void> | null = null
  private scheduled = false
  private paused = false
  private closed = false

  private constructor(
    private fh: FileHandle,
    private size: number,
    private path: string,
    private readonly io: JournalIo,
    /** The owned data folder's fence, when the journal is in one (see fence.ts). */
    private readonly fence: FolderFence | null,
    /** The number the next record gets (sequenced journals), null for plain ones. */
    private seq: number | null,
  ) {}

  /**
   * Opens (creating if needed) the journal at `path` for appending after its current end.
   * `firstSeq` makes it a sequenced journal: each record gets the next number, `{"q":N,...}`,
   * stamped when its batch is written (a batch the disk refused uses no number), so a gap in the
   * numbers counts exactly the records lost to damage.
   */
  static async open(
    path: string,
    io: JournalIo = defaultJournalIo,
    firstSeq?: number,
  ): Promise<Journal> {
    const fence = fenceOf(path)
    fence?.check()
    const { fh, size } = await openForAppend(path)
    return new Journal(fh, size, path, io, fence, firstSeq ?? null)
  }

  /** The number the next record of a sequenced journal gets. */
  get nextSeq(): number {
    if (this.seq === null) throw new Error('not a sequenced journal')
    return this.seq
  }

  /** Whether the journal may cut its file back: not in a folder this process no longer owns. */
  private stillOwner(): boolean {
    try {
      this.fence?.check()
      return true
    } catch {
      return false
    }
  }

  /** Bytes durably in the current file. */
  get bytes(): number {
    return this.size
  }

  get currentPath(): string {
    return this.path
  }

  /** Appends one record; resolves once it is fsync'd. */
  append(record: unknown): Promise<void> {
    let json: string
    try {
      json = JSON.stringify(record)
    } catch (err) {
      return Promise.reject(err)
    }
    return this.appendJson(json)
  }

  /** Appends one record given as its JSON text (one line: no raw newline); resolves once fsync'd. */
  appendJson(json: string): Promise<void> {
    return this.appendEncoded(encodeJsonRecord(json))
  }

  /** Appends one line made by {@link encodeJsonRecord}; resolves once it is fsync'd. */
  appendEncoded(buf: Buffer): Promise<void> {
    if (this.seq !== null) return Promise.reject(new Error('a sequenced journal takes members'))
    return this.enqueue(buf)
  }

  /**
   * Appends one record to a sequenced journal: `members` is the UTF-8 of the record's JSON
   * members after its number (`"c":{...}`); the line becomes `<crc> {"q":N,<members>}`.
   * Resolves once it is fsync'd.
   */
  appendMembers(members: Buffer): Promise<void> {
    if (this.seq === null) return Promise.reject(new Error('not a sequenced journal'))
    return this.enqueue(members)
  }

  private enqueue(buf: Buffer): Promise<void> {
    if (this.closed) return Promise.reject(new Error('journal is closed'))
    const batch = this.next
    batch.bufs.push(buf)
    this.kick()
    return batch.done
  }

  /**
   * Makes later appends go to a new file at `path` (checkpoint rotation). Resolves once every
   * record appended before the call is durable in the old file and the new file exists durably,
   * with the old file's final length and (sequenced journals) the number of the new file's first
   * record.
   */
  async switchTo(path: string): Promise<{ oldBytes: number; firstSeq: number | null }> {
    this.paused = true
    try {
      // Flush what was queued before the switch into the old file.
      await this.flushAll()
      this.fence?.check()
      const { fh, size } = await openForAppend(path)
      const old = this.fh
      const oldBytes = this.size
      this.fh = fh
      this.size = size
      this.path = path
      await old.close()
      return { oldBytes, firstSeq: this.seq }
    } finally {
      this.paused = false
      this.kick()
    }
  }

  /** Waits until everything appended so far is durable. */
  async flush(): Promise<void> {
    await this.flushAll()
  }

  /** Flushes and closes the file. Later appends reject. */
  async close(): Promise<void> {
    if (this.closed) return
    await this.flushAll()
    this.closed = true
    await this.fh.close()
  }

  private async flushAll(): Promise<void> {
    for (;;) {
      if (this.draining) await this.draining
      else if (this.next.bufs.length > 0) {
        this.draining = this.drain()
        await this.draining
      } else return
    }
  }

  private kick(): void {
    if (this.paused || this.draining || this.scheduled) return
    // Start on the next microtask so appends issued in the same tick share the first batch.
    this.scheduled = true
    queueMicrotask(() => {
      this.scheduled = false
      if (!this.paused && !this.draining && this.next.bufs.length > 0) this.draining = this.drain()
    })
  }

  private async drain(): Promise<void> {
    // Never done before its caller has stored the promise in `draining` (a batch refused before
    // its first await would otherwise clear `draining` first and leave a settled promise there).
    await Promise.resolve()
    try {
      while (this.next.bufs.length > 0) {
        const batch = this.next
        this.next = newBatch()
        const { bufs } = batch
        const buf =
          this.seq !== null
            ? numbered(bufs, this.seq)
            : bufs.length === 1
              ? bufs[0]!
              : Buffer.concat(bufs)
        try {
          // Not written at all by a process that already lost the folder (one thawed after a
          // takeover, before its lock's timer has noticed): the new owner's journal is not ours.
          this.fence?.check()
          await this.io.write(this.fh, buf)
          await this.io.sync(this.fh)
          // Still the folder's owner once the batch is durable: nothing is acknowledged by a
          // process that lost the folder. (Checked after the fsync: a new owner takes the folder
          // over before it replays this journal, so a batch that passes here is in its replay.)
          this.fence?.check()
        } catch (err) {
          // Cut the file back so a half-written batch cannot be replayed as if accepted; never
          // in a folder this process lost, where the new owner may have appended after it.
          if (this.stillOwner()) await this.fh.truncate(this.size).catch(() => {})
          batch.reject(err)
          continue
        }
        this.size += buf.length
        if (this.seq !== null) this.seq += bufs.length
        this.syncCount++
        this.recordCount += bufs.length
        batch.resolve()
      }
    } finally {
      this.draining = null
    }
  }
}

const LINE_END = Buffer.from('}\n')

/** The lines of a sequenced batch: record `i` gets number `first + i` and its checksum. */
function numbered(members: readonly Buffer[], first: number): Buffer {
  const parts: Buffer[] = []
  let total = 0
  for (let i = 0; i < members.length; i++) {
    const head = Buffer.from(`00000000 {"q":${first + i},`, 'latin1')
    let crc = crc32(head.subarray(9))
    crc = crc32(members[i]!, crc)
    crc = crc32(LINE_END.subarray(0, 1), crc)
    for (let k = 7; k >= 0; k--) {
      head[k] = HEX.charCodeAt(crc & 15)
      crc >>>= 4
    }
    parts.push(head, members[i]!, LINE_END)
    total += head.length + members[i]!.length + 2
  }
  return Buffer.concat(parts, total)
}

async function openForAppend(path: string): Promise<{ fh: FileHandle; size: number }> {
  const fh = await open(path, 'a', 0o600)
  const { size } = await fh.stat()
  // The file may be new: make its directory entry durable before any record relies on it.
  await fsyncDir(dirname(path))
  return { fh, size }
}
