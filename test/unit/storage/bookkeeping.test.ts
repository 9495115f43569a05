import {
  cp,
  mkdtemp,
  readFile,
  readdir,
  rm,
  stat,
  unlink,
  utimes,
  writeFile,
} from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { FileCallStore } from '../../../src/main/storage/folder/fileCallStore'
import { FileRejectedLog } from '../../../src/main/storage/folder/rejectedLog'
import {
  indexPath,
  journalPath,
  metaPath,
  shardPath,
} from '../../../src/main/storage/folder/shardFiles'
import { indexRegions } from '../../../src/main/storage/folder/indexFile'
import { StorageProblems } from '../../../src/main/maintenance/problems'
import { checkDataFolder } from '../../../src/main/maintenance/check'
import type { StorageProblem } from '../../../src/shared/storage'
import { fakeClock, fields, logger, raw, ZONE } from './fixtures'

/**
 * Fault injection on the call store's bookkeeping and files, in a data folder laid out as the
 * app lays it out (`calls/` inside it), told as the app tells it (StorageProblems: what health
 * and the Connection screen list) and as `npm run doctor` tells it (checkDataFolder). Each case
 * counts the calls acknowledged before the fault and present after it, and every call missing
 * must be counted exactly by both, and named wherever anything still can name it.
 */
const NOW = '2026-03-15T12:00:00+05:30'
const folders: string[] = []
afterAll(async () => {
  for (const f of folders) await rm(f, { recursive: true, force: true })
})

interface Folder {
  dataDir: string
  calls: string
  acked: string[]
  /** Acknowledged after the last checkpoint: only in the journal. */
  journalled: string[]
}

async function newFolder(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'ivrs-bookkeeping-'))
  folders.push(d)
  return d
}

const open: FileCallStore[] = []
afterEach(async () => {
  await Promise.allSettled(open.splice(0).map((s) => s.close()))
})

async function openStore(
  dataDir: string,
  opts: { now?: string; scrubEveryMs?: number } = {},
): Promise<{ store: FileCallStore; problems: StorageProblems }> {
  const clock = fakeClock(opts.now ?? NOW)
  const problems = await StorageProblems.open({ dataDir, clock, logger })
  const store = await FileCallStore.open({
    dir: join(dataDir, 'calls'),
    timezone: ZONE,
    clock,
    logger,
    checkpointIntervalMs: 0,
    hotMonths: 1,
    reporter: problems,
    scrubEveryMs: opts.scrubEveryMs ?? 0,
  })
  open.push(store)
  return { store, problems }
}

const forget = (s: FileCallStore): void => void open.splice(open.indexOf(s), 1)

async function push(s: FileCallStore, prefix: string, date: string, n: number): Promise<string[]> {
  const ids: string[] = []
  for (let i = 0; i < n; i++) {
    const id = `${prefix}-${String(i).padStart(3, '0')}`
    const t = `1${i % 10}:${String(i % 60).padStart(2, '0')}:00`
    await s.upsert(fields(id, date, t), raw(id), '2026-03-15T06:00:00.000Z')
    ids.push(id)
  }
  return ids
}

/**
 * A folder as a crash leaves it: 40 calls in January and 40 in March in their month files
 * (checkpointed), then 30 more March calls only in the journal (the process killed).
 */
async function crashedFolder(): Promise<Folder> {
  const dataDir = await newFolder()
  const { store } = await openStore(dataDir)
  const sealed = [
    ...(await push(store, 'jan', '2026-01-10', 40)),
    ...(await push(store, 'mar', '2026-03-10', 40)),
  ]
  await store.checkpoint()
  const journalled = await push(store, 'late', '2026-03-12', 30)
  forget(store)
  return { dataDir, calls: join(dataDir, 'calls'), acked: [...sealed, ...journalled], journalled }
}

/** The same, closed cleanly: every call in the month files, the journal empty. */
async function closedFolder(): Promise<Folder> {
  const f = await crashedFolder()
  const { store } = await openStore(f.dataDir)
  forget(store)
  await store.close()
  return { ...f, journalled: [] }
}

/** A copy of a template folder (the store of the template is not open). */
async function copyOf(f: Folder): Promise<Folder> {
  const dataDir = await newFolder()
  // With the files' times: a copy is the same folder (its months need no new verification).
  await cp(f.dataDir, dataDir, { recursive: true, preserveTimestamps: true })
  return {
    dataDir,
    calls: join(dataDir, 'calls'),
    acked: [...f.acked],
    journalled: [...f.journalled],
  }
}

async function allIds(s: FileCallStore): Promise<Set<string>> {
  const out = new Set<string>()
  for await (const c of s.iterate({})) out.add(c.id)
  return out
}

/** Opens the folder: what is missing, what the app tells (health), what doctor told before. */
async function afterFault(f: Folder) {
  const doctor = await checkDataFolder(f.dataDir)
  const { store, problems } = await openStore(f.dataDir)
  const present = await allIds(store)
  await store.settled()
  const missing = f.acked.filter((id) => !present.has(id))
  return { doctor, problems: problems.list(), missing, store }
}

const lostIn = (problems: StorageProblem[]): number =>
  problems.reduce((n, p) => n + (p.lost?.count ?? 0), 0)

const flipBit = (buf: Buffer, at: number): void => void (buf[at] = buf[at]! ^ 0x01)

/**
 * Every value of a JSON document (strings, numbers, booleans, null; not objects or arrays), as
 * the byte offset of its first character, with its path.
 */
function leafOffsets(text: string): { path: string; at: number }[] {
  const out: { path: string; at: number }[] = []
  const re = /"([^"]+)":/g
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const v = m.index + m[0].length
    const c = text[v]!
    if (c === '{' || c === '[') continue
    // Inside a string value (its first character), else the value itself.
    out.push({ path: m[1]!, at: c === '"' && text[v + 1] !== '"' ? v + 1 : v })
  }
  return out
}

describe('meta.json, the sealed list of the store', () => {
  let template: Folder
  beforeAll(async () => {
    template = await crashedFolder()
  })

  it("the issue's case: journalSeq 2 made 3 (one bit) does not delete the journal; doctor and health tell", async () => {
    const f = await copyOf(template)
    const text = await readFile(metaPath(f.calls), 'utf8')
    expect(text).toContain('"journalSeq":2')
    await writeFile(metaPath(f.calls), text.replace('"journalSeq":2', '"journalSeq":3'))
    const r = await afterFault(f)
    expect(r.doctor.ok).toBe(false)
    expect(r.doctor.findings).toContainEqual(
      expect.objectContaining({ level: 'damage', file: 'calls/meta.json' }),
    )
    expect(r.missing).toEqual([])
    expect(r.problems.map((p) => p.id)).toEqual(['document-set-aside:meta'])
    expect(r.problems[0]!.keptAt).toMatch(/^calls\/damaged\/meta\.json\./)
    // The journal was replayed and kept until a checkpoint seals its calls.
    expect(await readdir(join(f.calls, 'journal'))).toContain('00000002.jsonl')
  })

  it('a bit flipped in each field: every call is still there, and the damage is told', async () => {
    const text = await readFile(metaPath(template.calls), 'utf8')
    const leaves = leafOffsets(text)
    // Every member of the list: the store's own and each month's, and the checksum.
    expect(leaves.map((l) => l.path)).toEqual(
      expect.arrayContaining(['v', 'timezone', 'journalSeq', 'nextSeq', 'lastPushAt', 'closed']),
    )
    expect(leaves.filter((l) => l.path === 'verifiedAt')).toHaveLength(2)
    expect(leaves.at(-1)!.path).toBe('crc')
    for (const leaf of leaves) {
      const f = await copyOf(template)
      const bytes = await readFile(metaPath(f.calls))
      flipBit(bytes, leaf.at)
      await writeFile(metaPath(f.calls), bytes)
      const r = await afterFault(f)
      expect(r.missing, leaf.path).toEqual([])
      expect(r.doctor.ok, leaf.path).toBe(false)
      expect(
        r.problems.map((p) => p.id),
        leaf.path,
      ).toEqual(['document-set-aside:meta'])
      await r.store.close()
      forget(r.store)
    }
  }, 120_000)
})

describe('each file of the store deleted in turn', () => {
  let crashed: Folder
  let closed: Folder
  beforeAll(async () => {
    crashed = await crashedFolder()
    closed = await closedFolder()
  })

  it('a month file: its calls are counted from the list and named by its index', async () => {
    const f = await copyOf(crashed)
    await unlink(shardPath(f.calls, '2026-01'))
    const r = await afterFault(f)
    const jan = f.acked.filter((id) => id.startsWith('jan-'))
    expect(r.missing).toEqual(jan)
    const told = r.problems.find((p) => p.kind === 'file-missing')!
    expect(told.file).toBe('calls/shards/2026-01.json')
    expect(told.lost!.count).toBe(40)
    expect([...told.lost!.ids].sort()).toEqual(jan)
    expect(told.summary).toContain('It held 40 calls')
    expect(lostIn(r.problems)).toBe(40)
    const d = r.doctor.findings.find((x) => x.file === 'calls/shards/2026-01.json')!
    expect(d.level).toBe('damage')
    expect(d.message).toContain('it held 40 calls (named by its index)')
    expect(d.message).toContain('40 lost: jan-000')
  })

  it('a month file whose calls the journal still holds: those are found again, the rest counted', async () => {
    const f = await copyOf(crashed)
    // New versions of five of March's calls, journalled after the checkpoint (then the crash).
    const { store } = await openStore(f.dataDir)
    for (const id of ['mar-000', 'mar-001', 'mar-002', 'mar-003', 'mar-004'])
      await store.upsert(
        fields(id, '2026-03-10', '10:00:00', { department: 'Support' }),
        raw(id),
        '2026-03-15T06:30:00.000Z',
      )
    forget(store)
    await unlink(shardPath(f.calls, '2026-03'))
    const r = await afterFault(f)
    const march = f.acked.filter((id) => id.startsWith('mar-'))
    expect(r.missing).toEqual(march.slice(5))
    const told = r.problems.find((p) => p.kind === 'file-missing')!
    expect(told.lost!.count).toBe(35)
    expect([...told.lost!.ids].sort()).toEqual(march.slice(5))
    expect(told.summary).toContain('5 calls of them were found again in the journal')
    expect(
      r.doctor.findings.find((x) => x.file === 'calls/shards/2026-03.json')!.message,
    ).toContain('5 are still in the journal; 35 lost')
  })

  it("a month's index: rebuilt from its month, nothing lost", async () => {
    const f = await copyOf(crashed)
    await unlink(indexPath(f.calls, '2026-03'))
    const r = await afterFault(f)
    expect(r.missing).toEqual([])
    expect(r.problems).toEqual([])
    expect(r.doctor.findings).toContainEqual(
      expect.objectContaining({ level: 'warning', file: 'calls/shards/2026-03.idx' }),
    )
  })

  it('meta.json: nothing lost, and told (the list could not be checked this once)', async () => {
    const f = await copyOf(crashed)
    await unlink(metaPath(f.calls))
    const r = await afterFault(f)
    expect(r.missing).toEqual([])
    expect(r.problems.map((p) => [p.kind, p.file])).toEqual([['file-missing', 'calls/meta.json']])
    expect(r.doctor.ok).toBe(false)
  })

  it('the journal after a crash: the calls since the last save are lost, and said to be uncountable', async () => {
    const f = await copyOf(crashed)
    await unlink(journalPath(f.calls, 2))
    const r = await afterFault(f)
    expect(r.missing).toEqual(f.journalled)
    const told = r.problems.find((p) => p.kind === 'file-missing')!
    expect(told.file).toBe('calls/journal/00000002.jsonl')
    expect(told.lost).toBeNull()
    expect(told.summary).toContain('how many there were cannot be told')
    expect(r.doctor.findings).toContainEqual(
      expect.objectContaining({
        level: 'damage',
        file: 'calls/journal/00000002.jsonl',
        message: expect.stringContaining('how many cannot be told'),
      }),
    )
  })

  it('the journal of a store closed cleanly: it held nothing, and its absence is told', async () => {
    const f = await copyOf(closed)
    const [journal] = await readdir(join(f.calls, 'journal'))
    await unlink(join(f.calls, 'journal', journal!))
    const r = await afterFault(f)
    expect(r.missing).toEqual([])
    const told = r.problems.find((p) => p.kind === 'file-missing')!
    expect(told.lost).toBeNull()
    expect(told.summary).toContain('It held no call')
  })

  it('a journal followed by a later one (a checkpoint cut short): counted exactly from the numbers', async () => {
    const f = await copyOf(crashed)
    // What a checkpoint interrupted after switching journals leaves: meta.json still names
    // journal 2, and journal 3 holds the pushes after the switch.
    const meta = await readFile(metaPath(f.calls))
    const j2 = await readFile(journalPath(f.calls, 2))
    const { store } = await openStore(f.dataDir)
    await store.checkpoint()
    const after = await push(store, 'after', '2026-03-13', 12)
    forget(store)
    await writeFile(metaPath(f.calls), meta)
    await writeFile(journalPath(f.calls, 2), j2)
    f.acked.push(...after)
    // Then journal 2 goes missing. The numbers count the 30 records it held; the checkpoint cut
    // short may have sealed them into months (here it did), so up to 30 are said lost.
    await unlink(journalPath(f.calls, 2))
    const r = await afterFault(f)
    expect(r.missing).toEqual([])
    const told = r.problems.find((p) => p.kind === 'file-missing')!
    expect(told.file).toBe('calls/journal/00000002.jsonl')
    expect(told.summary).toContain('It held 30 acknowledged pushes')
    expect(told.summary).toContain('up to 30 may be lost')
    expect(r.doctor.findings).toContainEqual(
      expect.objectContaining({
        file: 'calls/journal/00000002.jsonl',
        message: expect.stringContaining('missing: up to 30 acknowledged pushes lost'),
      }),
    )
  })

  it('a journal followed by a later one, cut short before any month was written: counted exactly', async () => {
    const f = await copyOf(crashed)
    // What a checkpoint cut short right after switching journals leaves: meta.json names journal
    // 2, whose last 10 records went to journal 3 instead, and no month file was written yet.
    const lines = (await readFile(journalPath(f.calls, 2), 'utf8')).split('\n').filter(Boolean)
    expect(lines).toHaveLength(30)
    await writeFile(journalPath(f.calls, 2), lines.slice(0, 20).join('\n') + '\n')
    await writeFile(journalPath(f.calls, 3), lines.slice(20).join('\n') + '\n')
    // Then journal 2 goes missing: its 20 records are lost, counted from journal 3's numbers.
    await unlink(journalPath(f.calls, 2))
    const r = await afterFault(f)
    expect(r.missing).toEqual(f.journalled.slice(0, 20))
    const told = r.problems.find((p) => p.kind === 'file-missing')!
    expect(told.lost).toEqual({ count: 20, ids: [] })
    expect(told.summary).toContain('It held 20 acknowledged pushes')
    expect(r.doctor.findings).toContainEqual(
      expect.objectContaining({
        file: 'calls/journal/00000002.jsonl',
        message: expect.stringContaining('missing: 20 acknowledged pushes lost'),
      }),
    )
  })
})

describe('zeroed blocks in the journal', () => {
  let template: Folder
  beforeAll(async () => {
    template = await crashedFolder()
  })

  for (const where of ['start', 'middle', 'before the last record'] as const)
    it(`4 KiB of zeros at the ${where}: the records lost are counted exactly, and named where their start survived`, async () => {
      const f = await copyOf(template)
      const path = journalPath(f.calls, 2)
      const data = await readFile(path)
      const lastLine = data.lastIndexOf(10, data.length - 2) + 1
      const at =
        where === 'start'
          ? 0
          : where === 'middle'
            ? Math.floor(data.length / 2) - 2048
            : lastLine - 4096 - 10
      data.fill(0, at, at + 4096)
      await writeFile(path, data)
      const r = await afterFault(f)
      expect(r.missing.length).toBeGreaterThan(0)
      const told = r.problems.find((p) => p.kind === 'records-skipped')!
      // Every missing call is counted (each was one record), and those named are among them.
      expect(told.lost!.count).toBe(r.missing.length)
      expect(r.missing).toEqual(expect.arrayContaining(told.lost!.ids))
      if (where !== 'start') expect(told.lost!.ids.length).toBeGreaterThan(0)
      expect(told.summary).toContain(`${r.missing.length} acknowledged push`)
      const d = r.doctor.findings.find((x) => x.message.includes('acknowledged push'))!
      expect(d.message).toMatch(new RegExp(`^${r.missing.length} acknowledged push`))
    })
})

describe('other bookkeeping files', () => {
  it("a bit flipped in each region of a month's index: rebuilt from its month, nothing lost", async () => {
    const template = await closedFolder()
    const idx = await readFile(indexPath(template.calls, '2026-01'))
    const regions = indexRegions(idx)
    expect(regions.map((x) => x.name)).toEqual(
      expect.arrayContaining([
        'magic',
        'version',
        'crc',
        'rows',
        'header',
        'hash',
        'callers',
        'ids',
      ]),
    )
    for (const region of regions) {
      const f = await copyOf(template)
      const bytes = await readFile(indexPath(f.calls, '2026-01'))
      flipBit(bytes, region.at)
      await writeFile(indexPath(f.calls, '2026-01'), bytes)
      const r = await afterFault(f)
      expect(r.missing, region.name).toEqual([])
      expect(r.problems, region.name).toEqual([])
      expect(
        r.doctor.findings.some((x) => x.file === 'calls/shards/2026-01.idx'),
        region.name,
      ).toBe(true)
      await r.store.close()
      forget(r.store)
    }
  }, 120_000)

  it('a bit flipped in each field of the problem record: set aside, and told', async () => {
    const f = await closedFolder()
    const first = await StorageProblems.open({ dataDir: f.dataDir, clock: fakeClock(NOW), logger })
    first.problem({
      id: 'month-set-aside:2026-01',
      kind: 'month-set-aside',
      file: shardPath(f.calls, '2026-01'),
      summary: 'The call file of 2026-01 was damaged. 1 call could not be read back.',
      advice: 'Restore it.',
      lost: { count: 1, ids: ['jan-007'] },
    })
    await first.flushed()
    const path = join(f.dataDir, 'storage-problems.json')
    const template = await readFile(path, 'utf8')
    for (const leaf of leafOffsets(template)) {
      const bytes = Buffer.from(template)
      flipBit(bytes, leaf.at)
      await writeFile(path, bytes)
      const again = await StorageProblems.open({
        dataDir: f.dataDir,
        clock: fakeClock(NOW),
        logger,
      })
      const listed = again.list()
      expect(
        listed.map((p) => p.id),
        leaf.path,
      ).toEqual(['document-set-aside:storage-problems'])
      expect(await readFile(join(f.dataDir, listed[0]!.keptAt!), 'utf8'), leaf.path).toBe(
        bytes.toString(),
      )
      await again.flushed()
      await writeFile(path, template)
    }
  }, 120_000)

  it('a bit flipped in each field of the rejected log archive count: counted again, exactly', async () => {
    const dir = join(await newFolder(), 'rejected')
    const clock = fakeClock(NOW)
    const log = await FileRejectedLog.open({ dir, clock, entriesPerFile: 5 })
    for (let i = 0; i < 23; i++)
      await log.append({
        receivedAt: '2026-03-15T06:00:00.000Z',
        method: 'GET',
        params: { calllogid: String(i) },
        reason: 'test',
        fields: [],
        remoteAddress: null,
      })
    await log.close()
    const reopen = async (): Promise<number> => {
      const l = await FileRejectedLog.open({ dir, clock, entriesPerFile: 5 })
      const n = l.count()
      await l.close()
      return n
    }
    expect(await reopen()).toBe(23)
    const path = join(dir, 'archived.json')
    const template = await readFile(path, 'utf8')
    for (const leaf of leafOffsets(template)) {
      const bytes = Buffer.from(template)
      flipBit(bytes, leaf.at)
      await writeFile(path, bytes)
      expect(await reopen(), leaf.path).toBe(23)
    }
  }, 120_000)
})

describe('a month verified once is remembered; the scrub reads it again', () => {
  it('a restart trusts an unchanged month; a changed one is checked at start, a rotten one by the scrub', async () => {
    const f = await closedFolder()
    const jan = shardPath(f.calls, '2026-01')
    // Rot: one digit of a caller number changes while the file keeps its size and time, as a
    // failing disk does it (no write the file system saw).
    const before = await stat(jan)
    const doc = await readFile(jan)
    const at = doc.indexOf('"callerNumber":"+919876543210"') + '"callerNumber":"+91987'.length
    doc[at] = doc[at] === 0x39 ? 0x38 : 0x39
    await writeFile(jan, doc)
    await utimes(jan, before.atime, before.mtime)

    // Start-up compares size, time and seal with the list: unchanged, so not read again.
    const first = await openStore(f.dataDir)
    await first.store.settled()
    expect(first.problems.list()).toEqual([])
    await first.store.close()
    forget(first.store)

    // A week later the scrub reads every month whole again: the rot is found and contained.
    const later = await openStore(f.dataDir, {
      now: '2026-03-23T12:00:00+05:30',
      scrubEveryMs: 7 * 86_400_000,
    })
    await later.store.settled()
    expect(later.problems.list()).toEqual([])
    expect(await later.store.scrubNow()).toBe('2026-01')
    const told = later.problems.list()
    expect(told.map((p) => p.kind)).toEqual(['month-set-aside'])
    expect(told[0]!.lost).toEqual({ count: 1, ids: ['jan-000'] })
    // March was written when January was: due too, and intact.
    expect(await later.store.scrubNow()).toBe('2026-03')
    expect(await later.store.scrubNow()).toBeNull()
    await later.store.close()
    forget(later.store)

    // A month changed with a write (its time moves) is checked at start-up.
    const f2 = await closedFolder()
    const mar = shardPath(f2.calls, '2026-03')
    const m = await readFile(mar)
    const k = m.indexOf('"callerNumber":"+919876543210"') + '"callerNumber":"+91987'.length
    m[k] = m[k] === 0x39 ? 0x38 : 0x39
    await writeFile(mar, m)
    const next = await openStore(f2.dataDir)
    await next.store.settled()
    expect(next.problems.list().map((p) => p.kind)).toEqual(['month-set-aside'])
  }, 120_000)
})
