import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { appLogger } from '../../../src/main/electron/appLogger'
import { describeInvalid } from '../../../src/main/electron/ipc'

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

describe('describeInvalid', () => {
  it('folds union branches into one phrase per field', () => {
    expect(
      describeInvalid('agents:add', [
        {
          keyword: 'maxLength',
          instancePath: '/department',
          params: { limit: 200 },
          message: 'must not have more than 200 characters',
        },
        {
          keyword: 'type',
          instancePath: '/department',
          params: { type: 'null' },
          message: 'must be null',
        },
        {
          keyword: 'anyOf',
          instancePath: '/department',
          params: {},
          message: 'must match a schema in anyOf',
        },
        {
          keyword: 'required',
          instancePath: '',
          params: { requiredProperties: ['name'] },
          message: 'must have required properties name',
        },
      ]),
    ).toBe(
      'Invalid request for agents:add: department must not have more than 200 characters or must be null; request must have required properties name',
    )
  })
})
