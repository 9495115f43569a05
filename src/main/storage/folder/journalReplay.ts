import { replayJournal, type Fragment, type ReplayResult } from './journal'
import { journalPath, listJournals } from './shardFiles'

/** A record as replay reads it: its number (absent before records were numbered) and content. */
export interface NumberedRecord {
  q?: number
}

/** What the record numbers of one journal file say was lost. */
export interface JournalLoss {
  seq: number
  /** Acknowledged records lost in this file: gaps in the numbers (after the sealed ones). */
  lost: number
  /** Ids of the lost records that something still names (fragments of their bytes). */
  ids: string[]
  /** The numbers lost, as ranges (inclusive). */
  gaps: [number, number][]
  /** Records lost before this file's first record, when the journal before it is missing. */
  lostBefore: number
  idsBefore: string[]
  gapsBefore: [number, number][]
  /** The number of its first intact numbered record, if any. */
  firstQ: number | null
}

/** One journal file as read: the numbers of its intact records, in order, and its fragments. */
export interface JournalNumbers {
  seq: number
  numbers: readonly (number | undefined)[]
  fragments: readonly Fragment[]
}

/**
 * Counts what damage cost from the record numbers of the journals present (in order). Records
 * from `nextSeq` on (the first one not yet in a sealed month, per meta.json) must be numbered
 * without gaps, so a gap counts exactly the acknowledged records lost, and a damaged region whose
 * record starts survived names them. Records below it are in the month files already: damage
 * among them costs nothing. With no `nextSeq` (meta.json old or damaged) nothing is counted.
 */
export function accountJournals(
  journals: readonly JournalNumbers[],
  meta: { journalSeq: number; nextSeq: number | null },
): { losses: JournalLoss[]; nextSeq: number } {
  const floor = meta.nextSeq
  const present = new Set(journals.map((j) => j.seq))
  const fragments = journals.flatMap((j) => j.fragments)
  const named = (from: number, to: number): string[] =>
    fragments.filter((f) => f.q >= from && f.q <= to).map((f) => f.id)
  let last: number | null = floor === null ? null : floor - 1
  const losses: JournalLoss[] = []
  for (const j of journals) {
    const loss: JournalLoss = {
      seq: j.seq,
      lost: 0,
      ids: [],
      gaps: [],
      lostBefore: 0,
      idsBefore: [],
      gapsBefore: [],
      firstQ: null,
    }
    losses.push(loss)
    for (const q of j.numbers) {
      if (typeof q !== 'number') continue
      if (last !== null && floor !== null) {
        const from = Math.max(last + 1, floor)
        if (q > from) {
          // Lost before this file's first record while the file before it (one the list
          // covers) is missing: the missing file held them.
          if (loss.firstQ === null && !present.has(j.seq - 1) && j.seq - 1 >= meta.journalSeq) {
            loss.lostBefore += q - from
            loss.idsBefore.push(...named(from, q - 1))
            loss.gapsBefore.push([from, q - 1])
          } else {
            loss.lost += q - from
            loss.ids.push(...named(from, q - 1))
            loss.gaps.push([from, q - 1])
          }
        }
      }
      if (last === null || q > last) last = q
      if (loss.firstQ === null) loss.firstQ = q
    }
  }
  return { losses, nextSeq: last === null ? (floor ?? 1) : last + 1 }
}

/** What replay found in one journal file. */
export interface JournalFinding<T> extends JournalLoss {
  file: string
  res: ReplayResult<T>
}

/** What replaying every journal of a store found. */
export interface ReplayFindings<T> {
  journals: JournalFinding<T>[]
  /** Journal numbers present. */
  present: number[]
  /** The number the next record gets. */
  nextSeq: number
  /** The highest journal number present (or the one meta.json names). */
  lastJournal: number
  records: number
}

/**
 * Replays every journal present, in order, handing each intact record to `apply`, and counts
 * what damage cost ({@link accountJournals}). No journal is removed here, whatever meta.json
 * says: a journal is retired only by the checkpoint that sealed its records into months.
 */
export async function replayJournals<T extends NumberedRecord>(
  dir: string,
  meta: { journalSeq: number; nextSeq: number | null },
  now: number,
  apply: (rec: T) => Promise<void>,
): Promise<ReplayFindings<T>> {
  const present = await listJournals(dir)
  const read: { seq: number; file: string; res: ReplayResult<T> }[] = []
  let records = 0
  for (const seq of present) {
    const file = journalPath(dir, seq)
    const res = await replayJournal<T>(file, now)
    read.push({ seq, file, res })
    for (const rec of res.records) await apply(rec)
    records += res.records.length
  }
  const { losses, nextSeq } = accountJournals(
    read.map((r) => ({
      seq: r.seq,
      numbers: r.res.records.map((rec) => rec.q),
      fragments: r.res.fragments,
    })),
    meta,
  )
  return {
    journals: read.map((r, i) => ({ ...losses[i]!, file: r.file, res: r.res })),
    present,
    nextSeq,
    lastJournal: Math.max(meta.journalSeq, present.at(-1) ?? 1),
    records,
  }
}
