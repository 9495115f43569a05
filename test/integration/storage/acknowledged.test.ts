import { spawn } from 'node:child_process'
import { mkdtemp, readFile, unlink, writeFile } from 'node:fs/promises'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import type { Call, Health } from '../../../src/shared/domain'
import type { CheckReport } from '../../../src/shared/storage'
import { samplePush, todayIn } from '../../support/fixtures'
import { headlessEnv } from '../../support/headless'
import { api, headlessRunner, ids, push, storedIds, tool } from './helpers'

/**
 * Acknowledged means kept, with the real headless process (`npm run serve`) and the real tools
 * (`npm run doctor`): a restart right after a SIGKILL, the faults the issue measured (one bit of
 * meta.json, a month file deleted, zeroed blocks in the journal) and the vendor's bytes. Each
 * counts the calls acknowledged before and present after, and every missing one is counted
 * exactly by health and by doctor.
 */
const ROOT = resolve(import.meta.dirname, '../../..')
/** The month file of the calls pushed (samplePush dates them today). */
const MONTH = `calls/shards/${todayIn().slice(0, 7)}.json`
const { start, stop, forget } = headlessRunner()

const health = async (h: Awaited<ReturnType<typeof start>>) =>
  (await api<Health>(h, 'GET', '/api/v1/health')).json.storage

async function killed(h: Awaited<ReturnType<typeof start>>): Promise<void> {
  h.child.kill('SIGKILL')
  await new Promise((r) => h.child.once('exit', r))
  forget(h)
}

const zombies: (() => void)[] = []
afterEach(() => {
  for (const z of zombies.splice(0)) z()
})

/**
 * Headless mode whose parent never collects it: started by a shell that then becomes `sleep`.
 * Once killed it stays a zombie (state Z) until the shell's `sleep` is ended.
 */
async function startOrphanable(dataDir: string): Promise<{ pid: number; webhookUrl: string }> {
  const serve = join(ROOT, 'src/main/headless/serve.ts')
  const sh = spawn(
    'sh',
    ['-c', `"${process.execPath}" --import tsx "${serve}" & echo "PID=$!"; exec sleep 600`],
    {
      cwd: ROOT,
      env: headlessEnv(dataDir),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  zombies.push(() => sh.kill('SIGKILL'))
  let out = ''
  sh.stdout.on('data', (d: Buffer) => (out += d.toString()))
  await new Promise<void>((res, rej) => {
    const t = setTimeout(() => rej(new Error(`not ready:\n${out}`)), 60_000)
    sh.stdout.on('data', () => {
      if (/^Ready\.$/m.test(out)) {
        clearTimeout(t)
        res()
      }
    })
  })
  const pid = Number(/^PID=(\d+)$/m.exec(out)![1])
  const webhookUrl = /^Webhook URL \(give this to the vendor\): (\S+)$/m.exec(out)![1]!
  return { pid, webhookUrl }
}

async function stateOf(pid: number): Promise<string> {
  const st = await readFile(`/proc/${pid}/stat`, 'latin1').catch(() => '')
  return st.slice(st.lastIndexOf(')') + 2, st.lastIndexOf(')') + 3)
}

describe('a restart right after a SIGKILL', () => {
  it.skipIf(process.platform !== 'linux')(
    'is not refused, even while the killed process is a zombie nobody collected; every call is there',
    async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'ivrs-zombie-'))
      const first = await startOrphanable(dataDir)
      const { acked } = await push(first.webhookUrl, ids('z', 100))
      expect(acked).toHaveLength(100)
      process.kill(first.pid, 'SIGKILL')
      while ((await stateOf(first.pid)) !== 'Z') await new Promise((r) => setTimeout(r, 20))
      // 0.3 s after the kill, its lock still fresh and its process id still taken (a zombie).
      await new Promise((r) => setTimeout(r, 300))
      expect(await stateOf(first.pid)).toBe('Z')
      const next = await start(dataDir)
      const stored = await storedIds(next)
      expect(acked.filter((id) => !stored.has(id))).toEqual([])
    },
  )
})

describe('the faults the issue measured, end to end', () => {
  it('one bit of meta.json (journalSeq 2 made 3) deletes nothing; doctor and health tell', async () => {
    const h = await start()
    const sealed = await push(h.webhookUrl, ids('m', 200))
    // A checkpoint (a backup starts with one): 200 calls in the month file, journal 2 begun.
    expect((await api(h, 'POST', '/api/v1/storage/backup')).status).toBe(200)
    const journalled = await push(h.webhookUrl, ids('j', 100))
    await killed(h)
    const meta = join(h.dataDir, 'calls/meta.json')
    const text = await readFile(meta, 'utf8')
    expect(text).toContain('"journalSeq":2')
    await writeFile(meta, text.replace('"journalSeq":2', '"journalSeq":3'))

    const doctor = await tool('doctor', [h.dataDir])
    expect(doctor.code).toBe(1)
    expect(doctor.stdout).toContain(
      'DAMAGE   calls/meta.json: its checksum does not match its content',
    )
    const again = await start(h.dataDir)
    const stored = await storedIds(again)
    expect([...sealed.acked, ...journalled.acked].filter((id) => !stored.has(id))).toEqual([])
    expect((await health(again)).problems.map((p) => p.id)).toEqual(['document-set-aside:meta'])
  })

  it('a month file deleted: health and doctor count its calls exactly and name them', async () => {
    const h = await start()
    const { acked } = await push(h.webhookUrl, ids('gone', 150))
    expect(await stop(h)).toBe(0)
    await unlink(join(h.dataDir, MONTH))

    const doctor = await tool('doctor', ['--json', h.dataDir])
    expect(doctor.code).toBe(1)
    const finding = (JSON.parse(doctor.stdout) as CheckReport).findings.find(
      (f) => f.file === MONTH,
    )!
    expect(finding.message).toContain('it held 150 calls (named by its index); 150 lost')
    const again = await start(h.dataDir)
    const stored = await storedIds(again)
    const missing = acked.filter((id) => !stored.has(id))
    expect(missing).toHaveLength(150)
    const told = (await health(again)).problems.find((p) => p.kind === 'file-missing')!
    expect(told.file).toBe(MONTH)
    expect(told.lost!.count).toBe(missing.length)
    expect([...told.lost!.ids].sort()).toEqual(missing.slice(0, 50).sort())
  })

  it('4 KiB of zeros in the middle of a 100-record journal: every record lost is counted', async () => {
    const h = await start()
    const { acked } = await push(h.webhookUrl, ids('zero', 100))
    await killed(h)
    const journal = join(h.dataDir, 'calls/journal/00000001.jsonl')
    const data = await readFile(journal)
    const at = Math.floor(data.length / 2) - 2048
    data.fill(0, at, at + 4096)
    await writeFile(journal, data)

    const doctor = await tool('doctor', [h.dataDir])
    expect(doctor.code).toBe(1)
    const again = await start(h.dataDir)
    const stored = await storedIds(again)
    const missing = acked.filter((id) => !stored.has(id))
    expect(missing.length).toBeGreaterThan(1)
    expect(doctor.stdout).toContain(`${missing.length} acknowledged pushes lost`)
    const told = (await health(again)).problems.find((p) => p.kind === 'records-skipped')!
    expect(told.lost!.count).toBe(missing.length)
    expect(missing).toEqual(expect.arrayContaining(told.lost!.ids))
    expect(told.lost!.ids.length).toBeGreaterThan(0)
  })
})

describe("the vendor's bytes, to npm run serve", () => {
  /** Writes raw bytes to the webhook's port; resolves with the answer's status line and body. */
  function raw(webhookUrl: string, bytes: Buffer): Promise<string> {
    const u = new URL(webhookUrl)
    return new Promise((res, rej) => {
      let text = ''
      const s = connect(Number(u.port), u.hostname, () => s.write(bytes))
      s.on('data', (d) => (text += d.toString()))
      s.on('error', rej)
      s.on('close', () => res(text))
    })
  }
  const line = (u: URL, query: string): Buffer =>
    Buffer.from(`GET ${u.pathname}?${query} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`)

  it('raw spaces, raw UTF-8, a BOM and gzip: accepted and stored exactly', async () => {
    const h = await start()
    const u = new URL(h.webhookUrl)
    const plain = (p: Record<string, string>): string =>
      Object.entries(p)
        .map(([k, v]) => `${k}=${v}`)
        .join('&')
    const json = (id: string, extra: Record<string, string>) =>
      Buffer.from(JSON.stringify(samplePush(id, extra)))
    const postOf = (body: Buffer, headers: string): Buffer =>
      Buffer.concat([
        Buffer.from(
          `POST ${u.pathname} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${headers}Content-Length: ${body.length}\r\n\r\n`,
        ),
        body,
      ])
    const sent = [
      line(u, plain(samplePush('tn', { state: 'Tamil Nadu' }))),
      line(u, plain(samplePush('hi', { department: 'बिक्री सहायता' }))),
      postOf(
        Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), json('bom', { state: 'West Bengal' })]),
        'Content-Type: application/json\r\n',
      ),
      postOf(
        gzipSync(json('gz', { department: 'Customer Care' })),
        'Content-Type: application/json\r\nContent-Encoding: gzip\r\n',
      ),
    ]
    for (const bytes of sent)
      expect(await raw(h.webhookUrl, bytes)).toMatch(/^HTTP\/1\.1 200 [^]*Accepted$/)
    const call = async (id: string) => (await api<Call>(h, 'GET', `/api/v1/calls/${id}`)).json
    expect((await call('tn')).circle).toBe('Tamil Nadu')
    expect((await call('hi')).department).toBe('बिक्री सहायता')
    expect((await call('bom')).circle).toBe('West Bengal')
    expect((await call('gz')).department).toBe('Customer Care')
    // Nothing of it in the rejected log: it keeps only what truly cannot be read.
    expect((await api<unknown[]>(h, 'GET', '/api/v1/pushes/rejected')).json).toEqual([])
  })
})
