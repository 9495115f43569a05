/**
 * `npm run migrate-to-postgres` on a real data folder: one `npm run serve` wrote it (calls, a
 * changed call, a rejected push, an agent, office hours and so a schedule history, a person's
 * account and the activity log), the tool copies it into an empty database and verifies the
 * counts, refuses a second run, and a receiver on the database finds it all.
 */
import { spawnSync } from 'node:child_process'
import { rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { request } from 'undici'
import type { Agent, Call, RejectedPush } from '../../../src/shared/domain'
import { samplePushUrl, startHeadless, type Headless } from '../../support/headless'
import { momentsAgo } from '../../support/fixtures'
import { freshDatabase } from '../../support/pgDatabase'
import { localDateTime } from '../../../src/shared/localTime'
import { addPerson, runUsers } from '../../support/users'
import { api, logEntries, SECRET_KEY, startReceiver } from './helpers'

const ROOT = resolve(import.meta.dirname, '../../..')
const ZONE = 'Asia/Kolkata'
const started: Headless[] = []

afterAll(async () => {
  for (const h of started) {
    await h.stop()
    await rm(h.dataDir, { recursive: true, force: true })
  }
})

function migrate(dataDir: string, url: string) {
  const res = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'src/main/maintenance/migrateCli.ts'), dataDir],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, IVRS_DATABASE_URL: url, IVRS_SECRET_KEY: SECRET_KEY },
      timeout: 120_000,
    },
  )
  return { code: res.status, out: res.stdout, err: res.stderr }
}

describe('npm run migrate-to-postgres', () => {
  it('copies a data folder into an empty database, verifies the counts, and refuses a used one', async () => {
    const folder = await startHeadless({})
    started.push(folder)
    // Begun a minute ago (the sample's 10:15 is still to come in the small hours): before the
    // office hours set below, so not judged by them.
    const begun = momentsAgo(60)
    for (let i = 0; i < 30; i++) {
      const res = await request(
        samplePushUrl(folder.webhookUrl, { calllogid: `mig-${i}`, ...begun }),
      )
      expect(await res.body.text()).toBe('Accepted')
    }
    const changed = await request(
      samplePushUrl(folder.webhookUrl, {
        calllogid: 'mig-0',
        recordingurl: 'https://rec.example/0',
        ...begun,
      }),
    )
    expect(await changed.body.text()).toBe('Accepted')
    const bad = await request(
      samplePushUrl(folder.webhookUrl, { calllogid: 'bad', date: '2026-02-30' }),
    )
    expect(bad.statusCode).toBe(400)
    await bad.body.dump()
    expect(
      (await api(folder, 'POST', '/api/v1/agents', { number: '9811122233', name: 'Meera' })).status,
    ).toBe(200)
    // Office hours that exclude the present moment, then a call stamped now: judged closed by
    // the schedule history, which must come along.
    const hour = Number(localDateTime(Date.now(), ZONE).time.slice(0, 2))
    const [start, end] = hour >= 2 ? ['00:00', '01:00'] : ['22:00', '23:00']
    expect(
      (await api(folder, 'PUT', '/api/v1/office-hours/Daily', { day: 'Daily', start, end })).status,
    ).toBe(200)
    await new Promise((r) => setTimeout(r, 1_100))
    const late = await request(
      samplePushUrl(folder.webhookUrl, {
        calllogid: 'mig-late',
        ...localDateTime(Date.now(), ZONE),
      }),
    )
    expect(await late.body.text()).toBe('Accepted')
    // A person of the team server, added while it runs (its admin channel records who did).
    const asha = await addPerson(folder.dataDir, 'Asha Rao', 'supervisor')
    const token = new URL(folder.webhookUrl).pathname
    expect(await folder.stop()).toBe(0)

    const url = await freshDatabase('migrate')
    // Looking at the new database's accounts first (which opens their document with its
    // defaults) does not make it "in use".
    const looked = await runUsers(folder.dataDir, ['list'], { IVRS_DATABASE_URL: url })
    expect(looked.code, looked.stderr).toBe(0)
    const first = migrate(folder.dataDir, url)
    expect(first.code, first.out + first.err).toBe(0)
    expect(first.out).toMatch(/calls\s+31\s+31\n/)
    expect(first.out).toMatch(/revisions\s+1\s+1\n/)
    expect(first.out).toMatch(/rejected\s+1\s+1\n/)
    // The agent, the office hours and the account: three changes by people.
    expect(first.out).toMatch(/activity\s+3\s+3\n/)
    expect(first.out).toContain('Every count matches')

    const again = migrate(folder.dataDir, url)
    expect(again.code).toBe(2)
    expect(again.err).toContain('is not empty')

    const db = await startReceiver(url)
    started.push(db)
    // The sealed webhook token came along: the vendor's URL does not change.
    expect(new URL(db.webhookUrl).pathname).toBe(token)
    const call = (await api<Call>(db, 'GET', '/api/v1/calls/mig-0')).json
    expect(call.recordingUrl).toBe('https://rec.example/0')
    expect(call.history.map((h) => h.revision)).toEqual([1])
    expect((await api<{ total: number }>(db, 'GET', '/api/v1/calls')).json.total).toBe(31)
    // Calls are judged by the schedule in force when they came, as in the folder.
    const flag = async (id: string) =>
      (await api<Call>(db, 'GET', `/api/v1/calls/${id}`)).json.outsideOfficeHours
    expect([await flag('mig-1'), await flag('mig-late')]).toEqual([false, true])
    expect(
      (await api<RejectedPush[]>(db, 'GET', '/api/v1/pushes/rejected')).json.map(
        (r) => r.params.calllogid,
      ),
    ).toEqual(['bad'])
    expect((await api<Agent[]>(db, 'GET', '/api/v1/agents')).json.map((a) => a.name)).toContain(
      'Meera',
    )
    // The account came along: the person's token works against the database.
    expect((await api(db, 'GET', '/api/v1/session', undefined, asha)).json).toEqual({
      name: 'Asha Rao',
      role: 'supervisor',
      owner: false,
    })
    const activity = await logEntries<{ channel: string; by: string }>(url, 'activity')
    expect(activity.map((e) => e.channel)).toEqual([
      'agents:add',
      'officeHours:set',
      'accounts:add',
    ])
  })
})
