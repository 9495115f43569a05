/**
 * Permission is not damage. The README's systemd unit runs the server as its own user; an
 * operator runs `npm run users` as root. Run as root (as CI is), the server is started as the
 * unprivileged `nobody` with `runuser`, on a data folder `nobody` owns, as systemd's `User=`
 * would. Run as another user, the unreadable file is one of its own made mode 0000 instead, and
 * the case that needs root (switching users) is skipped.
 */
import { fileDocuments } from '../../../src/main/storage/folder/documents'
import { chmod, chown, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { AccountService, openAccountsDocument } from '../../../src/main/accounts/accounts'
import { systemClock } from '../../../src/main/ground/clock'
import { silentLogger } from '../../../src/main/ground/logger'
import { startHeadless, type Headless } from '../../support/headless'
import { runUsers } from '../../support/users'
import { api, tool } from './helpers'

const asRoot = process.getuid?.() === 0
/** Who the server runs as: `nobody` when this is root, else this user. */
const RUN_AS = asRoot ? 'nobody' : undefined
const NOBODY = { uid: 65534, gid: 65534 }
const dirs: string[] = []
const started: Headless[] = []

afterAll(async () => {
  for (const h of started) await h.stop()
  for (const d of dirs) await rm(d, { recursive: true, force: true })
})

/** An empty data folder owned by the user the server runs as. */
async function serverFolder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ivrs-perm-'))
  dirs.push(dir)
  if (asRoot) await chown(dir, NOBODY.uid, NOBODY.gid)
  return dir
}

function serve(dir: string): Promise<Headless> {
  return startHeadless({ dataDir: dir, runAs: RUN_AS }).then((h) => {
    started.push(h)
    return h
  })
}

describe('a document the server may not read', () => {
  it('stops start-up naming the file, its owner and mode, and what to run; nothing is set aside', async () => {
    const dir = await serverFolder()
    // An account written by this process: as root, root's file (mode 0600) in nobody's folder.
    const service = new AccountService(
      await openAccountsDocument(fileDocuments(dir)),
      systemClock,
      silentLogger,
    )
    const { token } = await service.add({ name: 'Asha Rao', role: 'supervisor' }, 'root')
    const file = join(dir, 'accounts.json')
    if (!asRoot) await chmod(file, 0o000)
    const before = asRoot ? await readFile(file, 'utf8') : null

    const failure = await serve(dir).then(
      () => '',
      (err: Error) => err.message,
    )
    expect(failure).toMatch(/exited with 1/)
    expect(failure).toContain(`${file}: owner ${asRoot ? 'root (uid 0), mode 0600' : ''}`)
    if (!asRoot) expect(failure).toContain('mode 0000')
    expect(failure).toContain('Nothing was changed or set aside')
    expect(failure).toMatch(new RegExp(`chown -R \\S+: ${dir}`))
    // The file is where it was, whole; nothing was set aside.
    expect((await readdir(dir)).filter((n) => n.includes('damaged'))).toEqual([])
    if (before !== null) expect(await readFile(file, 'utf8')).toBe(before)
    // The doctor (as root: as the folder's owner) tells it apart, and its repair leaves it.
    const doctor = await tool('doctor', ['--repair', dir])
    expect(doctor.code).toBe(1)
    expect(doctor.stdout).toContain('accounts.json')
    expect(doctor.stdout).toContain('not damaged, but')
    expect((await readdir(dir)).filter((n) => n.includes('damaged'))).toEqual([])

    // Given back to the user the server runs as, it starts with the account.
    if (asRoot) await chown(file, NOBODY.uid, NOBODY.gid)
    else await chmod(file, 0o600)
    const h = await serve(dir)
    expect(h.stdout()).toContain('Accounts: 1 active')
    expect((await api(h, 'GET', '/api/v1/session', undefined, token)).json).toEqual({
      name: 'Asha Rao',
      role: 'supervisor',
      owner: false,
    })
  })

  it.skipIf(!asRoot)(
    'npm run users run as root on the folder acts as its owner, so the server keeps the account',
    async () => {
      const dir = await serverFolder()
      const added = await runUsers(dir, ['add', 'Asha Rao', '--role', 'supervisor'])
      expect(added.code, added.stderr).toBe(0)
      expect(added.stderr).toContain(`Running as nobody, the owner of ${dir}`)
      for (const name of ['accounts.json', 'activity.jsonl'])
        expect((await stat(join(dir, name))).uid, name).toBe(NOBODY.uid)

      const h = await serve(dir)
      expect(h.stdout()).toContain('Accounts: 1 active')
      expect((await api(h, 'GET', '/api/v1/session', undefined, added.lastLine)).status).toBe(200)
    },
  )
})
