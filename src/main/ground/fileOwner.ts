/**
 * Who owns a file, and acting as a data folder's owner. Permission is not damage: a file this
 * process may not read (written by `npm run users` run as root, a restore, a copy by hand) is
 * reported with its owner and mode and what to run, never set aside or replaced.
 */
import { readFileSync, statSync } from 'node:fs'
import { stat } from 'node:fs/promises'

/** A file's owner and permissions, as `ls -l` would show them. */
export interface FileOwner {
  uid: number
  gid: number
  /** The owner's user name, or `uid <n>` when this machine has no name for it. */
  user: string
  /** The permission bits in octal, e.g. `0600`. */
  mode: string
}

/** True for an error that says this process may not do what it tried (not a missing file). */
export function isPermissionError(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code
  return code === 'EACCES' || code === 'EPERM'
}

/** The user name of `uid` from /etc/passwd (Node has no getpwuid), else `uid <n>`. */
export function userName(uid: number): string {
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const [name, , id] = line.split(':')
      if (name && Number(id) === uid) return name
    }
  } catch {
    // No passwd file (Windows, a minimal container): the number says it.
  }
  return `uid ${uid}`
}

function ownerFromStat(s: { uid: number; gid: number; mode: number }): FileOwner {
  return {
    uid: s.uid,
    gid: s.gid,
    user: userName(s.uid),
    mode: `0${(s.mode & 0o777).toString(8).padStart(3, '0')}`,
  }
}

/** The owner and mode of `path`, or null when it cannot be looked at either. */
export async function ownerOf(path: string): Promise<FileOwner | null> {
  try {
    return ownerFromStat(await stat(path))
  } catch {
    return null
  }
}

/** This process's user, for messages: `ivrs (uid 999)`. */
export function processUser(): string {
  const uid = process.getuid?.()
  return uid === undefined ? 'this user' : `${userName(uid)} (uid ${uid})`
}

/** `owner root (uid 0), mode 0600` */
export function describeOwner(owner: FileOwner | null): string {
  return owner ? `owner ${owner.user} (uid ${owner.uid}), mode ${owner.mode}` : 'owner unknown'
}

/**
 * A file of the data folder this process may not read or write, found before anything was
 * changed. The message names each file with its owner and mode, and the command that gives them
 * back to the user running the app.
 */
export class FolderAccessError extends Error {
  constructor(
    readonly dataDir: string,
    readonly files: { path: string; owner: FileOwner | null }[],
  ) {
    const shown = files.slice(0, 10)
    const more = files.length - shown.length
    const uid = process.getuid?.()
    const who = uid === undefined ? null : userName(uid)
    super(
      [
        `The data folder ${dataDir} holds ${files.length === 1 ? 'a file' : 'files'} this process (user ${processUser()}) may not read or write:`,
        ...shown.map((f) => `  ${f.path}: ${describeOwner(f.owner)}`),
        ...(more > 0 ? [`  … and ${more} more`] : []),
        'Nothing was changed or set aside: permission is not damage.',
        who && !who.startsWith('uid ')
          ? `Give the folder back to the user the app runs as (as root): chown -R ${who}: ${dataDir}`
          : `Give the folder back to the user the app runs as (as root): chown -R <that user>: ${dataDir}`,
        'Then run npm run users (and the other tools) as that user; run as root they act as the folder\u2019s owner.',
      ].join('\n'),
    )
    this.name = 'FolderAccessError'
  }
}

/**
 * Run as root on a folder another user owns, becomes that user (its group alone), so that every
 * file the command writes belongs to the folder's owner, who runs the app. Run as another user
 * who is not root, answers a warning to print. Nothing to do on Windows, for a folder that does
 * not exist yet, or for its own owner.
 */
export function actAsOwnerOf(dir: string): { becameUser: string | null; warning: string | null } {
  const none = { becameUser: null, warning: null }
  const uid = process.getuid?.()
  if (uid === undefined) return none
  let s
  try {
    s = statSync(dir)
  } catch {
    return none
  }
  if (s.uid === uid) return none
  const owner = userName(s.uid)
  if (uid === 0 && process.setuid && process.setgid && process.setgroups) {
    process.setgroups([s.gid])
    process.setgid(s.gid)
    process.setuid(s.uid)
    return { becameUser: owner, warning: null }
  }
  return {
    becameUser: null,
    warning: `You are ${processUser()}, but ${dir} belongs to ${owner}: files written now would belong to you, and the app running as ${owner} could not read them. Run this as ${owner} (e.g. sudo -u ${owner} …), or as root, which acts as the folder's owner.`,
  }
}

/**
 * For the command-line tools that write into a data folder (`npm run users`, the doctor, backup
 * and restore): {@link actAsOwnerOf}, saying on stderr what it did or what to beware of, so that
 * a file they write never locks the app out of its own folder.
 */
export function asFolderOwner(dir: string): void {
  const as = actAsOwnerOf(dir)
  if (as.becameUser)
    process.stderr.write(
      `Running as ${as.becameUser}, the owner of ${dir}, so that the files written belong to it.\n`,
    )
  if (as.warning) process.stderr.write(`Warning: ${as.warning}\n`)
}
