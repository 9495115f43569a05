import { constants } from 'node:fs'
import { access, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { FolderAccessError, isPermissionError, ownerOf, type FileOwner } from '../ground/fileOwner'

/**
 * Folders of the data folder that the app never reads while it runs: backups (a root-owned one
 * matters only to a restore, which reads it) and what a restore moved aside.
 */
const NOT_READ = [/^backups$/, /^replaced-/]

/**
 * Every file and folder of the data folder this process may not read and write (folders: also
 * enter), with its owner and mode. Cheap: the folder holds a few files per month of calls.
 */
export async function inaccessibleFiles(
  dataDir: string,
): Promise<{ path: string; owner: FileOwner | null }[]> {
  const found: { path: string; owner: FileOwner | null }[] = []
  const visit = async (dir: string, top: boolean): Promise<void> => {
    let entries
    try {
      entries = await readdir(dir, { withFileTypes: true })
    } catch (err) {
      if (isPermissionError(err)) found.push({ path: dir, owner: await ownerOf(dir) })
      return
    }
    for (const e of entries) {
      if (top && NOT_READ.some((re) => re.test(e.name))) continue
      const path = join(dir, e.name)
      const folder = e.isDirectory()
      const mode = constants.R_OK | constants.W_OK | (folder ? constants.X_OK : 0)
      try {
        await access(path, mode)
      } catch (err) {
        if (!isPermissionError(err)) continue
        found.push({ path, owner: await ownerOf(path) })
        continue
      }
      if (folder) await visit(path, false)
    }
  }
  await visit(dataDir, true)
  return found
}

/**
 * Stops start-up, before anything is read or set aside, when a file of the data folder cannot
 * be read or written by this process (see {@link FolderAccessError}).
 */
export async function checkFolderAccess(dataDir: string): Promise<void> {
  const files = await inaccessibleFiles(dataDir)
  if (files.length > 0) throw new FolderAccessError(dataDir, files)
}
