import type { StorageProblemReport } from '../types'

/**
 * The storage problems the call store tells at start-up about its own files: what happened,
 * how many acknowledged calls it cost (exactly, or said plainly when it cannot be known) and
 * which, where anything can still name them.
 */

const plural = (n: number, one: string, many = `${one}s`): string =>
  `${n.toLocaleString('en')} ${n === 1 ? one : many}`

/** At most this many ids are listed with a problem (the count is always whole). */
const MAX_IDS = 50

function lost(count: number | null, ids: readonly string[]): StorageProblemReport['lost'] {
  if (count === null || count === 0) return null
  return { count, ids: ids.slice(0, MAX_IDS) }
}

function named(count: number, ids: readonly string[]): string {
  if (count === 0 || ids.length === 0) return ''
  const list = ids.slice(0, 10).join(', ')
  const more = ids.length > 10 ? ` and ${ids.length - 10} more` : ''
  return ids.length === count ? ` They were: ${list}${more}.` : ` Named: ${list}${more}.`
}

const FROM_BACKUP =
  'A call lost is back only if the vendor pushes it again or a backup has it: npm run doctor names what a backup still holds (see "Backups" in the README).'

/** Damaged records of a journal: `count` records lost (exact with sequence numbers). */
export function journalDamaged(o: {
  file: string
  offsets: readonly number[]
  count: number
  /** False for a journal written before records were numbered: each damaged line counts one. */
  exact: boolean
  ids: readonly string[]
  keptAt: string | null
}): StorageProblemReport {
  const where = o.offsets.length > 0 ? ` (at byte ${o.offsets.join(', ')})` : ''
  const what =
    o.count === 0
      ? 'No call was lost: the records they held were in the month files already.'
      : `${plural(o.count, 'acknowledged push', 'acknowledged pushes')} in ${o.count === 1 ? 'it' : 'them'} could not be read back${o.exact ? '' : ' (at least: this journal was written before its records were numbered)'}.${named(o.count, o.ids)}`
  return {
    id: `records-skipped:${o.file}`,
    kind: 'records-skipped',
    file: o.file,
    summary: `Damaged bytes in the call journal${where} failed their checksum and were skipped; every intact record before and after was kept. ${what}`,
    advice: `${o.count === 0 ? 'Nothing to do.' : FROM_BACKUP} The damaged bytes are kept for support. A disk that damages files may be failing: make a backup.`,
    lost: lost(o.count, o.ids),
    keptAt: o.keptAt,
  }
}

/** The journal meta.json says must exist is gone. `count` null: how many it held is unknown. */
export function journalMissing(o: {
  file: string
  count: number | null
  ids: readonly string[]
  closedCleanly: boolean
  since: string | null
  /**
   * A later journal shows a save was cut short after this journal: the month files it had
   * written may hold some of these records, so `count` is how many at most were lost.
   */
  atMost: boolean
}): StorageProblemReport {
  if (o.atMost && o.count !== null && o.count > 0)
    return {
      id: `file-missing:${o.file}`,
      kind: 'file-missing',
      file: o.file,
      summary: `The call journal ${o.file.split('/').slice(-2).join('/')} is missing from the data folder. It held ${plural(o.count, 'acknowledged push', 'acknowledged pushes')} (counted from the numbers of the records around it); a save cut short before it went missing had put some or all of them into the month files already, so up to ${o.count.toLocaleString('en')} may be lost.${named(o.count, o.ids)}`,
      advice: `${FROM_BACKUP} Find out what removes files from the data folder: only IVR Supervisor may change it.`,
      lost: null,
    }
  const held =
    o.count === null
      ? `It held every call acknowledged after the last save${o.since ? ` (calls received after ${o.since})` : ''}: those are lost, and how many there were cannot be told, because the journal was their only record.`
      : o.count === 0
        ? o.closedCleanly
          ? 'It held no call (the store had been closed cleanly), so none was lost.'
          : 'No call was lost: the next journal starts where it ended.'
        : `It held ${plural(o.count, 'acknowledged push', 'acknowledged pushes')} (counted from the numbers of the records around it), lost.${named(o.count, o.ids)}`
  return {
    id: `file-missing:${o.file}`,
    kind: 'file-missing',
    file: o.file,
    summary: `The call journal ${o.file.split('/').slice(-2).join('/')} is missing from the data folder. ${held}`,
    advice: `${o.count === 0 ? 'Nothing was lost;' : FROM_BACKUP} find out what removes files from the data folder (a cleaner, a sync tool, a person): only IVR Supervisor may change it.`,
    lost: lost(o.count, o.ids),
  }
}

/** A month file meta.json lists is gone. */
export function monthMissing(o: {
  file: string
  month: string
  held: number
  count: number
  ids: readonly string[]
  /** Its index named the calls it held. */
  idsKnown: boolean
}): StorageProblemReport {
  const back = o.held - o.count
  const what =
    o.count === 0
      ? `Every one of them was found again in the journal: no call was lost.`
      : `${back > 0 ? `${plural(back, 'call')} of them ${back === 1 ? 'was' : 'were'} found again in the journal; ` : ''}${plural(o.count, 'call')} ${o.count === 1 ? 'is' : 'are'} lost.${o.idsKnown ? named(o.count, o.ids) : ' Its index was gone too, so they cannot be named here.'}`
  return {
    id: `file-missing:${o.file}`,
    kind: 'file-missing',
    file: o.file,
    summary: `The call file of ${o.month} is missing from the data folder. It held ${plural(o.held, 'call')}. ${what}`,
    advice: `${o.count === 0 ? 'Nothing was lost;' : `Restore ${o.month} from a backup to get them back (npm run restore; npm run doctor names what the newest backup holds);`} find out what removes files from the data folder: only IVR Supervisor may change it.`,
    lost: lost(o.count, o.ids),
  }
}

/** A month file that is not the one meta.json lists and holds fewer calls. */
export function monthMismatch(o: {
  file: string
  month: string
  held: number
  has: number
}): StorageProblemReport {
  const count = o.held - o.has
  return {
    id: `file-mismatch:${o.file}`,
    kind: 'file-mismatch',
    file: o.file,
    summary: `The call file of ${o.month} is not the one the store last wrote: it holds ${plural(o.has, 'call')} where the store had saved ${plural(o.held, 'call')}, so ${plural(count, 'call')} ${count === 1 ? 'is' : 'are'} missing (an older copy put back by hand, or another program writing to the folder).`,
    advice: `Restore ${o.month} from a backup to get them back; only IVR Supervisor may change the data folder.`,
    lost: { count, ids: [] },
  }
}

/** meta.json itself was damaged (set aside) or is missing while the store holds files. */
export function metaTrouble(o: {
  file: string
  reason: string | null
  keptAt: string | null
}): StorageProblemReport {
  const what = o.reason
    ? `was damaged (${o.reason}) and was set aside`
    : 'is missing while the store holds call files'
  return {
    id: 'document-set-aside:meta',
    kind: o.reason ? 'document-set-aside' : 'file-missing',
    file: o.file,
    summary: `The call store's list of its files (meta.json) ${what}. Every journal present was replayed and every month file present was read, so no call they hold was lost; a file that went missing at the same time could not be noticed this once. A new list was written.`,
    advice: o.reason
      ? 'Nothing to do; the damaged file is kept for support. A disk that damages files may be failing: make a backup.'
      : 'Find out what removes files from the data folder: only IVR Supervisor may change it.',
    keptAt: o.keptAt,
  }
}
