import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { appLogger } from '../../../src/main/electron/appLogger'

describe('appLogger', () => {
  it('redacts secrets in both stderr and the log file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ivrs-log-'))
    try {
      const err: string[] = []
      const log = appLogger({
        file: join(dir, 'logs', 'main.log'),
        secrets: () => ['TOPSECRETKEY', ''],
        now: () => new Date('2026-11-27T05:00:00Z'),
        stderr: (l) => err.push(l),
      })
      log.error('vendor said no', { url: 'https://v.example/?apikey=TOPSECRETKEY' })
      log.debug('hidden at info level')
      await log.close()
      const line =
        '2026-11-27T05:00:00.000Z ERROR vendor said no {"url":"https://v.example/?apikey=[redacted]"}\n'
      expect(err).toEqual([line])
      expect(await readFile(join(dir, 'logs', 'main.log'), 'utf8')).toBe(line)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
