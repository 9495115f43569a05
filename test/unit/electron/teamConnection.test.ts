import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  askAboutUnreadableToken,
  openTeamDocument,
  readTeamConnection,
  teamHandlers,
  teamServerOrigin,
} from '../../../src/main/electron/teamConnection'
import { ownerContext } from '../../../src/main/core/core'
import { UserError } from '../../../src/main/ground/errors'
import { MemorySecretStore } from '../../../src/main/dataFolder/secretsFile'
import type { TeamState } from '../../../src/shared/team'

const ctx = ownerContext('ipc', 'desk-user')
const local: TeamState = { mode: 'local', server: null, as: null, state: 'connected', error: null }

async function setup(
  probe = async () => ({ name: 'Asha Rao', role: 'supervisor' as const, owner: false }),
) {
  const doc = await openTeamDocument(await mkdtemp(join(tmpdir(), 'ivrs-teamdoc-')))
  const secrets = new MemorySecretStore()
  const restarts: number[] = []
  const probed: [string, string][] = []
  const h = teamHandlers({
    doc,
    secrets,
    probe: async (server, token) => {
      probed.push([server, token])
      return probe()
    },
    restart: () => restarts.push(Date.now()),
    current: () => local,
    restartDelayMs: 0,
  })
  return { doc, secrets, restarts, probed, h }
}

describe('teamServerOrigin', () => {
  it('keeps the origin of an https address, and http only to this machine', () => {
    expect(teamServerOrigin(' https://Supervisor.Example.com/app/ ')).toBe(
      'https://supervisor.example.com',
    )
    expect(teamServerOrigin('http://127.0.0.1:8788')).toBe('http://127.0.0.1:8788')
    expect(teamServerOrigin('http://localhost:8788/x')).toBe('http://localhost:8788')
    expect(() => teamServerOrigin('http://supervisor.example.com')).toThrow(/https:\/\//)
    expect(() => teamServerOrigin('supervisor.example.com')).toThrow(/full address/)
  })
})

describe('the desktop connecting to a team server', () => {
  it('checks the token with the server, keeps both and restarts as its client', async () => {
    const { doc, secrets, restarts, probed, h } = await setup()
    const state = await h['team:connect'](
      { server: 'https://team.example/', token: ' ivrs_abcdefghijkl_secretpart0123456789 ' },
      ctx,
    )
    expect(probed).toEqual([['https://team.example', 'ivrs_abcdefghijkl_secretpart0123456789']])
    expect(state).toEqual({
      mode: 'client',
      server: 'https://team.example',
      as: { name: 'Asha Rao', role: 'supervisor', owner: false },
      state: 'connecting',
      error: null,
    })
    expect(await readTeamConnection(doc, secrets)).toEqual({
      mode: 'client',
      server: 'https://team.example',
      token: 'ivrs_abcdefghijkl_secretpart0123456789',
    })
    await new Promise((r) => setTimeout(r, 10))
    expect(restarts).toHaveLength(1)

    await h['team:disconnect'](undefined, ctx)
    expect(await readTeamConnection(doc, secrets)).toEqual({ mode: 'local' })
    expect(await secrets.get('teamToken')).toBeNull()
    await new Promise((r) => setTimeout(r, 10))
    expect(restarts).toHaveLength(2)
  })

  it('keeps nothing and stays as it is when the server refuses', async () => {
    const { doc, secrets, restarts, h } = await setup(async () => {
      throw new UserError('Unauthorized: this token is not valid here', 401)
    })
    await expect(
      h['team:connect']({ server: 'https://team.example', token: 'x'.repeat(20) }, ctx),
    ).rejects.toThrow(/not valid here/)
    expect(await readTeamConnection(doc, secrets)).toEqual({ mode: 'local' })
    await new Promise((r) => setTimeout(r, 10))
    expect(restarts).toHaveLength(0)
    expect(await h['team:get'](undefined, ctx)).toBe(local)
  })
})

describe('a team token that cannot be read', () => {
  it('is not a silent start as a local receiver: the user chooses, and Quit changes nothing', async () => {
    const { doc, secrets } = await setup()
    await doc.update((c) => {
      c.server = 'https://team.example'
    })
    // The server is kept but the keychain gave no token back.
    expect(await secrets.get('teamToken')).toBeNull()
    const launch = await readTeamConnection(doc, secrets)
    expect(launch).toEqual({ mode: 'token-unreadable', server: 'https://team.example' })
    const asked: { message: string; buttons: string[] }[] = []
    const quit = await askAboutUnreadableToken({
      server: 'https://team.example',
      doc,
      showMessageBox: async (o) => {
        asked.push(o)
        return { response: 1 }
      },
    })
    expect(quit).toBe('quit')
    expect(asked[0]!.message).toContain('https://team.example')
    expect(asked[0]!.buttons).toEqual(["Start as this computer's own receiver", 'Quit'])
    expect(doc.data.server).toBe('https://team.example')
    const local = await askAboutUnreadableToken({
      server: 'https://team.example',
      doc,
      showMessageBox: async () => ({ response: 0 }),
    })
    expect(local).toBe('local')
    expect(await readTeamConnection(doc, secrets)).toEqual({ mode: 'local' })
  })
})
